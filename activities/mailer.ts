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
 * A {@link Mailer} over SMTP, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…`.
 * Connections are pooled and reused (nodemailer's pool: 5 at most, 100 messages each): a
 * notification to many people, or many at once, does not open a connection per e-mail, which
 * costs time and which mail servers throttle. `?pool=false` in the URL sends each alone.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer & { close(): void } {
  const transport = createTransport(pooled(smtpUrl));
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
