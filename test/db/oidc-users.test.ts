import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { insertUser, linkOidcIdentity, listUsers } from '../../db/users';
import { eachDatabase, openMigrated } from '../support/databases';

const ISSUER = 'https://id.example.com';

describe.each(eachDatabase())('user listing and OIDC logins on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    await db.deleteFrom('users').execute();
  });

  it('lists every user oldest first', async () => {
    await insertUser(db, { id: 'u-b', name: 'B', email: 'b@example.com', createdAt: 2 });
    await insertUser(db, { id: 'u-a', name: 'A', email: 'a@example.com', createdAt: 2 });
    await insertUser(db, { id: 'u-c', name: 'C', email: 'c@example.com', createdAt: 1 });
    expect((await listUsers(db)).map((u) => u.id)).toEqual(['u-c', 'u-a', 'u-b']);
  });

  const JIT = { jit: true };
  const userOf = async (login: Parameters<typeof linkOidcIdentity>[1], rules = JIT) => {
    const result = await linkOidcIdentity(db, login, rules);
    if (!result.ok) throw new Error(`refused: ${result.code}`);
    return result.user;
  };

  it('creates a user on the first login and finds it by identity afterwards', async () => {
    const login = { issuer: ISSUER, subject: 'sub-1', email: 'Dee@Example.com', name: 'Dee' };
    const created = await userOf(login);
    expect(created).toMatchObject({ name: 'Dee', email: 'dee@example.com', pmo: false });
    // The e-mail and name may change at the provider: the identity still points at the user.
    const again = await userOf({ ...login, email: 'dee@new.example', name: 'D.' });
    expect(again).toEqual(created);
    expect(await listUsers(db)).toHaveLength(1);
    // Found by identity even with just-in-time creation off.
    expect(await linkOidcIdentity(db, login, { jit: false })).toMatchObject({ ok: true });
  });

  it('creates nobody when just-in-time creation is off', async () => {
    const login = { issuer: ISSUER, subject: 'sub-new', email: 'new@example.com', name: 'New' };
    expect(await linkOidcIdentity(db, login, { jit: false })).toEqual({
      ok: false,
      code: 'not_provisioned',
    });
    expect(await listUsers(db)).toEqual([]);
  });

  it('links a login to an account without roles by e-mail, never to one with a role', async () => {
    await insertUser(db, { id: 'u-eve', name: 'Eve', email: 'eve@example.com', admin: true });
    await insertUser(db, { id: 'u-pat', name: 'Pat', email: 'pat@example.com', pmo: true });
    await insertUser(db, { id: 'u-sam', name: 'Sam', email: 'sam@example.com' });
    for (const [subject, email] of [
      ['sub-eve', 'EVE@example.com'],
      ['sub-pat', 'pat@example.com'],
    ]) {
      const login = { issuer: ISSUER, subject: subject!, email: email!, name: 'Impostor?' };
      expect(await linkOidcIdentity(db, login, JIT)).toEqual({
        ok: false,
        code: 'privileged_account',
      });
    }
    const sam = { issuer: ISSUER, subject: 'sub-sam', email: 'Sam@example.com', name: 'S' };
    expect(await linkOidcIdentity(db, sam, { jit: false })).toEqual({
      ok: true,
      user: expect.objectContaining({ id: 'u-sam', pmo: false, admin: false }),
      created: false,
      linked: true,
    });
    // A second identity of the same issuer with that e-mail is not linked to Sam as well.
    const twin = { ...sam, subject: 'sub-sam-2' };
    expect(await linkOidcIdentity(db, twin, JIT)).toEqual({ ok: false, code: 'linked_elsewhere' });
    const links = await db.selectFrom('oidc_identities').selectAll().execute();
    expect(links).toEqual([{ issuer: ISSUER, subject: 'sub-sam', user_id: 'u-sam' }]);
    // Every link and creation is in the admin trail.
    const trail = await db.selectFrom('admin_audit').select(['action', 'target']).execute();
    expect(trail).toContainEqual({ action: 'user.sso_linked', target: 'u-sam' });
  });

  it('ends concurrent first logins with one user and one link', async () => {
    const login = { issuer: ISSUER, subject: 'sub-race', email: 'race@example.com', name: 'R' };
    const users = await Promise.all(Array.from({ length: 5 }, () => userOf(login)));
    expect(new Set(users.map((u) => u.id)).size).toBe(1);
    expect(await listUsers(db)).toHaveLength(1);
    expect(await db.selectFrom('oidc_identities').selectAll().execute()).toHaveLength(1);
  });
});
