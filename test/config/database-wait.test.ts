/**
 * `gatehouse api` and `gatehouse worker` started while PostgreSQL is unreachable (the real entry
 * points, as child processes, on a PostgreSQL database of the test's own behind a proxy that
 * refuses, answers "starting up" or forwards: test/support/pg-proxy.ts). They wait, one log
 * line per wait naming the cause, up to DATABASE_WAIT, then exit 1 with one plain line; a
 * refused login waiting cannot cure fails at once with one plain line (a wrong password on a
 * cluster that checks them: test/ops/pg-password.test.ts); SIGTERM ends the wait at once with
 * exit code 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadApiConfig, loadStartConfig, loadWorkerConfig } from '../../config';
import { databaseFactory, openMigrated } from '../support/databases';
import { TEST_ENV, requireTestEnv } from '../support/env';
import { startPgProxy, type PgProxy } from '../support/pg-proxy';
import { startTsEntry, type TestProcess } from '../support/processes';
import { uniqueId } from '../support/temporal';

const ADMIN_TOKEN = `gh_wait_${'w'.repeat(24)}`;

let databaseUrl: string;
let closeDatabase: (() => Promise<void>) | undefined;
let proxy: PgProxy;
let dataDir: string;

beforeAll(async () => {
  ({ url: databaseUrl, close: closeDatabase } = await openMigrated(databaseFactory('postgres')));
  const target = new URL(databaseUrl);
  proxy = await startPgProxy(target.hostname, Number(target.port || 5432));
  dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-wait-'));
});
afterAll(async () => {
  await proxy?.close();
  await closeDatabase?.();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The process's environment: Temporal of the run, the database behind the proxy. */
function env(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { WEBHOOK_URL: _webhook, SMTP_URL: _smtp, ...inherited } = process.env;
  return {
    ...inherited,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
    TEMPORAL_TASK_QUEUE: uniqueId('wait'),
    DATABASE_URL: proxy.url(databaseUrl),
    LOG_LEVEL: 'info',
    ...extra,
  };
}

const startApi = (extra: NodeJS.ProcessEnv = {}): TestProcess =>
  startTsEntry(
    'api',
    'server/main.ts',
    env({
      PORT: '0',
      HOST: '127.0.0.1',
      API_METRICS_PORT: '0',
      GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
      GATEHOUSE_ADMIN_TOKEN_FILE: path.join(dataDir, 'admin-token'),
      ...extra,
    }),
  );
const startWorker = (extra: NodeJS.ProcessEnv = {}): TestProcess =>
  startTsEntry('worker', 'worker/main.ts', env({ WORKER_METRICS_PORT: '0', ...extra }));

const WAITING = /"msg":"waiting for the app database/;
/** The `fatal` line of a process that failed: its message and its error's code. */
const fatal = (process: TestProcess) => {
  const line = process
    .describe()
    .split('\n')
    .find((l) => l.startsWith('{') && l.includes('"level":"fatal"'));
  const parsed = line && (JSON.parse(line) as { msg: string; err: { code?: string } });
  return parsed && { msg: parsed.msg, code: parsed.err.code };
};

/** The wait lines in the tail of the process's output. */
const waits = (process: TestProcess) =>
  process
    .describe()
    .split('\n')
    .filter((line) => line.startsWith('{') && WAITING.test(line))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

