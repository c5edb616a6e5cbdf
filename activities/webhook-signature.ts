/**
 * Webhook signatures as the Standard Webhooks specification has them (standardwebhooks.com),
 * so a receiver can check with any of its libraries that a POST came from this Gatehouse and
 * was not altered or replayed: `webhook-id` (the notification's key, the same on every retry),
 * `webhook-timestamp` (seconds, this attempt's) and `webhook-signature` (`v1,` and the base64
 * HMAC-SHA256 of `id.timestamp.body` under the shared secret).
 */
import { Webhook } from 'standardwebhooks';

/** A secret's length in bytes, as the specification recommends. */
const SECRET_BYTES = { min: 24, max: 64 } as const;
const PREFIX = 'whsec_';

/** What a valid `WEBHOOK_SECRET` looks like, completing "expected …". */
export const WEBHOOK_SECRET_EXPECTED =
  `${PREFIX} and the base64 of ${SECRET_BYTES.min} to ${SECRET_BYTES.max} random bytes ` +
  `(e.g. ${PREFIX}$(openssl rand -base64 32))`;

/** True when `secret` is `whsec_` and the base64 of a key of a recommended length. */
export function isWebhookSecret(secret: string): boolean {
  if (!secret.startsWith(PREFIX)) return false;
  const key = secret.slice(PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) return false;
  const bytes = Buffer.from(key, 'base64').length;
  return bytes >= SECRET_BYTES.min && bytes <= SECRET_BYTES.max;
}

/** The headers that sign one POST of `body`. */
export type WebhookSigner = (id: string, body: string, at?: Date) => Record<string, string>;

/** Signs with `secret` (checked by {@link isWebhookSecret} where it is configured). */
export function webhookSigner(secret: string): WebhookSigner {
  const webhook = new Webhook(secret);
  return (id, body, at = new Date()) => ({
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': webhook.sign(id, at, body),
  });
}
