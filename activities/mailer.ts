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

/** A {@link Mailer} over SMTP, e.g. `smtp://user:pass@mail.example.com:587` or `smtps://…`. */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer & { close(): void } {
  const transport = createTransport(smtpUrl);
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
