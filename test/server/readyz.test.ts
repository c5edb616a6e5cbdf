/**
 * `/readyz` tells the truth while a part is down: 503 naming Temporal or the database while it
 * is, 200 again once it is back, without restarting the API. Requests that need the missing part
 * answer 503 with Retry-After (never 500): the client retries. The API is the real module
 * (`startApi`, as `gatehouse api` runs it) on a Temporal dev server of this test's own, which is
 * SIGKILLed and restarted, and on PostgreSQL through a proxy the test cuts and restores.
 */
import type { Kysely } from 'kysely';
import { createDatabase, insertUser, type Database } from '../../db';
import { Shutdown } from '../../process/shutdown';
import { bootstrap } from '../../server/bootstrap';
import { startApi } from '../../server/run-api';
import { databaseFactory, openMigrated } from '../support/databases';
import {
  startOwnTemporal,
  startTcpProxy,
  type OwnTemporal,
  type TcpProxy,
} from '../support/outages';
import { builtinParticipants } from '../workflows/drive';
import { eventually } from './drive-http';

const ADMIN_TOKEN = `gh_readyz_${'r'.repeat(24)}`;
/** Every 503 asks for the same wait (README, "Waiting ends"). */
const RETRY_AFTER = '5';

let temporal: OwnTemporal;
let proxy: TcpProxy;
let db: Kysely<Database>;
let closeDatabase: () => Promise<void>;
const shutdown = new Shutdown((message, error) => console.error(message, error));
let baseUrl: string;

beforeAll(async () => {
  temporal = await startOwnTemporal();
  const database = await openMigrated(databaseFactory('postgres'));
  closeDatabase = database.close;
  const url = new URL(database.url);
  proxy = await startTcpProxy(url.hostname, Number(url.port || 5432));
  url.host = `127.0.0.1:${proxy.port}`;
  db = createDatabase(url.toString(), { onPoolError: () => undefined });
  shutdown.add('the proxied database', () => db.destroy());
  await bootstrap(db, { adminToken: ADMIN_TOKEN });
  for (const id of Object.values(builtinParticipants).flat()) {
    await insertUser(db, { id, name: id, email: `${id}@example.test` });
  }
  const api = await startApi(
    {
      db,
      temporal: { address: temporal.address },
      namespace: 'default',
      taskQueue: 'readyz',
      port: 0,
      host: '127.0.0.1',
      streamGraceMs: 100,
      log: () => undefined,
    },
    shutdown,
  );
  baseUrl = `http://127.0.0.1:${api.port}`;
}, 120_000);
afterAll(async () => {
  await shutdown.run();
  await proxy?.close();
  await closeDatabase?.();
});

async function get(path: string, token?: string) {
  const response = await fetch(`${baseUrl}${path}`, {
    ...(token && { headers: { authorization: `Bearer ${token}` } }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
  };
}

const ready = () => get('/readyz');

it('answers 503 while Temporal is down and 200 once it is back', async () => {
  expect(await ready()).toMatchObject({
    status: 200,
    body: { status: 'ready', database: 'ok', temporal: 'ok' },
  });

  await temporal.kill();
  try {
    const down = await eventually('readyz 503', ready, (r) => r.status === 503, 30_000);
    expect(down).toMatchObject({
      retryAfter: RETRY_AFTER,
      body: { code: 'not_ready', detail: 'database: ok, temporal: unreachable' },
    });
    // Starting a project needs Temporal: 503 and when to retry, not a 500.
    const start = await fetch(`${baseUrl}/api/projects`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'During the outage',
        template: 'ops-integrated-delivery',
        participants: builtinParticipants,
      }),
    });
    expect({ status: start.status, retryAfter: start.headers.get('retry-after') }).toEqual({
      status: 503,
      retryAfter: RETRY_AFTER,
    });
    expect(await start.json()).toMatchObject({ code: 'temporal_unavailable' });
  } finally {
    // Back whatever happened above: the next test cuts only the database.
    await temporal.restart();
  }
  const back = await eventually('readyz 200', ready, (r) => r.status === 200, 30_000);
  expect(back.body).toMatchObject({ database: 'ok', temporal: 'ok' });
}, 120_000);

it('answers 503 while the database is down (requests too) and 200 once it is back', async () => {
  // Only the database goes: Temporal is up (the test before restarted it).
  await eventually('readyz 200', ready, (r) => r.status === 200, 30_000);
  proxy.cut();
  const down = await eventually('readyz 503', ready, (r) => r.status === 503, 30_000);
  expect(down).toMatchObject({
    retryAfter: RETRY_AFTER,
    body: { detail: 'database: unreachable, temporal: ok' },
  });
  // Authenticating reads the database: a part is down, the request is not wrong.
  const me = await get('/api/me', ADMIN_TOKEN);
  expect(me).toMatchObject({
    status: 503,
    retryAfter: RETRY_AFTER,
    body: { code: 'unavailable', detail: 'the database is not answering; retry' },
  });

  proxy.restore();
  await eventually('readyz 200', ready, (r) => r.status === 200, 30_000);
  expect(await get('/api/me', ADMIN_TOKEN)).toMatchObject({ status: 200 });
}, 120_000);
