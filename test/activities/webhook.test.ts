import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { createActivities } from '../../activities';
import { createFetchHttp } from '../../activities/http';
import { wasDelivered } from '../../db/deliveries';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { startWebhookSink, type WebhookSink } from '../support/webhook-sink';
import { failureOf, notification, seedUsers } from './fixtures';

const quiet = { info: () => undefined, warn: () => undefined };

describe('deliverWebhook', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let sink: WebhookSink;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('sqlite')));
    await seedUsers(db);
    sink = await startWebhookSink();
  });
  afterAll(async () => {
    await sink.close();
    await close();
  });
  beforeEach(() => {
    sink.received.length = 0;
    sink.respondWith(200);
  });

  const activities = () => createActivities({ db, webhookUrl: sink.url, log: quiet });

  it('POSTs Slack-compatible JSON with the project and the resolved recipients', async () => {
    const n = notification({ recipients: ['u-ann', 'u-nobody'] });
    expect(await activities().deliverWebhook(n)).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(1);
    const [request] = sink.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hook');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe(n.key);
    expect(request?.body).toEqual({
      text:
        '*[Gatehouse] Inception gate: your sign-off is needed*\n' +
        'Please review the operational stakeholder map &amp; sign off &lt;today&gt;.',
      key: n.key,
      kind: 'action-required',
      subject: n.subject,
      project: { id: 'p-billing', name: 'Billing migration' },
      nodeId: 'inception',
      recipients: [
        { id: 'u-ann', name: 'Ann Ops', email: 'ann@example.com' },
        { id: 'u-nobody', name: null, email: null },
      ],
      at: '2030-01-02T09:30:00.000Z',
    });
  });

  it('delivers a notification once however often the activity runs', async () => {
    const n = notification();
    const { deliverWebhook } = activities();
    expect(await deliverWebhook(n)).toEqual({ delivered: true });
    expect(await deliverWebhook(n)).toEqual({ delivered: false, skipped: 'duplicate' });
    expect(sink.received).toHaveLength(1);
  });

  it('throws a retryable error on HTTP 500 and records nothing, then succeeds', async () => {
    const n = notification();
    sink.respondWith(500);
    const failure = await failureOf(activities().deliverWebhook(n));
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect(failure.message).toBe('webhook answered HTTP 500');
    expect(await wasDelivered(db, n.key, 'webhook')).toBe(false);

    sink.respondWith(200);
    expect(await activities().deliverWebhook(n)).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(2);
  });

  it('retries rate limits but not a webhook that rejects the request', async () => {
    sink.respondWith(429);
    const limited = await failureOf(activities().deliverWebhook(notification()));
    expect(limited.message).toBe('webhook answered HTTP 429');
    expect(limited).not.toBeInstanceOf(ApplicationFailure);
    sink.respondWith(404);
    const failure = await failureOf(activities().deliverWebhook(notification()));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'WebhookRejected' });
  });

  it('throws a retryable error when the listener is down or too slow, naming no URL', async () => {
    const down = createActivities({ db, webhookUrl: 'http://127.0.0.1:1/secret', log: quiet });
    const refused = await failureOf(down.deliverWebhook(notification()));
    expect(refused.message).toMatch(/^webhook unreachable: /);
    expect(refused.message).not.toContain('secret');

    sink.respondWith(200, 2_000);
    const slow = createActivities({
      db,
      webhookUrl: sink.url,
      http: createFetchHttp({ timeoutMs: 200 }),
      log: quiet,
    });
    const n = notification();
    await expect(slow.deliverWebhook(n)).rejects.toThrow(/webhook unreachable: .*time/i);
    expect(await wasDelivered(db, n.key, 'webhook')).toBe(false);
  });

  it('is skipped when no webhook is configured', async () => {
    const none = createActivities({ db, log: quiet });
    expect(await none.deliverWebhook(notification())).toEqual({
      delivered: false,
      skipped: 'not-configured',
    });
    expect(sink.received).toHaveLength(0);
  });

  it('refuses an invalid notification for good', async () => {
    const bad = { ...notification(), kind: 'gossip' };
    const { deliverWebhook } = activities();
    // @ts-expect-error payloads cross the wire untyped (e.g. from an older workflow version)
    const failure = await failureOf(deliverWebhook(bad));
    expect(failure).toMatchObject({ nonRetryable: true, type: 'InvalidActivityInput' });
    expect(failure.message).toMatch(/kind/);
    expect(sink.received).toHaveLength(0);
  });
});
