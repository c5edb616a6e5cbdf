/**
 * PostgreSQL restarting under a running `gatehouse api` and `gatehouse worker` (the real entry
 * points, as child processes, on a database of the test's own behind a proxy:
 * test/support/pg-proxy.ts). Both start while it refuses and come up once it answers; then
 * every connection is cut, new ones are refused and then answered "starting up" for a few
 * seconds, as in a restart. Meanwhile the API's /readyz and the worker's /healthz say the
 * database is unreachable; afterwards they say ok, requests are served again, and an event
 * stream opened before the restart delivers both the change another process made while the
 * API's change feed was away and a change made after it (the feed listens again, every stream
 * re-reads, the worker writes again), without restarting either process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import {
  createToken,
  getProjectState,
  insertUser,
  upsertProjectSnapshot,
  type Database,
} from '../../db';
import { databaseFactory, openMigrated } from '../support/databases';
import { TEST_ENV, requireTestEnv } from '../support/env';
import { freePort } from '../support/outages';
import { startPgProxy, type PgProxy } from '../support/pg-proxy';
import { startTsEntry, type TestProcess } from '../support/processes';
import { uniqueId } from '../support/temporal';
import { eventually } from '../server/drive-http';
import { SseStream } from '../server/sse-client';

const SEATS: Record<string, string[]> = {
  pm: ['pat'],
  'ops-lead': ['olga'],
  'ops-manager': ['mona'],
  support: ['sue'],
  steering: ['stan'],
};
const WAITING = /"msg":"waiting for the app database \(ECONNREFUSED\)"/;

let db: Kysely<Database>;
let closeDatabase: (() => Promise<void>) | undefined;
let proxy: PgProxy;
let dataDir: string;
let worker: TestProcess;
let api: TestProcess;
let workerPort: number;
let baseUrl: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  let url: string;
  ({ db, url, close: closeDatabase } = await openMigrated(databaseFactory('postgres')));
  for (const id of ['pmo', ...Object.values(SEATS).flat()]) {
    await insertUser(db, { id, name: id, email: `${id}@example.test`, pmo: id === 'pmo' });
    tokens[id] = (await createToken(db, id)).token;
  }
  const target = new URL(url);
  proxy = await startPgProxy(target.hostname, Number(target.port || 5432));
  dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-restart-'));
  workerPort = await freePort();
  const { WEBHOOK_URL: _webhook, SMTP_URL: _smtp, ...inherited } = process.env;
  const env = {
    ...inherited,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
    TEMPORAL_TASK_QUEUE: uniqueId('restart'),
    DATABASE_URL: proxy.url(url),
    LOG_LEVEL: 'info',
  };
  // Both start while nothing listens where PostgreSQL should be.
  worker = startTsEntry('worker', 'worker/main.ts', {
    ...env,
    WORKER_METRICS_PORT: String(workerPort),
  });
  api = startTsEntry('api', 'server/main.ts', {
    ...env,
    PORT: '0',
    HOST: '127.0.0.1',
    API_METRICS_PORT: '0',
    GATEHOUSE_ADMIN_TOKEN: `gh_restart_${'r'.repeat(24)}`,
    GATEHOUSE_ADMIN_TOKEN_FILE: path.join(dataDir, 'admin-token'),
  });
}, 60_000);
afterAll(async () => {
  await Promise.all([api?.stop(), worker?.stop()]);
  await proxy?.close();
  await closeDatabase?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function ready() {
  const response = await fetch(`${baseUrl}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function workerHealth() {
  const response = await fetch(`http://127.0.0.1:${workerPort}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function call(method: string, url: string, token: string, body?: unknown) {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The next `state` event of `stream` whose data contains `text`, within `timeoutMs`. */
async function stateWith(stream: SseStream, text: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = await stream.next(Math.max(1, deadline - Date.now()));
    if (!event) return undefined;
    if (event.event === 'state' && event.data.includes(text)) return event;
  }
}

