/**
 * `gatehouse migrate` waits, as the API and the worker do, for a PostgreSQL that refuses or is
 * starting up (up to DATABASE_WAIT), one stderr line per wait; past the bound it fails with one
 * line. The database sits behind a proxy (test/support/pg-proxy.ts): the shared server itself
 * is never restarted.
 */
import { spawn } from 'node:child_process';
import { migrations } from '../../db/migrations';
import { databaseFactory, type TestDatabase } from '../support/databases';
import { startPgProxy, type PgProxy } from '../support/pg-proxy';
import { PROJECT_ROOT } from '../support/processes';
import { BIN, runGatehouse } from './spawn';

const ALL = Object.keys(migrations).sort();
let target: TestDatabase;
let proxy: PgProxy;

beforeAll(async () => {
  target = await databaseFactory('postgres').create();
  const url = new URL(target.url);
  proxy = await startPgProxy(url.hostname, Number(url.port || 5432));
});
afterAll(async () => {
  await proxy?.close();
  await target?.drop();
});

const env = (wait: string) => ({
  ...process.env,
  DATABASE_URL: proxy.url(target.url),
  DATABASE_WAIT: wait,
});
const migrate = (wait: string) => runGatehouse(env(wait), 'migrate');

/**
 * `gatehouse migrate` running: `until` resolves once its stderr has a line matching `pattern`
 * (the proxy changes only after the command met what it had to meet, however slow its start).
 */
function startMigrate(wait: string) {
  const child = spawn(process.execPath, [BIN, 'migrate'], { cwd: PROJECT_ROOT, env: env(wait) });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  return {
    until: (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => pattern.test(stderr) && resolve();
        listeners.add(check);
        check();
        void closed.then(() => reject(new Error(`migrate ended without ${pattern}:\n${stderr}`)));
      }),
    done: closed.then((code) => ({
      code,
      stdout,
      errLines: stderr.split('\n').filter((l) => l !== ''),
    })),
  };
}

it('waits while PostgreSQL refuses and then starts up, and migrates once it answers', async () => {
  await proxy.refuse();
  const run = startMigrate('60s');
  await run.until(/^migrate: waiting for the app database \(ECONNREFUSED:/m);
  await proxy.startingUp();
  await run.until(/^migrate: waiting for the app database \(57P03:/m);
  await proxy.open();
  const { code, stdout, errLines } = await run.done;
  expect({ code, stdout }).toEqual({
    code: 0,
    stdout: `applied ${ALL.join(', ')}; the schema is at ${ALL.at(-1)}\n`,
  });
  const reasons = errLines.map(
    (line) => /^migrate: waiting for the app database \((\w+):/.exec(line)?.[1],
  );
  expect(reasons).not.toContain(undefined);
  expect(reasons).toContain('ECONNREFUSED');
  expect(reasons).toContain('57P03');
}, 120_000);

it('gives up past DATABASE_WAIT with one line, and does not wait with 0', async () => {
  await proxy.refuse();
  const bounded = await migrate('1s');
  expect(bounded.code).toBe(1);
  expect(bounded.errLines.at(-1)).toMatch(
    /^gatehouse: the app database is still unreachable after 1(\.\d)?s \(DATABASE_WAIT=1s\): ECONNREFUSED \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
  );
  const unbounded = await migrate('0');
  expect(unbounded.code).toBe(1);
  expect(unbounded.errLines.some((l) => l.startsWith('migrate: waiting'))).toBe(false);
  const wrong = await migrate('soon');
  expect({ code: wrong.code, errLines: wrong.errLines }).toEqual({
    code: 1,
    errLines: [expect.stringMatching(/^gatehouse: configuration error: DATABASE_WAIT: expected /)],
  });
}, 60_000);
