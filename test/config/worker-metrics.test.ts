/**
 * The worker process (`gatehouse worker`'s entry) observed from outside: its /metrics on
 * WORKER_METRICS_PORT serves its own notification metrics and the Temporal SDK's worker
 * metrics in one page; its logs are JSON lines, activity lines carrying the project id; and
 * SIGTERM drains it to exit code 0. Its webhooks are signed with WEBHOOK_SECRET, which it never logs.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { insertUser, type Database } from '../../db';
import { PROJECT_WORKFLOW, projectWorkflowId } from '../../workflows/messages';
import type { projectLifecycle } from '../../workflows';
import { INPUT_REVISION } from '../../workflows/model';
import { shortTemplate } from '../fixtures/short-template';
import { databaseFactory, openMigrated } from '../support/databases';
import { startWorkerProcess, type TestProcess } from '../support/processes';
import { connectTestTemporal, uniqueId } from '../support/temporal';
import { startWebhookSink, type WebhookSink } from '../support/webhook-sink';
import { builtinParticipants as people } from '../workflows/drive';
import { freeLoopbackPort as freePort } from '../../worker/runtime';

const PMO = 'pmo-1';
const taskQueue = uniqueId('metrics');

let db: Kysely<Database>;
let databaseUrl: string;
let closeDatabase: (() => Promise<void>) | undefined;
let webhook: WebhookSink;
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
let worker: TestProcess | undefined;

beforeAll(async () => {
  ({ db, url: databaseUrl, close: closeDatabase } = await openMigrated(databaseFactory('sqlite')));
  for (const id of [PMO, ...Object.values(people).flat()]) {
    await insertUser(db, { id, name: id, email: `${id}@example.test`, pmo: id === PMO });
  }
  webhook = await startWebhookSink();
});
afterAll(async () => {
  await worker?.stop();
  await webhook?.close();
  await closeDatabase?.();
});

it('serves notification and Temporal SDK metrics, logs JSON with project ids, drains on SIGTERM', async () => {
  const port = await freePort();
  worker = await startWorkerProcess({
    taskQueue,
    databaseUrl,
    env: {
      WORKER_METRICS_PORT: String(port),
      WEBHOOK_URL: webhook.url,
      WEBHOOK_SECRET: SECRET,
      LOG_LEVEL: 'info',
    },
  });
  const running = await worker.waitForLine(/"msg":"worker running"/);
  expect(JSON.parse(running)).toMatchObject({ taskQueue, metricsPort: port });

  // Entering the first gate notifies its signers: inbox and webhook.
  const projectId = await startProject();
  const page = await eventually(
    () => scrape(port),
    (text) =>
      sample(text, 'gatehouse_notifications_total', { channel: 'webhook', result: 'delivered' }) >=
        1 &&
      sample(text, 'gatehouse_notifications_total', { channel: 'inbox', result: 'delivered' }) >= 1,
  );
  expect(page).toMatch(/^gatehouse_notifications_duration_seconds_count\{channel="webhook"/m);
  expect(
    sample(page, 'gatehouse_notifications_total', { channel: 'email', result: 'failed' }),
  ).toBe(0);
  // The SDK's own series, appended from its loopback exporter.
  expect(page).toMatch(/^temporal_\w+/m);
  expect(page).toMatch(/^temporal_worker_task_slots_available\{/m);
  expect(page).not.toMatch(/Temporal SDK metrics unavailable/);
  // Anything but GET /metrics is not found.
  expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);

  const delivered = await worker.waitForLine(/"msg":"webhook delivered"/);
  expect(JSON.parse(delivered)).toMatchObject({
    level: 'info',
    name: 'gatehouse-worker',
    projectId,
    workflowId: projectWorkflowId(projectId),
  });

  // WEBHOOK_SECRET reached the activity: the POST is signed under it (never logged).
  const [request] = webhook.received;
  const headers = Object.fromEntries(
    ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [
      h,
      String(request?.headers[h]),
    ]),
  );
  expect(new Webhook(SECRET).verify(request!.raw, headers)).toEqual(request?.body);

  expect(await worker.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  await worker.waitForLine(/"msg":"worker stopped"/, 1_000);
  const { stdout, stderr } = worker.output();
  expect(stdout + stderr).not.toContain(SECRET.slice('whsec_'.length));
});

async function startProject(): Promise<string> {
  const { client } = await connectTestTemporal();
  const id = uniqueId('p');
  await client.workflow.start<typeof projectLifecycle>(PROJECT_WORKFLOW, {
    taskQueue,
    workflowId: projectWorkflowId(id),
    args: [
      {
        projectId: id,
        name: 'Observed rollout',
        template: shortTemplate(),
        version: 1,
        participants: people,
        startedBy: PMO,
        rev: INPUT_REVISION,
      },
    ],
  });
  return id;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

/** The value of one series of `name` with exactly these labels; 0 when absent. */
function sample(page: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const line = page.split('\n').find((l) => l.startsWith(`${name}{${wanted}} `));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

async function eventually<T>(get: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await get();
  for (let i = 0; i < 150 && !done(value); i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    value = await get();
  }
  if (!done(value)) throw new Error(`not reached in 30 s; last value:\n${String(value)}`);
  return value;
}
