/** The e-mail port of the notification activities, and its SMTP adapter (nodemailer). */
import { createTransport } from 'nodemailer';

/** One plain-text message. */
export interface MailMessage {
  /** Defaults to the mailer's own sender. */
  from?: string;
  to: string[];
  subject: string;
  text: string;
  /** `<id@host>`: the same notification keeps the same id, so clients can drop a resend. */
  messageId?: string;
}

/** Sends e-mail; rejects when the server refuses or cannot be reached. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/**
 * Default time an SMTP server may take to connect, greet, or answer a command before the send
 * fails (and Temporal retries): under the e-mail activity's 30 s attempt. nodemailer's own
 * (2 min to connect, 10 min per reply) outlast it: Temporal then starts the next attempt while
 * the first still waits, and a server that accepts both delivers the message twice.
 */
export const DEFAULT_SMTP_TIMEOUT_MS = 15_000;

/**
 * A {@link Mailer} over SMTP, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…`.
 * Connections are pooled and reused (nodemailer's pool: 5 at most, 100 messages each): a
 * notification to many people, or many at once, does not open a connection per e-mail, which
 * costs time and which mail servers throttle. `?pool=false` in the URL sends each alone;
 * nodemailer's `connectionTimeout`, `greetingTimeout` and `socketTimeout` (ms) in the URL
 * replace `timeoutMs`.
 */
export function createSmtpMailer(
  smtpUrl: string,
  from: string,
  options: { timeoutMs?: number } = {},
): Mailer & { close(): void } {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
  // The URL's own settings win over these (nodemailer merges them so).
  const transport = createTransport({
    url: pooled(smtpUrl),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: message.from ?? from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        messageId: message.messageId,
      });
    },
    close() {
      transport.close();
    },
  };
}

/** `smtpUrl` with nodemailer's `pool=true` unless it says otherwise. */
function pooled(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  if (!url.searchParams.has('pool')) url.searchParams.set('pool', 'true');
  return url.toString();
}
