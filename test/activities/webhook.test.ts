import { createHmac, randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { createActivities } from '../../activities';
import { createFetchHttp } from '../../activities/http';
import { wasDelivered } from '../../db/deliveries';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { startWebhookSink, type ReceivedRequest, type WebhookSink } from '../support/webhook-sink';
import { failureOf, notification, seedUsers } from './fixtures';

const quiet = { info: () => undefined, warn: () => undefined };

const secretOf = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;
const SECRET = secretOf(32);

/** A paragraph of a Teams card as sent: text runs, which Teams shows as written. */
const rich = (...runs: { text: string; weight?: string; size?: string }[]) => ({
  type: 'RichTextBlock',
  inlines: runs.map((run) => ({ type: 'TextRun', ...run })),
});

type Headers = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

/** The signature headers a receiver reads, as strings. */
function signed(request: ReceivedRequest | undefined): Headers {
  const header = (name: string) => String(request?.headers[name] ?? '');
  return {
    'webhook-id': header('webhook-id'),
    'webhook-timestamp': header('webhook-timestamp'),
    'webhook-signature': header('webhook-signature'),
  };
}

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

  const PUBLIC_URL = 'https://gatehouse.example.com';
  const LINK = 'https://gatehouse.example.com/#/projects/p-billing?node=inception';
  const activities = () =>
    createActivities({ db, webhookUrl: sink.url, publicUrl: PUBLIC_URL, log: quiet });

  it('POSTs Slack blocks with a button to the step, `text` as the fallback', async () => {
    const n = notification({ recipients: ['u-ann', 'u-nobody'] });
    expect(await activities().deliverWebhook(n)).toEqual({ delivered: true });
    expect(sink.received).toHaveLength(1);
    const [request] = sink.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hook');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe(n.key);
    // Without WEBHOOK_SECRET nothing is signed.
    expect(request?.headers['webhook-signature']).toBeUndefined();
    const message =
      '*[Gatehouse] Inception gate: your sign-off is needed*\n' +
      'Please review the operational stakeholder map &amp; sign off &lt;today&gt;.';
    expect(request?.body).toEqual({
      text: `${message}\n<${LINK}|Act on it in Gatehouse>`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: message } },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'Project *Billing migration* · action-required' }],
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Act on it in Gatehouse' },
              url: LINK,
              style: 'primary',
            },
          ],
        },
      ],
      key: n.key,
      kind: 'action-required',
      subject: n.subject,
      project: { id: 'p-billing', name: 'Billing migration' },
      nodeId: 'inception',
      recipients: [
        { id: 'u-ann', name: 'Ann Ops', email: 'ann@example.com' },
        { id: 'u-nobody', name: null, email: null },
      ],
      link: LINK,
      at: '2030-01-02T09:30:00.000Z',
    });
  });

  it('POSTs a Teams Adaptive Card with the link as its action when asked to', async () => {
    const teams = createActivities({
      db,
      webhookUrl: sink.url,
      webhookFormat: 'teams',
      publicUrl: PUBLIC_URL,
      log: quiet,
    });
    const n = notification({ kind: 'escalation' });
    expect(await teams.deliverWebhook(n)).toEqual({ delivered: true });
    const [request] = sink.received;
    expect(request?.headers['idempotency-key']).toBe(n.key);
    expect(request?.body).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              rich({
                text: '[Gatehouse] Inception gate: your sign-off is needed',
                weight: 'Bolder',
                size: 'Medium',
              }),
              rich({ text: 'Please review the operational stakeholder map & sign off <today>.' }),
              rich({ text: 'Project: ', weight: 'Bolder' }, { text: 'Billing migration' }),
              rich({ text: 'Kind: ', weight: 'Bolder' }, { text: 'escalation' }),
              rich({ text: 'When: ', weight: 'Bolder' }, { text: 'Wed 2 Jan 2030, 09:30 UTC' }),
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open in Gatehouse', url: LINK }],
          },
        },
      ],
    });
  });

  it('puts names and texts in a Teams card where no Markdown is read (no link smuggled in)', async () => {
    const teams = createActivities({
      db,
      webhookUrl: sink.url,
      webhookFormat: 'teams',
      log: quiet,
    });
    const name = '[Sign here](https://evil.example)';
    await teams.deliverWebhook(
      notification({ projectName: name, subject: `**${name}**`, text: `_${name}_` }),
    );
    const card = JSON.stringify(sink.received[0]?.body);
    // Only runs of text: a TextBlock, a FactSet (Fact.value) or an action would read Markdown.
    const types = [...card.matchAll(/"type":"([A-Za-z.]+)"/g)].map((m) => m[1]);
    expect(new Set(types)).toEqual(
      new Set(['message', 'AdaptiveCard', 'RichTextBlock', 'TextRun']),
    );
    expect(card).toContain(JSON.stringify(`[Gatehouse] **${name}**`));
    expect(card).toContain(JSON.stringify(`_${name}_`));
    expect(card).toContain(JSON.stringify(name));
  });

  it('carries no link without a public URL (Slack: no button; Teams: no action)', async () => {
    const slack = createActivities({ db, webhookUrl: sink.url, log: quiet });
    await slack.deliverWebhook(notification());
    const body = sink.received[0]?.body as {
      blocks: { type: string }[];
      link: unknown;
      text: string;
    };
    expect(body.blocks.map((b) => b.type)).toEqual(['section', 'context']);
    expect(body.link).toBeNull();
    expect(body.text).not.toContain('http');
    const teams = createActivities({
      db,
      webhookUrl: sink.url,
      webhookFormat: 'teams',
      log: quiet,
    });
    await teams.deliverWebhook(notification());
    expect(JSON.stringify(sink.received[1]?.body)).not.toContain('Action.OpenUrl');
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

  it("clips a long message to Slack's 3000 characters, never inside a character or an escape", async () => {
    // After the 16 characters of "*[Gatehouse] S*\n", the cut (at 2999, before the "…") falls
    // between the two UTF-16 units of the first emoji in one message, and inside the "&amp;" of
    // the first escaped "&" in the other.
    const long = (text: string) => notification({ subject: 'S', text });
    await activities().deliverWebhook(long('a'.repeat(2982) + '😀'.repeat(100)));
    await activities().deliverWebhook(long('a'.repeat(2980) + '&'.repeat(100)));
    const [emoji, amp] = sink.received.map(
      (r) => (r.body as { blocks: [{ text: { text: string } }] }).blocks[0].text.text,
    ) as [string, string];
    // A lone surrogate is not text: JSON carries it as an escape a receiver cannot decode.
    expect(sink.received[0]?.raw).not.toMatch(/\\ud[89ab]/i);
    expect(emoji).toMatch(/a…$/);
    expect(amp).toMatch(/a…$/);
    for (const text of [emoji, amp]) expect(text.length).toBeLessThanOrEqual(3000);
  });

  it.each([302, 307])(
    'does not follow a redirect (HTTP %i): nothing reached the webhook, so nothing is recorded',
    async (status) => {
      // Followed, a 302 turns the POST into a GET of the new place (a login page answering 200
      // passed for delivered) and a 307 sends the signed body on to wherever it points.
      const elsewhere = await startWebhookSink();
      try {
        sink.respondWith(status, 0, { location: elsewhere.url });
        const n = notification();
        const failure = await failureOf(signing().deliverWebhook(n));
        expect(failure.message).toBe(`webhook answered HTTP ${status}`);
        expect(sink.received).toHaveLength(1);
        expect(elsewhere.received).toHaveLength(0);
        expect(await wasDelivered(db, n.key, 'webhook')).toBe(false);
      } finally {
        await elsewhere.close();
      }
    },
  );

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

  // WEBHOOK_SECRET: checked at the listener as a receiver checks it, with the Standard Webhooks
  // library and by computing the HMAC from the specification's words.
  const signing = () =>
    createActivities({ db, webhookUrl: sink.url, webhookSecret: SECRET, log: quiet });

  it('signs each POST as Standard Webhooks says, verifiable by its library and by hand', async () => {
    const n = notification();
    const before = Math.floor(Date.now() / 1000);
    expect(await signing().deliverWebhook(n)).toEqual({ delivered: true });
    const [request] = sink.received;
    const headers = signed(request);
    expect(headers['webhook-id']).toBe(n.key);
    expect(request?.headers['idempotency-key']).toBe(n.key);
    const timestamp = Number(headers['webhook-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));

    // The specification's library verifies it and hands back the body the sink parsed.
    expect(new Webhook(SECRET).verify(request!.raw, headers)).toEqual(request?.body);
    // By hand: `v1,` and the base64 HMAC-SHA256 of "id.timestamp.body" under the key.
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${n.key}.${timestamp}.${request!.raw}`)
      .digest('base64');
    expect(headers['webhook-signature']).toBe(`v1,${mac}`);

    // An altered body, or a receiver holding another secret, does not verify.
    const altered = request!.raw.replace('Billing migration', 'Billing migratioN');
    expect(altered).not.toBe(request!.raw);
    expect(() => new Webhook(SECRET).verify(altered, headers)).toThrow(/signature/);
    expect(() => new Webhook(secretOf(32)).verify(request!.raw, headers)).toThrow(/signature/);
  });

  it('signs a retry afresh, under the same id', async () => {
    const n = notification({ key: 'n-retried' });
    sink.respondWith(503);
    await expect(signing().deliverWebhook(n)).rejects.toThrow(/HTTP 503/);
    sink.respondWith(200);
    // A second later, so the retry's timestamp (whole seconds) differs.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await signing().deliverWebhook(n)).toEqual({ delivered: true });
    const [first, retry] = sink.received.map(signed) as [Headers, Headers];
    expect(retry['webhook-id']).toBe(first['webhook-id']);
    expect(retry['webhook-timestamp']).not.toBe(first['webhook-timestamp']);
    for (const [i, headers] of [first, retry].entries()) {
      expect(new Webhook(SECRET).verify(sink.received[i]!.raw, headers)).toBeDefined();
    }
    // The first attempt's signature does not pass for the retry's timestamp.
    const replayed = { ...retry, 'webhook-signature': first['webhook-signature'] };
    expect(() => new Webhook(SECRET).verify(sink.received[1]!.raw, replayed)).toThrow(/signature/);
  });
});
