/**
 * The worker's health check, exactly as docker-compose.yml runs it in the container (its
 * `healthcheck.test`, taken from `docker-compose config`), against a real worker process: it
 * passes while the worker polls, fails once the worker has lost Temporal (its polls would fail
 * quietly: a process that is merely alive is not healthy), and passes again when Temporal is
 * back, without restarting the worker.
 */
import { spawnSync } from 'node:child_process';
import { databaseFactory, openMigrated } from '../support/databases';
import { freePort, startOwnTemporal, type OwnTemporal } from '../support/outages';
import { startWorkerProcess, type TestProcess } from '../support/processes';
import { uniqueId } from '../support/temporal';
import { eventually } from '../server/drive-http';
import { COMPOSE_SECRETS, composeConfig } from './compose-config';

let temporal: OwnTemporal;
let closeDatabase: (() => Promise<void>) | undefined;
let worker: TestProcess;
let healthCommand: string[];
let port: number;

beforeAll(async () => {
  const test = composeConfig(COMPOSE_SECRETS).services['gatehouse-worker']?.healthcheck?.test;
  if (!Array.isArray(test) || test[0] !== 'CMD')
    throw new Error(`unexpected check ${String(test)}`);
  healthCommand = test.slice(1);
  temporal = await startOwnTemporal();
  const database = await openMigrated(databaseFactory('sqlite'));
  closeDatabase = database.close;
  port = await freePort();
  worker = await startWorkerProcess({
    taskQueue: uniqueId('health'),
    databaseUrl: database.url,
    env: {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      WORKER_METRICS_PORT: String(port),
    },
  });
}, 180_000);
afterAll(async () => {
  await worker?.stop();
  await closeDatabase?.();
});

/** Runs the compose health check as Docker would in the worker's container (same env). */
function check(): { healthy: boolean; output: string } {
  const [command, ...args] = healthCommand;
  const result = spawnSync(command === 'node' ? process.execPath : command!, args, {
    env: { ...process.env, WORKER_METRICS_PORT: String(port) },
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { healthy: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

async function report() {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/healthz`);
  } catch (error) {
    throw new Error(`GET /healthz failed: ${String(error)}\n${worker.describe()}`);
  }
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

it('passes while the worker polls, fails once it has lost Temporal, passes again when it is back', async () => {
  expect(check()).toEqual({ healthy: true, output: '' });
  expect(await report()).toEqual({
    status: 200,
    body: { status: 'ok', worker: 'ok', temporal: 'ok', database: 'ok' },
  });

  await temporal.kill();
  await eventually(
    'the health check to fail',
    async () => check(),
    (c) => !c.healthy,
    30_000,
  );
  expect(await report()).toEqual({
    status: 503,
    body: { status: 'unhealthy', worker: 'ok', temporal: 'unreachable', database: 'ok' },
  });
  // Alive all along: the check is about Temporal, not the process.
  expect(() => process.kill(worker.pid, 0)).not.toThrow();

  await temporal.restart();
  await eventually(
    'the health check to pass',
    async () => check(),
    (c) => c.healthy,
    60_000,
  );
  expect((await report()).status).toBe(200);
}, 180_000);
