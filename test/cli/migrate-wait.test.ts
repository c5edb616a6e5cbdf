/**
 * `gatehouse migrate` waits, as the API and the worker do, for a PostgreSQL that refuses or is
 * starting up (up to DATABASE_WAIT), one stderr line per wait; past the bound it fails with one
 * line. The database sits behind a proxy (test/support/pg-proxy.ts): the shared server itself
 * is never restarted.
 */
import { migrations } from '../../db/migrations';
import { databaseFactory, type TestDatabase } from '../support/databases';
import { startPgProxy, type PgProxy } from '../support/pg-proxy';
import { runGatehouse } from './spawn';

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

const migrate = (wait: string) =>
  runGatehouse(
    { ...process.env, DATABASE_URL: proxy.url(target.url), DATABASE_WAIT: wait },
    'migrate',
  );

it('waits while PostgreSQL refuses and then starts up, and migrates once it answers', async () => {
  await proxy.refuse();
  const run = migrate('30s');
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await proxy.startingUp();
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  await proxy.open();
  const { code, stdout, errLines } = await run;
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
}, 60_000);

it('gives up past DATABASE_WAIT with one line, and does not wait with 0', async () => {
  await proxy.refuse();
  const bounded = await migrate('1s');
  expect(bounded.code).toBe(1);
  expect(bounded.errLines.at(-1)).toMatch(
    /^gatehouse: the app database is still unreachable after 1(\.\d)?s \(DATABASE_WAIT=1s\): ECONNREFUSED \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/,
  );
  expect(bounded.errLines.slice(0, -1).length).toBeGreaterThanOrEqual(1);
  const unbounded = await migrate('0');
  expect(unbounded.code).toBe(1);
  expect(unbounded.errLines.some((l) => l.startsWith('migrate: waiting'))).toBe(false);
  const wrong = await migrate('soon');
  expect({ code: wrong.code, errLines: wrong.errLines }).toEqual({
    code: 1,
    errLines: [expect.stringMatching(/^gatehouse: configuration error: DATABASE_WAIT: expected /)],
  });
}, 60_000);
