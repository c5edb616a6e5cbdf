/**
 * Demo mode (GATEHOUSE_DEMO) of the embedded default: it refuses to start on a non-loopback
 * bind, and switched off it deactivates the demo accounts (their printed tokens stop working)
 * until it is switched on again. (The Host check of every request is in
 * test/server/protection.test.ts; a full `npm start` with the demo in test/start/start.test.ts.)
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { findUserByToken, getUser, type Database } from '../../db';
import { DEMO_TOKENS_FILE, disableDemoUsers, seedDemoUsers } from '../../scripts/start/demo-users';
import { databaseFactory, openMigrated } from '../support/databases';
import { startTsEntry } from '../support/processes';

let dir: string;
let db: Kysely<Database>;
let close: () => Promise<void>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-demo-'));
  ({ db, close } = await openMigrated(databaseFactory('sqlite')));
});
afterAll(async () => {
  await close?.();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('refuses to start the demo on a non-loopback bind, before anything is created', async () => {
  const dataDir = path.join(dir, 'exposed');
  for (const host of ['0.0.0.0', '192.0.2.10', '::']) {
    const start = startTsEntry('start', 'scripts/start.ts', {
      ...process.env,
      HOST: host,
      GATEHOUSE_DATA_DIR: dataDir,
    });
    expect(await start.exited).toEqual({ code: 1, signal: null });
    expect(start.describe()).toContain(
      `gatehouse: configuration error: GATEHOUSE_DEMO: demo users are served on loopback only, not HOST=${host}`,
    );
  }
  await expect(stat(dataDir)).rejects.toMatchObject({ code: 'ENOENT' });
});

it('switched off, deactivates the demo accounts; switched on again, they come back', async () => {
  const on = await seedDemoUsers(db, dir);
  const pmo = on.users.find((u) => u.id === 'demo-pmo')!;
  expect(await findUserByToken(db, pmo.token)).toMatchObject({ id: 'demo-pmo' });
  expect(await readdir(dir)).toContain(DEMO_TOKENS_FILE);

  const off = await disableDemoUsers(db, dir);
  expect(off).toHaveLength(on.users.length);
  expect(await findUserByToken(db, pmo.token)).toBeUndefined();
  expect((await getUser(db, 'demo-pmo'))?.active).toBe(false);
  expect(await readdir(dir)).not.toContain(DEMO_TOKENS_FILE);
  // Every step is in the admin trail, by the system.
  const trail = await db.selectFrom('admin_audit').select(['action', 'actor', 'target']).execute();
  expect(trail).toContainEqual({ action: 'user.deactivated', actor: 'system', target: 'demo-pmo' });

  const again = await seedDemoUsers(db, dir);
  const back = again.users.find((u) => u.id === 'demo-pmo')!;
  expect(back.token).not.toBe(pmo.token);
  expect(await findUserByToken(db, back.token)).toMatchObject({ id: 'demo-pmo', active: true });
  expect(await findUserByToken(db, pmo.token)).toBeUndefined();
});
