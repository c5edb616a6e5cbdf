import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { createActivities } from '../../activities';
import { createSmtpMailer, type Mailer } from '../../activities/mailer';
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

  const activities = () => createActivities({ db, mailer, log: quiet });

  it('sends one message to every recipient with an address', async () => {
    const n = notification({ recipients: ['u-ann', 'u-nobody', 'u-ben'] });
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(1);
    const [mail] = sink.received;
    expect(mail?.from).toBe('gatehouse@example.org');
    expect(mail?.to).toEqual(['ann@example.com', 'ben@example.com']);
    expect(mail?.headers.get('subject')).toBe(
      '[Gatehouse] Inception gate: your sign-off is needed',
    );
    expect(mail?.headers.get('to')).toBe('ann@example.com, ben@example.com');
    expect(mail?.headers.get('from')).toBe(FROM);
    expect(mail?.headers.get('message-id')).toMatch(/^<[0-9a-f]{32}@gatehouse>$/);
    expect(mail?.body).toContain('Please review the operational stakeholder map & sign off');
    expect(mail?.body).toContain('project Billing migration');
  });

  it('uses the configured sender over the mailer default', async () => {
    const own = createActivities({ db, mailer, mailFrom: 'pmo@example.org', log: quiet });
    await own.deliverEmail(notification());
    expect(sink.received[0]?.headers.get('from')).toBe('pmo@example.org');
  });

  it('sends a notification once however often the activity runs', async () => {
    const n = notification();
    const { deliverEmail } = activities();
    expect(await deliverEmail(n)).toEqual({ delivered: true });
    expect(await deliverEmail(n)).toEqual({ delivered: false, skipped: 'duplicate' });
    expect(sink.received).toHaveLength(1);
  });

  it('throws a retryable error on a transient SMTP refusal and records nothing', async () => {
    const n = notification();
    sink.rejectRecipients(450);
    const failure = await failureOf(activities().deliverEmail(n));
    expect(failure.message).toMatch(/^e-mail not sent: /);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(await wasDelivered(db, n.key, 'email')).toBe(false);

    sink.rejectRecipients(undefined);
    expect(await activities().deliverEmail(n)).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(1);
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
      expect(await wasDelivered(db, n.key, 'email')).toBe(false);
    } finally {
      down.close();
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
