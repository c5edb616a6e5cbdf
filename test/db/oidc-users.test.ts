import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { insertUser, listUsers, upsertOidcUser } from '../../db/users';
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

  it('creates a user on the first login and finds it by identity afterwards', async () => {
    const login = { issuer: ISSUER, subject: 'sub-1', email: 'Dee@Example.com', name: 'Dee' };
    const created = await upsertOidcUser(db, login);
    expect(created).toMatchObject({ name: 'Dee', email: 'dee@example.com', pmo: false });
    // The e-mail and name may change at the provider: the identity still points at the user.
    const again = await upsertOidcUser(db, { ...login, email: 'dee@new.example', name: 'D.' });
    expect(again).toEqual(created);
    expect(await listUsers(db)).toHaveLength(1);
  });

  it('links a login to the existing user with that e-mail', async () => {
    await insertUser(db, { id: 'u-eve', name: 'Eve', email: 'eve@example.com', admin: true });
    const login = { issuer: ISSUER, subject: 'sub-eve', email: 'EVE@example.com', name: 'E' };
    expect(await upsertOidcUser(db, login)).toMatchObject({ id: 'u-eve', admin: true });
    const links = await db.selectFrom('oidc_identities').selectAll().execute();
    expect(links).toEqual([{ issuer: ISSUER, subject: 'sub-eve', user_id: 'u-eve' }]);
    // The same subject at another issuer is another identity (linked by the same e-mail).
    const other = await upsertOidcUser(db, { ...login, issuer: 'https://other.example' });
    expect(other.id).toBe('u-eve');
    expect(await db.selectFrom('oidc_identities').selectAll().execute()).toHaveLength(2);
  });

  it('ends concurrent first logins with one user and one link', async () => {
    const login = { issuer: ISSUER, subject: 'sub-race', email: 'race@example.com', name: 'R' };
    const users = await Promise.all(Array.from({ length: 5 }, () => upsertOidcUser(db, login)));
    expect(new Set(users.map((u) => u.id)).size).toBe(1);
    expect(await listUsers(db)).toHaveLength(1);
    expect(await db.selectFrom('oidc_identities').selectAll().execute()).toHaveLength(1);
  });
});
