/**
 * Notifications leave the workflow for real receivers: a local HTTP listener as the webhook
 * (Slack-compatible blocks, or a Teams Adaptive Card) and a local SMTP sink for e-mail, one
 * message per recipient, each with the deep link to the step to act on. A channel that fails
 * does not hold up the lifecycle.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { createSmtpMailer } from '../../activities';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { completeStage } from './drive';
import { setupProjects, type Projects } from './harness';

interface Mail {
  to: string[];
  subject: string;
  text: string;
}
const mails: Mail[] = [];
type Hook = {
  text?: string;
  kind?: string;
  link?: string;
  blocks?: { type: string; elements?: { url?: string }[] }[];
  type?: string;
  attachments?: {
    content: { body: { inlines?: { text: string }[] }[]; actions?: { url: string }[] };
  }[];
};
const hooks: Hook[] = [];
const PUBLIC_URL = 'https://gatehouse.example.test';
let failHooks = false;
let http: Server;
let smtp: SMTPServer;
let projects: Projects;
let mailer: ReturnType<typeof createSmtpMailer>;

beforeAll(async () => {
  http = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failHooks) {
        res.writeHead(503).end();
        return;
      }
      hooks.push(JSON.parse(body) as Hook);
      res.writeHead(200).end('ok');
    });
  });
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      // Decoded as a mail client would: subjects and bodies arrive MIME-encoded.
      simpleParser(stream).then(
        (mail) => {
          const to = session.envelope.rcptTo.map((r) => r.address);
          mails.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' });
          done();
        },
        (error: Error) => done(error),
      );
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  mailer = createSmtpMailer(`smtp://127.0.0.1:${smtpPort}`, 'Gatehouse <gatehouse@example.test>');
  projects = await setupProjects({
    mailer,
    webhookUrl: hookUrl(),
    publicUrl: PUBLIC_URL,
  });
});

afterAll(async () => {
  await projects.stop();
  mailer.close();
  // close() alone left a delivery's keep-alive connection open on the listener's side, and
  // it kept the jest worker from exiting.
  http.closeAllConnections();
  await new Promise<void>((r) => http.close(() => r()));
  await new Promise<void>((r) => smtp.close(() => r()));
});

const hookUrl = () => `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`;

async function eventually<T>(probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `never arrived; hooks: ${JSON.stringify(hooks).slice(0, 1500)}; mails: ${JSON.stringify(mails.map((m) => m.subject))}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

it('sends the gate request to the webhook (Slack blocks) and an e-mail to each signer, linked', async () => {
  const project = await projects.start(miniTemplate, miniParticipants, { name: 'Billing revamp' });
  await completeStage(project, miniTemplate, 'plan', 'pat');
  const link = `${PUBLIC_URL}/#/projects/${encodeURIComponent(project.id)}?node=approval`;
  const hook = await eventually(() =>
    hooks.find((h) => h.text?.includes('gate "Plan approval" awaits your sign-off')),
  );
  expect(hook.text).toContain('Billing revamp');
  expect(hook.link).toBe(link);
  expect(hook.blocks?.find((b) => b.type === 'actions')?.elements?.[0]?.url).toBe(link);
  const subject = '[Gatehouse] Billing revamp: gate "Plan approval" awaits your sign-off';
  const sent = await eventually(() => {
    const found = mails.filter((m) => m.subject === subject);
    return found.length === 3 ? found : undefined;
  });
  expect(sent.map((m) => m.to).sort()).toEqual([
    ['olga@example.test'],
    ['omar@example.test'],
    ['pat@example.test'],
  ]);
  for (const mail of sent) {
    expect(mail.text).toContain('2 × Operations lead');
    expect(mail.text).toContain(`Act on it in Gatehouse:\n${link}\n`);
  }
});

it('sends a Teams Adaptive Card with the link when the webhook is a Teams channel', async () => {
  const teams = await setupProjects({
    webhookUrl: hookUrl(),
    webhookFormat: 'teams',
    publicUrl: PUBLIC_URL,
  });
  try {
    const project = await teams.start(miniTemplate, miniParticipants, { name: 'Teams rollout' });
    await completeStage(project, miniTemplate, 'plan', 'pat');
    const card = await eventually(() =>
      hooks.find(
        (h) =>
          h.type === 'message' &&
          h.attachments?.[0]?.content.body[0]?.inlines?.[0]?.text ===
            '[Gatehouse] Teams rollout: gate "Plan approval" awaits your sign-off',
      ),
    );
    expect(card.attachments?.[0]?.content.actions).toEqual([
      expect.objectContaining({
        type: 'Action.OpenUrl',
        url: `${PUBLIC_URL}/#/projects/${encodeURIComponent(project.id)}?node=approval`,
      }),
    ]);
  } finally {
    await teams.stop();
  }
});

it('keeps the lifecycle moving while the webhook fails, and delivers once it recovers', async () => {
  failHooks = true;
  const project = await projects.start(miniTemplate, miniParticipants, { name: 'Outage drill' });
  const moved = await completeStage(project, miniTemplate, 'plan', 'pat');
  expect(moved.current).toEqual(['approval']);
  await eventually(() =>
    mails.find(
      (m) => m.subject === '[Gatehouse] Outage drill: gate "Plan approval" awaits your sign-off',
    ),
  );
  expect(hooks.some((h) => h.text?.includes('Outage drill'))).toBe(false);
  failHooks = false;
  await eventually(() => hooks.find((h) => h.text?.includes('Outage drill')), 30_000);
});
