import { ApplicationFailure } from '@temporalio/common';
import { simpleParser } from 'mailparser';
import type { Kysely } from 'kysely';
import { createActivities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../activities/mailer';
import { createDelegation, revokeDelegation } from '../../db/delegations';
import { wasDelivered } from '../../db/deliveries';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { failureOf, notification, seedUsers } from './fixtures';

const quiet = { info: () => undefined, warn: () => undefined };
const FROM = 'Gatehouse <gatehouse@example.org>';

describe('deliverEmail', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let sink: SmtpSink;
  let mailer: Mailer & { close(): void };
  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('sqlite')));
    await seedUsers(db);
    sink = await startSmtpSink();
    mailer = createSmtpMailer(sink.url, FROM);
  });
  afterAll(async () => {
    mailer.close();
    await sink.close();
    await close();
  });
  beforeEach(() => {
    sink.received.length = 0;
    sink.rejectRecipients(undefined);
  });

  const PUBLIC_URL = 'https://gatehouse.example.com/';
  const activities = () => createActivities({ db, mailer, publicUrl: PUBLIC_URL, log: quiet });
  const mailTo = (address: string) => sink.received.find((m) => m.to[0] === address);
  /** The body as a mail client shows it (quoted-printable decoded, lines unwrapped). */
  const textOf = async (mail: { raw: string } | undefined) =>
    (await simpleParser(mail!.raw)).text ?? '';

  it('sends each recipient with an address a message of their own, with the link to act', async () => {
    const n = notification({ recipients: ['u-ann', 'u-nobody', 'u-ben'] });
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received.map((m) => m.to)).toEqual([['ann@example.com'], ['ben@example.com']]);
    const ann = mailTo('ann@example.com')!;
    expect(ann.from).toBe('gatehouse@example.org');
    expect(ann.headers.get('to')).toBe('ann@example.com');
    expect(ann.headers.get('from')).toBe(FROM);
    expect(ann.headers.get('subject')).toBe('[Gatehouse] Inception gate: your sign-off is needed');
    expect(ann.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@gatehouse>$/);
    expect(mailTo('ben@example.com')!.headers.get('message-id')).not.toBe(
      ann.headers.get('message-id'),
    );
    const text = await textOf(ann);
    expect(text).toContain('Hello Ann Ops,');
    expect(await textOf(mailTo('ben@example.com'))).toContain('Hello Ben PM,');
    expect(text).toContain('Please review the operational stakeholder map & sign off <today>.');
    expect(text).toContain(
      'Act on it in Gatehouse:\nhttps://gatehouse.example.com/#/projects/p-billing?node=inception\n',
    );
    expect(text).toContain('Gatehouse · project Billing migration');
  });

  it('links to the benefits tab for a KPI review, and carries no link without a public URL', async () => {
    await activities().deliverEmail(notification({ kind: 'kpi-review', recipients: ['u-ann'] }));
    expect(await textOf(sink.received[0])).toContain(
      'Open in Gatehouse:\nhttps://gatehouse.example.com/#/projects/p-billing/benefits\n',
    );
    const plain = createActivities({ db, mailer, log: quiet });
    await plain.deliverEmail(notification({ recipients: ['u-ann'] }));
    const text = await textOf(sink.received[1]);
    expect(text).not.toContain('Gatehouse:');
    expect(text).not.toContain('http');
  });

  it('uses the configured sender over the mailer default', async () => {
    const own = createActivities({ db, mailer, mailFrom: 'pmo@example.org', log: quiet });
    await own.deliverEmail(notification());
    expect(sink.received[0]?.headers.get('from')).toBe('pmo@example.org');
  });

  it('sends whoever stands in for a recipient (out of office) a copy that says so', async () => {
    // Ben stands in for Ann in this project while the notification is raised.
    const n = notification({
      recipients: ['u-ann'],
      subject: 'escalation 1: hypercare not accepted',
    });
    const made = await createDelegation(db, {
      delegatorId: 'u-ann',
      delegateId: 'u-ben',
      projectId: n.projectId,
      startsAt: n.at - 86_400_000,
      endsAt: n.at + 86_400_000,
    });
    expect(made.ok).toBe(true);
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received.map((m) => m.to)).toEqual([['ann@example.com'], ['ben@example.com']]);
    const ben = mailTo('ben@example.com')!;
    expect(ben.headers.get('subject')).toBe(
      '[Gatehouse] escalation 1: hypercare not accepted (for Ann Ops)',
    );
    const text = await textOf(ben);
    expect(text).toContain(
      'Hello Ben PM,\n\nYou stand in for Ann Ops (out of office), who was sent this:',
    );
    expect(text).toContain('https://gatehouse.example.com/#/projects/p-billing?node=inception');
    expect(await textOf(mailTo('ann@example.com'))).not.toContain('stand in');
    // Once each, however often the activity runs; outside the period, no copy.
    expect(await activities().deliverEmail(n)).toEqual({ delivered: false, skipped: 'duplicate' });
    const later = notification({ recipients: ['u-ann'], at: n.at + 2 * 86_400_000 });
    await activities().deliverEmail(later);
    expect(sink.received.map((m) => m.to)).toEqual([
      ['ann@example.com'],
      ['ben@example.com'],
      ['ann@example.com'],
    ]);
    // The other tests send to Ann without a stand-in.
    if (made.ok) await revokeDelegation(db, made.delegation.id, 'u-ann');
  });

  it('sends a notification once per recipient however often the activity runs', async () => {
    const n = notification();
    const { deliverEmail } = activities();
    expect(await deliverEmail(n)).toEqual({ delivered: true });
    expect(await deliverEmail(n)).toEqual({ delivered: false, skipped: 'duplicate' });
    expect(sink.received).toHaveLength(2);
  });

  it('sends the others when the server refuses one recipient for good, and only them', async () => {
    const n = notification();
    sink.rejectRecipients(550, 'ben@example.com');
    const failure = await failureOf(activities().deliverEmail(n));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'MailRejected' });
    expect(failure.message).toMatch(/^1 of 2 refused: e-mail not sent: /);
    expect(sink.received.map((m) => m.to)).toEqual([['ann@example.com']]);
    expect(await wasDelivered(db, `${n.key}:u-ann`, 'email')).toBe(true);
    expect(await wasDelivered(db, `${n.key}:u-ben`, 'email')).toBe(false);
    // Run again (by hand, say, once the address is fixed): Ann is not mailed twice.
    sink.rejectRecipients(undefined);
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received.map((m) => m.to)).toEqual([['ann@example.com'], ['ben@example.com']]);
  });

  it('throws a retryable error on a transient SMTP refusal and records nothing', async () => {
    const n = notification();
    sink.rejectRecipients(450);
    const failure = await failureOf(activities().deliverEmail(n));
    expect(failure.message).toMatch(/^2 of 2 put off: e-mail not sent: /);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(await wasDelivered(db, `${n.key}:u-ann`, 'email')).toBe(false);

    sink.rejectRecipients(undefined);
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(2);
  });

  it('sends the others when the server puts one recipient off for now, and retries only that one', async () => {
    // Ann is first: a greylisted or full mailbox must not hold Ben's e-mail back until it clears.
    const n = notification();
    sink.rejectRecipients(450, 'ann@example.com');
    const failure = await failureOf(activities().deliverEmail(n));
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(failure.message).toMatch(/^1 of 2 put off: e-mail not sent: .*450/);
    expect(sink.received.map((m) => m.to)).toEqual([['ben@example.com']]);
    expect(await wasDelivered(db, `${n.key}:u-ben`, 'email')).toBe(true);
    expect(await wasDelivered(db, `${n.key}:u-ann`, 'email')).toBe(false);
    sink.rejectRecipients(undefined);
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received.map((m) => m.to)).toEqual([['ben@example.com'], ['ann@example.com']]);
  });

  it('gives up on a permanent SMTP refusal', async () => {
    sink.rejectRecipients(550);
    const failure = await failureOf(activities().deliverEmail(notification()));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'MailRejected' });
  });

  it('throws a retryable error when the SMTP server is down', async () => {
    const down = createSmtpMailer('smtp://127.0.0.1:1', FROM);
    try {
      const n = notification();
      const failure = await failureOf(
        createActivities({ db, mailer: down, log: quiet }).deliverEmail(n),
      );
      expect(failure.message).toMatch(/ECONNREFUSED|connect/);
      expect(failure).not.toBeInstanceOf(ApplicationFailure);
      expect(await wasDelivered(db, `${n.key}:u-ann`, 'email')).toBe(false);
    } finally {
      down.close();
    }
  });

  it('gives up an attempt on a server that does not answer in time, retryably', async () => {
    // Waiting as long as nodemailer would (10 min a reply), the attempt outlived the activity's
    // 30 s: the retry sent the message again while this one still waited for its answer.
    const quick = createSmtpMailer(sink.url, FROM, { timeoutMs: 300 });
    try {
      sink.delayReplies(3_000);
      const n = notification({ recipients: ['u-ann'] });
      const started = Date.now();
      const { deliverEmail } = createActivities({ db, mailer: quick, log: quiet });
      const failure = await failureOf(deliverEmail(n));
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(failure).not.toBeInstanceOf(ApplicationFailure);
      expect(failure.message).toMatch(/^e-mail not sent: .*timeout/i);
      expect(await wasDelivered(db, `${n.key}:u-ann`, 'email')).toBe(false);
      // A prompt server is served again, on a fresh connection.
      sink.delayReplies(0);
      expect(await deliverEmail(n)).toEqual({ delivered: true });
    } finally {
      sink.delayReplies(0);
      quick.close();
    }
  });

  it('is skipped without a mailer or without a recipient that has an address', async () => {
    const none = createActivities({ db, log: quiet });
    expect(await none.deliverEmail(notification())).toEqual({
      delivered: false,
      skipped: 'not-configured',
    });
    const nobody = notification({ recipients: ['u-nobody'] });
    expect(await activities().deliverEmail(nobody)).toEqual({
      delivered: false,
      skipped: 'no-recipients',
    });
    expect(sink.received).toHaveLength(0);
  });
});
