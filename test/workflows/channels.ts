/**
 * Projects on a real server whose notifications leave by the real channels, registered in the
 * calling file: e-mail to a local SMTP sink, webhooks to a local listener (the in-app inbox is
 * in `projects.db`); and what the tests of those channels wait for.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import { createSmtpMailer } from '../../activities';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startWebhookSink, type WebhookSink } from '../support/webhook-sink';
import { setupProjects, type Projects } from './harness';

export interface ChannelStack {
  readonly projects: Projects;
  readonly hook: WebhookSink;
  readonly smtp: SmtpSink;
  /** The first e-mail taken for `address` whose subject has `subject`, parsed (for `eventually`). */
  mailTo(address: string, subject: string): () => Promise<ParsedMail | undefined>;
}

/** `publicUrl` is what links in messages start with (none without it). */
export function channelStack(options: { publicUrl?: string } = {}): ChannelStack {
  // Filled in before the tests run, as a file's `let` variables would be: read it in tests.
  const stack: Partial<ChannelStack> = {
    mailTo: (address, subject) => async () => {
      for (const received of stack.smtp!.received.filter((m) => m.to[0] === address)) {
        const mail = await simpleParser(received.raw);
        if (mail.subject?.includes(subject)) return mail;
      }
      return undefined;
    },
  };
  beforeAll(async () => {
    const hook = await startWebhookSink();
    const smtp = await startSmtpSink();
    Object.assign(stack, { hook, smtp });
    const projects = await setupProjects({
      mailer: createSmtpMailer(smtp.url, 'Gatehouse <gatehouse@example.test>'),
      webhookUrl: hook.url,
      ...options,
    });
    Object.assign(stack, { projects });
  });
  afterAll(async () => {
    await stack.projects?.stop();
    await stack.hook?.close();
    await stack.smtp?.close();
  });
  return stack as ChannelStack;
}

/** Waits until `found` holds (the channels deliver after the workflow moved on). */
export async function eventually<T>(
  what: string,
  found: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  for (let i = 0; i < 150; i++) {
    const value = await found();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never arrived: ${what}`);
}
