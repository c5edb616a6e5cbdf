/**
 * A wrong password in DATABASE_URL (PostgreSQL's 28P01, invalid_password), end to end with the
 * real `gatehouse` command on a cluster of the test's own whose roles log in with scram-sha-256
 * passwords (scripts/proof/proof-postgres.ts; the machine's shared cluster trusts every login, so
 * a wrong password never fails there). However long DATABASE_WAIT, `gatehouse api`, `worker`,
 * `migrate` and `npm start` exit 1 at once with one line naming the user and the server, never
 * the password; with the right one they start. A password changed under a running API (rotated, the
 * API not told) answers 500 problem+json with the cause logged, and the API serves again once
 * the password is back: no hang, no crash.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { freePorts } from '../../scripts/proof/ports';
import { proofPostgres, type ProofPostgres } from '../../scripts/proof/proof-postgres';
import { BIN } from '../cli/spawn';
import { TEST_ENV, requireTestEnv } from '../support/env';
import { startProcess, type Exit, type TestProcess } from '../support/processes';
import { uniqueId } from '../support/temporal';

const ROLE = 'gh_pw_app';
const RIGHT = `right-${randomBytes(8).toString('hex')}`;
const WRONG = `wrong-${randomBytes(8).toString('hex')}`;
const ADMIN_TOKEN = `gh_pw_${'p'.repeat(24)}`;
/** Far longer than a start takes: a process that waits it out fails the test. */
const DATABASE_WAIT_MS = 60_000;

let postgres: ProofPostgres | undefined;
/** `npm start`'s API port and its Temporal dev server's two. */
let startPorts: number[];
let dataDir: string;
let api: TestProcess | undefined;

