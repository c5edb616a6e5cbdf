/**
 * Notifications leave the workflow for real receivers: a local HTTP listener as the webhook
 * and a local SMTP sink for e-mail. A channel that fails does not hold up the lifecycle.
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
const hooks: { text: string; kind: string }[] = [];
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
      hooks.push(JSON.parse(body) as { text: string; kind: string });
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
    webhookUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/hook`,
  });
});

afterAll(async () => {
  await projects.stop();
  mailer.close();
  http.close();
  await new Promise<void>((r) => smtp.close(() => r()));
});

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

it('sends the gate request to the webhook (Slack text) and by e-mail to the signers', async () => {
  const project = await projects.start(miniTemplate, miniParticipants, { name: 'Billing revamp' });
  await completeStage(project, miniTemplate, 'plan', 'pat');
  const hook = await eventually(() =>
    hooks.find((h) => h.text.includes('gate "Plan approval" awaits your sign-off')),
  );
  expect(hook.text).toContain('Billing revamp');
  const mail = await eventually(() =>
    mails.find((m) => m.subject.includes('awaits your sign-off')),
  );
  expect(mail.to.sort()).toEqual(['olga@example.test', 'omar@example.test', 'pat@example.test']);
  expect(mail.subject).toBe(
    '[Gatehouse] Billing revamp: gate "Plan approval" awaits your sign-off',
  );
  expect(mail.text).toContain('2 × Operations lead');
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
  expect(hooks.some((h) => h.text.includes('Outage drill'))).toBe(false);
  failHooks = false;
  await eventually(() => hooks.find((h) => h.text.includes('Outage drill')), 30_000);
});
