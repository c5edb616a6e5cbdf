/**
 * The activities run as Temporal activities (MockActivityEnvironment: activity context,
 * logger, cancellation signal; no server), so the worker can register them as they are.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { createActivities, createSmtpMailer } from '../../activities';
import { listAudit } from '../../db/audit';
import { wasDelivered } from '../../db/deliveries';
import { listInbox } from '../../db/inbox';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startWebhookSink, type WebhookSink } from '../support/webhook-sink';
import { failureOf, notification, seedUsers } from './fixtures';

describe('activities inside MockActivityEnvironment', () => {
  const logged: LogEntry[] = [];
  // The activity context's logger (what the worker's Runtime logger receives).
  const logger = new DefaultLogger('INFO', (entry) => logged.push(entry));
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let smtp: SmtpSink;
  let hook: WebhookSink;
  let mailer: ReturnType<typeof createSmtpMailer>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('sqlite')));
    await seedUsers(db);
    [smtp, hook] = await Promise.all([startSmtpSink(), startWebhookSink()]);
    mailer = createSmtpMailer(smtp.url, 'gatehouse@example.org');
  });
  afterAll(async () => {
    mailer.close();
    await Promise.all([smtp.close(), hook.close()]);
    await close();
  });

  it('delivers on every channel and records the audit trail', async () => {
    // No injected logger: the activities use the activity context's logger.
    const acts = createActivities({ db, mailer, webhookUrl: hook.url });
    const env = new MockActivityEnvironment({ attempt: 1 }, { logger });
    const n = notification({ kind: 'celebration', subject: 'Inception gate passed' });

    await env.run(acts.deliverInbox, n);
    expect(await env.run(acts.deliverWebhook, n)).toEqual({ delivered: true });
    expect(await env.run(acts.deliverEmail, n)).toEqual({ delivered: true });
    await env.run(acts.recordAudit, [
      { projectId: n.projectId, seq: 0, at: n.at, actor: 'u-ann', action: 'gate-passed' },
    ]);

    expect((await listInbox(db, 'u-ben')).items.map((item) => item.key)).toEqual([n.key]);
    expect(hook.received).toHaveLength(1);
    const { text } = z.object({ text: z.string() }).parse(hook.received[0]?.body);
    expect(text).toMatch(/^\*\[Gatehouse\] Inception gate passed\*\nPlease review/);
    // One e-mail per recipient (Ann and Ben).
    expect(smtp.received.map((mail) => [mail.to, mail.headers.get('subject')])).toEqual([
      [['ann@example.com'], '[Gatehouse] Inception gate passed'],
      [['ben@example.com'], '[Gatehouse] Inception gate passed'],
    ]);
    expect(await listAudit(db, n.projectId)).toHaveLength(1);
    expect(logged.map((entry) => entry.message)).toEqual(
      expect.arrayContaining(['webhook delivered', 'e-mail delivered']),
    );

    // A retried attempt (same key) sends nothing again.
    const retry = new MockActivityEnvironment({ attempt: 2 }, { logger });
    expect(await retry.run(acts.deliverWebhook, n)).toEqual({
      delivered: false,
      skipped: 'duplicate',
    });
    expect(await retry.run(acts.deliverEmail, n)).toEqual({
      delivered: false,
      skipped: 'duplicate',
    });
  });

  it('surfaces a non-retryable failure as an ApplicationFailure', async () => {
    const acts = createActivities({ db, webhookUrl: hook.url });
    const env = new MockActivityEnvironment({}, { logger });
    hook.respondWith(410);
    const failure = await failureOf(env.run(acts.deliverWebhook, notification()));
    hook.respondWith(200);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'WebhookRejected' });
  });

  it('ends as cancelled, promptly, when a hanging webhook call is cancelled', async () => {
    const acts = createActivities({ db, webhookUrl: hook.url });
    const env = new MockActivityEnvironment({}, { logger });
    hook.respondWith(200, 5_000);
    const n = notification();
    const running = failureOf(env.run(acts.deliverWebhook, n));
    setTimeout(() => env.cancel(), 100);
    const started = Date.now();
    expect(await running).toBeInstanceOf(CancelledFailure);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await wasDelivered(db, n.key, 'webhook')).toBe(false);
    hook.respondWith(200);
  });
});
