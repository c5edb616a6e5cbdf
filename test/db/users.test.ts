import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { changeUser } from '../../db/user-admin';
import {
  activeUsers,
  findUserByEmail,
  getUser,
  getUsersByIds,
  insertUser,
  oldestAdmin,
} from '../../db/users';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('users on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => {
    await close();
  });

  it('creates a user with flags as booleans and reads it back', async () => {
    const created = await insertUser(db, {
      id: 'u-ada',
      name: 'Ada',
      email: ' Ada@Example.com ',
      pmo: true,
      createdAt: 1_700_000_000_000,
    });
    const ada = {
      id: 'u-ada',
      name: 'Ada',
      email: 'ada@example.com',
      pmo: true,
      admin: false,
      active: true,
      createdAt: 1_700_000_000_000,
    };
    expect(created).toEqual({ ok: true, user: ada });
    expect(await getUser(db, 'u-ada')).toEqual(ada);
    expect(await findUserByEmail(db, 'ADA@example.COM')).toEqual(ada);
  });

  it('answers email_taken for an e-mail in use in any letter case', async () => {
    await insertUser(db, { id: 'u-bob', name: 'Bob', email: 'bob@example.com' });
    const again = await insertUser(db, { name: 'Robert', email: 'BOB@example.com' });
    expect(again).toEqual({ ok: false, code: 'email_taken' });
    expect((await getUser(db, 'u-bob'))?.name).toBe('Bob');
  });

  it('generates ids and defaults flags and creation time', async () => {
    const before = Date.now();
    const result = await insertUser(db, { name: 'Cy', email: 'cy@example.com', admin: true });
    if (!result.ok) throw new Error('expected a new user');
    expect(result.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.user).toMatchObject({ pmo: false, admin: true });
    expect(result.user.createdAt).toBeGreaterThanOrEqual(before);
  });

  it('gets users by ids in the order asked, each once, without unknown ids', async () => {
    await insertUser(db, { id: 'u-1', name: 'One', email: 'one@example.com' });
    await insertUser(db, { id: 'u-2', name: 'Two', email: 'two@example.com' });
    const users = await getUsersByIds(db, ['u-2', 'nobody', 'u-1', 'u-2']);
    expect(users.map((u) => u.id)).toEqual(['u-2', 'u-1']);
    expect(await getUsersByIds(db, [])).toEqual([]);
    expect(await getUser(db, 'nobody')).toBeUndefined();
  });

  it('answers an id holding NUL (from a request body) as nobody, not a failed query', async () => {
    await insertUser(db, { id: 'u-3', name: 'Three', email: 'three@example.com' });
    expect((await getUsersByIds(db, ['u-\u0000', 'u-3'])).map((u) => u.id)).toEqual(['u-3']);
    expect(await getUser(db, 'u-3\u0000')).toBeUndefined();
    expect(await activeUsers(db, ['\u0000', 'u-3'])).toEqual(new Set(['u-3']));
  });

  it('finds the oldest admin, deactivated or not, and none among non-admins', async () => {
    // A database of its own: the tests above leave an admin behind.
    const own = await openMigrated(factory);
    const db = own.db;
    await insertUser(db, { id: 'u-p', name: 'P', email: 'p@example.com', pmo: true, createdAt: 1 });
    expect(await oldestAdmin(db)).toBeUndefined();
    for (const [id, createdAt] of [
      ['u-late', 30],
      ['u-b', 20],
      ['u-a', 20],
    ] as const) {
      await insertUser(db, { id, name: id, email: `${id}@example.com`, admin: true, createdAt });
    }
    expect(await changeUser(db, 'u-a', { active: false }, 'u-b')).toMatchObject({ ok: true });
    expect((await oldestAdmin(db))?.id).toBe('u-a');
    await own.close();
  });
});