async function asAdmin(sql: string): Promise<void> {
  const client = new Client({
    connectionString: postgres!.adminUrl,
    connectionTimeoutMillis: 5_000,
  });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-pg-password-'));
  const [port, ...others] = await freePorts(22600, 4);
  startPorts = others;
  delete process.env.PROOF_POSTGRES_URL;
  postgres = proofPostgres(port!);
  await asAdmin(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${RIGHT}'`);
  await asAdmin(`CREATE DATABASE ${ROLE} OWNER ${ROLE}`);
}, 60_000);
afterAll(async () => {
  await api?.stop();
  postgres?.stop({ keep: false, logDir: dataDir });
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

type Command = 'api' | 'worker' | 'migrate' | 'npm start';

/**
 * `gatehouse <command>`, or `npm start`'s command (package.json), with DATABASE_URL logging in
 * with `password`.
 */
function gatehouse(command: Command, password: string): TestProcess {
  const { WEBHOOK_URL: _webhook, SMTP_URL: _smtp, ...inherited } = process.env;
  const [port, temporalPort, uiPort] = startPorts.map(String);
  const args = command === 'npm start' ? ['--import', 'tsx', 'scripts/start.ts'] : [BIN, command];
  const name = command === 'npm start' ? command : `gatehouse ${command}`;
  return startProcess(name, process.execPath, args, {
    env: {
      ...inherited,
      DATABASE_URL: `postgres://${ROLE}:${password}@127.0.0.1:${postgres!.port}/${ROLE}`,
      DATABASE_WAIT: `${DATABASE_WAIT_MS / 1000}s`,
      TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
      TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
      TEMPORAL_TASK_QUEUE: uniqueId('pg-password'),
      LOG_LEVEL: 'info',
      // `npm start` listens on PORT as told; `gatehouse api` picks a free port with 0.
      PORT: command === 'npm start' ? port : '0',
      HOST: '127.0.0.1',
      TEMPORAL_PORT: temporalPort,
      TEMPORAL_UI_PORT: uiPort,
      GATEHOUSE_DATA_DIR: path.join(dataDir, 'start'),
      API_METRICS_PORT: '0',
      WORKER_METRICS_PORT: '0',
      GATEHOUSE_ADMIN_TOKEN: ADMIN_TOKEN,
      GATEHOUSE_ADMIN_TOKEN_FILE: path.join(dataDir, 'admin-token'),
    },
  });
}

/** The process's exit, or a failure showing its output when it is still running after `ms`. */
async function exitWithin(run: TestProcess, ms: number): Promise<Exit> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`still running after ${ms} ms\n${run.describe()}`)),
      ms,
    );
  });
  try {
    return await Promise.race([run.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

it('a wrong password: api, worker, migrate and npm start exit 1 at once with one line, never the password', async () => {
  const started = Date.now();
  const refused =
    `the app database at 127.0.0.1:${postgres!.port} refused the login: ` +
    `password authentication failed for user "${ROLE}" (28P01); ` +
    `check the password of user "${ROLE}" in DATABASE_URL`;
  /** Each command's one line on stderr. */
  const lines: Record<Command, string> = {
    api: `gatehouse api: ${refused}`,
    worker: `gatehouse worker: ${refused}`,
    migrate: `gatehouse: ${refused}`,
    // After its dev server is up (and the designer built, when it is not).
    'npm start': `gatehouse: could not start: ${refused}`,
  };
  const commands = Object.keys(lines) as Command[];
  const runs = commands.map((command) => gatehouse(command, WRONG));
  const exits = await Promise.all(runs.map((run) => exitWithin(run, DATABASE_WAIT_MS / 2)));
  // Node starts (and a dev server's) on a busy machine, not DATABASE_WAIT.
  expect(Date.now() - started).toBeLessThan(DATABASE_WAIT_MS / 2);
  runs.forEach((run, i) => {
    const { stdout, stderr } = run.output();
    expect({ command: commands[i], exit: exits[i], stderr }).toEqual({
      command: commands[i],
      exit: { code: 1, signal: null },
      stderr: `${lines[commands[i]!]}\n`,
    });
    // No log line, no wait: npm start's progress lines only.
    if (commands[i] === 'npm start') expect(stdout).toMatch(/stopped after an error\n$/);
    else expect(stdout).toBe('');
    expect(stdout + stderr).not.toContain(WRONG);
  });
}, 45_000);

it('the right password: migrate prepares the database, the worker gets in, the API serves', async () => {
  const migrate = gatehouse('migrate', RIGHT);
  expect(await exitWithin(migrate, 30_000)).toEqual({ code: 0, signal: null });
  expect(migrate.output().stdout).toMatch(/^applied .*; the schema is at /m);

  // The worker logs its bundle's origin once the database answered and its schema is known.
  const worker = gatehouse('worker', RIGHT);
  api = gatehouse('api', RIGHT);
  try {
    await worker.waitForLine(/"msg":"workflow bundle: /, 30_000);
  } finally {
    await worker.stop(2_000);
  }
  const listening = JSON.parse(await api.waitForLine(/"msg":"listening"/, 30_000)) as {
    url: string;
  };
  const ready = await fetch(`${listening.url}/readyz`);
  expect(await ready.json()).toMatchObject({ status: 'ready', database: 'ok' });
  expect((await me(listening.url)).status).toBe(200);
  for (const run of [worker, api]) expect(JSON.stringify(run.output())).not.toContain(RIGHT);
}, 60_000);

it('a password changed under the running API: 500 problem+json, 28P01 logged, served again once it is back', async () => {
  if (!api) throw new Error('the API of the previous test did not start');
  const url = (JSON.parse(await api.waitForLine(/"msg":"listening"/)) as { url: string }).url;
  await asAdmin(`ALTER ROLE ${ROLE} PASSWORD '${WRONG}'`);
  // The pool's idle connections logged in with the old password: cut them, so the next
  // request needs a new login (the change feed's LISTEN connection too).
  await asAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${ROLE}'`);

  // A connection the pool has not yet seen cut (a loaded machine reads the cut late) answers
  // 503, "the database is not answering", as it should: ask again. The first request that
  // needs a new login meets the wrong password.
  let refused = await me(url);
  for (let tries = 1; refused.status === 503 && tries < 40; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    refused = await me(url);
  }
  expect(refused.status).toBe(500);
  expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(await refused.json()).toMatchObject({
    status: 500,
    type: expect.stringMatching(/internal$/),
  });
  // The request's log line names the cause.
  // (The line of that request: one answered 503 before it is logged too.)
  const logged = await api.waitForLine(
    /"msg":"request errored".*"28P01"|"28P01".*"msg":"request errored"/,
    10_000,
  );
  expect(JSON.parse(logged)).toMatchObject({
    level: 'error',
    req: { path: '/api/me' },
    res: { status: 500 },
    err: { code: '28P01', message: `password authentication failed for user "${ROLE}"` },
  });
  const notReady = await fetch(`${url}/readyz`);
  expect(notReady.status).toBe(503);
  expect(await notReady.json()).toMatchObject({ detail: 'database: unreachable, temporal: ok' });

  await asAdmin(`ALTER ROLE ${ROLE} PASSWORD '${RIGHT}'`);
  expect((await me(url)).status).toBe(200);
  const { stdout, stderr } = api.output();
  expect(stdout + stderr).not.toContain(RIGHT);
  expect(stdout + stderr).not.toContain(WRONG);
  expect(await api.stop()).toEqual({ code: 0, signal: null });
}, 60_000);

function me(url: string): Promise<Response> {
  return fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
}