it('waits at start while PostgreSQL refuses, and comes up once it answers', async () => {
  await worker.waitForLine(WAITING, 60_000);
  await api.waitForLine(WAITING, 60_000);
  await proxy.open();
  const listening = JSON.parse(await api.waitForLine(/"msg":"listening"/, 60_000)) as {
    url: string;
  };
  baseUrl = listening.url;
  await worker.waitForLine(/"msg":"worker running"/, 120_000);
  expect(await workerHealth()).toMatchObject({ status: 200, body: { database: 'ok' } });
  expect(await ready()).toMatchObject({ status: 200, body: { database: 'ok' } });
}, 180_000);

it('rides out a restart: health says so, then requests, the worker and a live stream go on', async () => {
  const started = await call('POST', '/api/projects', tokens.pmo!, {
    name: 'Across a restart',
    template: 'ops-integrated-delivery',
    participants: SEATS,
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const stream = await SseStream.open(`${baseUrl}/api/projects/${id}/events`, {
    authorization: `Bearer ${tokens.pat}`,
  });
  try {
    expect(stream.status).toBe(200);
    await rideOut(id, stream);
  } finally {
    // Before the processes stop (test/support/processes.ts stops them after the file).
    await stream.close();
  }
}, 180_000);

async function rideOut(id: string, stream: SseStream): Promise<void> {
  // The worker's own first writes come as states too: wait until they are told.
  expect((await stream.next(10_000))?.event).toBe('state');
  while (await stream.next(1_500));

  // The restart: every connection cut, then refused, then "starting up".
  await proxy.refuse();
  proxy.cut();
  const down = await eventually('readyz 503', ready, (r) => r.status === 503, 15_000);
  expect(down.body).toMatchObject({ detail: 'database: unreachable, temporal: ok' });
  const sick = await eventually('worker unhealthy', workerHealth, (r) => r.status === 503, 15_000);
  expect(sick.body).toMatchObject({ database: 'unreachable', temporal: 'ok', worker: 'ok' });
  expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200); // alive all along
  // The pooled connections cut: expected, one warn line each, not an error with its stack.
  for (const process_ of [api, worker]) {
    const lost = await process_.waitForLine(/"msg":"idle database connection lost/, 5_000);
    expect(JSON.parse(lost)).toMatchObject({ level: 'warn', reason: 'Connection terminated' });
    await expect(process_.waitForLine(/"msg":"database connection error"/, 100)).rejects.toThrow();
  }
  // Another process writes while this API's change feed is away (its notification is lost):
  // a state far ahead, so that the worker's next one (of its own attempt) replaces it.
  const stored = (await getProjectState(db, id))!;
  const away = {
    ...stored,
    name: 'Renamed while away',
    seq: stored.seq + 100,
    updatedAt: Date.now(),
  };
  expect(await upsertProjectSnapshot(db, away)).toBe(true);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  await proxy.startingUp();
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  expect((await ready()).status).toBe(503);
  await proxy.open();

  await eventually('readyz 200', ready, (r) => r.status === 200, 30_000);
  await eventually('worker healthy', workerHealth, (r) => r.status === 200, 30_000);
  expect(stream.done).toBe(false);
  // The feed listens again and every stream re-reads: the missed write arrives by itself.
  expect(await stateWith(stream, 'Renamed while away', 15_000)).toMatchObject({
    id: String(away.seq),
  });

  // A change after the restart: olga holds the first gate (the API, Temporal, the worker's
  // record write and its notification), and the stream opened before it shows it.
  const held = await eventually(
    'the hold accepted',
    () =>
      call('POST', `/api/projects/${id}/nodes/inception/signoffs`, tokens.olga!, {
        decision: 'hold',
        comment: 'after the restart',
        idempotencyKey: 'hold-after-restart',
      }),
    (r) => r.status !== 503,
    30_000,
  );
  expect(held.status).toBe(200);
  expect(await stateWith(stream, 'after the restart', 20_000)).toMatchObject({ event: 'state' });
  // Neither process restarted.
  for (const process_ of [api, worker]) {
    expect(process_.describe()).toContain('running');
    expect(process_.describe()).not.toMatch(/"level":"fatal"/);
  }
}