it('the API waits while PostgreSQL refuses and then starts up, and serves once it answers', async () => {
  await proxy.refuse();
  const api = startApi();
  try {
    const first = JSON.parse(await api.waitForLine(WAITING, 30_000)) as Record<string, unknown>;
    expect(first).toMatchObject({
      level: 'warn',
      msg: 'waiting for the app database (ECONNREFUSED)',
      reason: 'ECONNREFUSED',
      retryInMs: 500,
      limitMs: 60_000,
    });
    // Backing off: 0.5 s, 1 s, 2 s…
    await api.waitForLine(/"retryInMs":2000/, 10_000);

    // PostgreSQL is up but recovering: it answers every connection 57P03.
    await proxy.startingUp();
    await api.waitForLine(/waiting for the app database \(57P03\)/, 10_000);
    expect(waits(api).at(-1)).toMatchObject({
      reason: '57P03',
      error: 'the database system is starting up',
    });

    await proxy.open();
    const listening = JSON.parse(await api.waitForLine(/"msg":"listening"/, 30_000)) as {
      url: string;
    };
    const me = await fetch(`${listening.url}/api/me`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(me.status).toBe(200);
  } finally {
    expect(await api.stop()).toEqual({ code: 0, signal: null });
  }
}, 90_000);

it('gives up past DATABASE_WAIT with one plain line and exit code 1', async () => {
  await proxy.refuse();
  const started = Date.now();
  const worker = startWorker({ DATABASE_WAIT: '2s' });
  expect(await worker.exited).toEqual({ code: 1, signal: null });
  expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
  const stderr = worker.describe().split('--- stderr (tail) ---\n')[1]!.trim();
  expect(stderr).toMatch(
    /^gatehouse worker: the app database is still unreachable after 2(\.\d)?s \(DATABASE_WAIT=2s\): ECONNREFUSED \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
  );
  expect(waits(worker).length).toBeGreaterThanOrEqual(2);
}, 60_000);

it('waits for a host name that does not resolve yet (compose knows it once PostgreSQL runs)', async () => {
  const unresolved = new URL(databaseUrl);
  unresolved.hostname = 'gatehouse-postgres.invalid'; // RFC 2606: never resolves
  const worker = startWorker({ DATABASE_URL: unresolved.toString(), DATABASE_WAIT: '2s' });
  expect(await worker.exited).toEqual({ code: 1, signal: null });
  expect(waits(worker).length).toBeGreaterThanOrEqual(2);
  expect(waits(worker)[0]).toMatchObject({ reason: 'ENOTFOUND' });
  const stderr = worker.describe().split('--- stderr (tail) ---\n')[1]!.trim();
  expect(stderr).toMatch(
    /^gatehouse worker: the app database is still unreachable after 2(\.\d)?s \(DATABASE_WAIT=2s\): ENOTFOUND \(getaddrinfo ENOTFOUND gatehouse-postgres\.invalid\)$/,
  );
}, 60_000);

it('does not wait with DATABASE_WAIT=0: the first refusal fails the start, as before', async () => {
  await proxy.refuse();
  const worker = startWorker({ DATABASE_WAIT: '0' });
  expect(await worker.exited).toEqual({ code: 1, signal: null });
  expect(waits(worker)).toEqual([]);
  expect(fatal(worker)).toEqual({ msg: 'worker failed', code: 'ECONNREFUSED' });
}, 60_000);

it('fails at once on what waiting cannot cure: a database or a role that does not exist', async () => {
  await proxy.open();
  const missing = new URL(proxy.url(databaseUrl));
  missing.pathname = '/gh_no_such_database';
  const noRole = new URL(proxy.url(databaseUrl));
  noRole.username = 'gh_no_such_role';
  noRole.password = 'wrong';
  const started = Date.now();
  const [api, worker] = [
    startApi({ DATABASE_URL: missing.toString() }),
    startWorker({ DATABASE_URL: noRole.toString() }),
  ];
  expect(await api.exited).toEqual({ code: 1, signal: null });
  expect(await worker.exited).toEqual({ code: 1, signal: null });
  // Two node starts on a busy machine, not a 60 s wait.
  expect(Date.now() - started).toBeLessThan(30_000);
  expect(waits(api)).toEqual([]);
  expect(waits(worker)).toEqual([]);
  // One plain line each, as for a configuration error: what PostgreSQL said and what to check.
  const at = `the app database at 127.0.0.1:${proxy.port} refused the login`;
  expect(api.output().stderr).toBe(
    `gatehouse api: ${at}: database "gh_no_such_database" does not exist (3D000); ` +
      'check the database name in DATABASE_URL\n',
  );
  expect(worker.output().stderr).toBe(
    `gatehouse worker: ${at}: role "gh_no_such_role" does not exist (28000); ` +
      "check the user in DATABASE_URL and the server's pg_hba.conf\n",
  );
  expect(fatal(api)).toBeUndefined();
  expect(fatal(worker)).toBeUndefined();
}, 60_000);

it('stops at once and cleanly on SIGTERM while waiting', async () => {
  await proxy.refuse();
  const worker = startWorker();
  await worker.waitForLine(WAITING, 30_000);
  const signalled = Date.now();
  expect(await worker.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  expect(Date.now() - signalled).toBeLessThan(3_000);
  expect(worker.describe()).toContain('"msg":"stopping: no longer waiting for the app database"');
}, 60_000);

describe('DATABASE_WAIT', () => {
  const loaders = { api: loadApiConfig, worker: loadWorkerConfig, start: loadStartConfig };

  it.each(Object.entries(loaders))('is read by %s: 60 s by default, 0 for none', (_, load) => {
    expect(load({}).DATABASE_WAIT).toBe(60_000);
    expect(load({ DATABASE_WAIT: '0' }).DATABASE_WAIT).toBe(0);
    expect(load({ DATABASE_WAIT: '5m' }).DATABASE_WAIT).toBe(300_000);
    expect(load({ DATABASE_WAIT: ' 90s ' }).DATABASE_WAIT).toBe(90_000);
  });

  it.each(['soon', '-1s', '25h', '10', '1.5s'])('refuses %j with one line naming it', (value) => {
    expect(() => loadWorkerConfig({ DATABASE_WAIT: value })).toThrow(
      new ConfigError(
        `DATABASE_WAIT: expected a duration up to 24h, like 60s or 5m (0: do not wait), got ${JSON.stringify(value.trim())}`,
      ),
    );
  });
});
