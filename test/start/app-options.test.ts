/**
 * The app options only `npm start` passes: the built designer served at `/` with a fallback for
 * client-side routes (never over the API or the probes), and the demo users route, which is 404
 * everywhere else.
 */
import type { Server } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db';
import { createApp, type AppDeps } from '../../server/app';
import { withAnswerCheck } from '../support/answer-check';
import { databaseFactory, openMigrated } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';

const INDEX = '<!doctype html><title>Gatehouse designer</title>';
const demoUsers = [{ id: 'demo-pmo', name: 'Priya PMO', roles: ['pmo'], token: 'gh_demo' }];

let db: Kysely<Database>;
let closeDb: () => Promise<void>;
let dist: string;
const servers: Server[] = [];

beforeAll(async () => {
  ({ db, close: closeDb } = await openMigrated(databaseFactory('sqlite')));
  dist = await mkdtemp(path.join(tmpdir(), 'gatehouse-dist-'));
  await mkdir(path.join(dist, 'assets'));
  await writeFile(path.join(dist, 'index.html'), INDEX);
  await writeFile(path.join(dist, 'assets', 'app.js'), 'console.log("designer");');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  await closeDb?.();
  if (dist) await rm(dist, { recursive: true, force: true });
});

async function serve(extra: Partial<AppDeps>) {
  const { client } = await connectTestTemporal();
  const app = createApp(
    withAnswerCheck({ db, temporal: { client, taskQueue: 'unused' }, ...extra }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (method: string, urlPath: string) => {
    const response = await fetch(`${base}${urlPath}`, { method });
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      text: await response.text(),
    };
  };
}

it('serves the designer with a client-route fallback that leaves the API alone', async () => {
  const get = await serve({ staticDir: dist });
  for (const route of ['/', '/projects/p-1', '/templates/ops/edit']) {
    expect(await get('GET', route)).toMatchObject({ status: 200, text: INDEX });
  }
  expect(await get('GET', '/assets/app.js')).toMatchObject({
    status: 200,
    type: expect.stringContaining('javascript'),
  });
  // Unknown API paths and other methods are still problem+json, not the designer.
  for (const [method, route] of [
    ['GET', '/api/nope'],
    ['GET', '/metrics/x'],
    ['POST', '/projects/p-1'],
  ] as const) {
    const answer = await get(method, route);
    expect(answer.text).not.toBe(INDEX);
    if (route.startsWith('/api')) {
      expect(answer).toMatchObject({ status: 404, type: expect.stringContaining('problem+json') });
    }
  }
  expect(await get('GET', '/healthz')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
  // No demo users were passed: the route is not there.
  expect((await get('GET', '/api/demo/users')).status).toBe(404);
});

it('lists the demo users only when they are passed, to anyone', async () => {
  const get = await serve({ demoUsers });
  const answer = await get('GET', '/api/demo/users');
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text)).toEqual({ items: demoUsers });
  // Without a designer build nothing is served at the root.
  expect((await get('GET', '/')).status).toBe(404);
});
