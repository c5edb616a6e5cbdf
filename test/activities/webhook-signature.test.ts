/**
 * Webhook secrets and signing (activities/webhook-signature.ts) on their own; the signed POSTs
 * at a real listener are in webhook.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { isWebhookSecret, webhookSigner } from '../../activities/webhook-signature';

const secretOf = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;
const SECRET = secretOf(32);

describe('webhook secrets', () => {
  it('are whsec_ and the base64 of 24 to 64 bytes', () => {
    expect(isWebhookSecret(secretOf(24))).toBe(true);
    expect(isWebhookSecret(secretOf(64))).toBe(true);
    expect(isWebhookSecret(secretOf(23))).toBe(false);
    expect(isWebhookSecret(secretOf(65))).toBe(false);
    expect(isWebhookSecret(secretOf(32).slice('whsec_'.length))).toBe(false);
    expect(isWebhookSecret('whsec_not base64 at all!')).toBe(false);
    expect(isWebhookSecret(`${secretOf(32)}x`)).toBe(false);
  });

  it('sign the same bytes the same way for the same id and time', () => {
    const sign = webhookSigner(SECRET);
    const at = new Date('2030-01-02T09:30:00.400Z');
    expect(sign('k', '{"a":1}', at)).toEqual(sign('k', '{"a":1}', at));
    expect(sign('k', '{"a":1}', at)['webhook-timestamp']).toBe('1893576600');
    expect(sign('k', '{"a":1}', at)['webhook-signature']).not.toBe(
      sign('k', '{"a":2}', at)['webhook-signature'],
    );
  });
});
