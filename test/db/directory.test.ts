/** The user directory: search by name or e-mail, name order, keyset pages, active filter. */
import type { Kysely } from 'kysely';
import { InvalidCursorError } from '../../db/cursor';
import { searchUsers } from '../../db/directory';
import type { Database } from '../../db/schema';
import { insertUser } from '../../db/users';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('the user directory on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    const people = [
      ['u-olga', 'Olga Operations Lead', 'olga@ops.example'],
      ['u-omar', 'omar Operations Manager', 'omar@ops.example'],
      ['u-paul', 'Paul Project Manager', 'paul@pm.example'],
      ['u-priya', 'Priya PMO', 'priya@pmo.example'],
      ['u-pct', 'Percy 100%_Done', 'percy@example.test'],
      ['u-sofia', 'Sofia Support', 'sofia@ops.example'],
    ] as const;
    for (const [id, name, email] of people) await insertUser(db, { id, name, email });
    await db.updateTable('users').set({ deactivated_at: 1 }).where('id', '=', 'u-sofia').execute();
  });
  afterAll(async () => {
    await close();
  });

  const ids = async (options: Parameters<typeof searchUsers>[1]) =>
    (await searchUsers(db, options)).items.map((u) => u.id);

  it('lists everyone by name, whatever the letter case, with the active flag', async () => {
    const page = await searchUsers(db);
    expect(page.items.map((u) => u.id)).toEqual([
      'u-olga',
      'u-omar',
      'u-paul',
      'u-pct',
      'u-priya',
      'u-sofia',
    ]);
    expect(page.items[0]).toEqual({
      id: 'u-olga',
      name: 'Olga Operations Lead',
      email: 'olga@ops.example',
      active: true,
    });
    expect(page.items.find((u) => u.id === 'u-sofia')?.active).toBe(false);
    expect(page.nextCursor).toBeUndefined();
  });

  it('finds by any part of the name or the e-mail; every word must match', async () => {
    expect(await ids({ q: 'OPERATIONS' })).toEqual(['u-olga', 'u-omar']);
    expect(await ids({ q: 'ops.example' })).toEqual(['u-olga', 'u-omar', 'u-sofia']);
    expect(await ids({ q: 'operations manager' })).toEqual(['u-omar']);
    expect(await ids({ q: 'manager pm.example' })).toEqual(['u-paul']);
    expect(await ids({ q: 'nobody' })).toEqual([]);
  });

  it('takes % and _ in a search literally', async () => {
    expect(await ids({ q: '%' })).toEqual(['u-pct']);
    expect(await ids({ q: '0%_d' })).toEqual(['u-pct']);
    expect(await ids({ q: '_' })).toEqual(['u-pct']);
  });

  it('filters active or deactivated users', async () => {
    expect(await ids({ q: 'ops', active: true })).toEqual(['u-olga', 'u-omar']);
    expect(await ids({ active: false })).toEqual(['u-sofia']);
  });

  it('pages by keyset: no user twice or missed, even when one is added meanwhile', async () => {
    const first = await searchUsers(db, { limit: 2 });
    expect(first.items.map((u) => u.id)).toEqual(['u-olga', 'u-omar']);
    // Sorts before the cursor: it must not shift the next page.
    await insertUser(db, { id: 'u-aaron', name: 'Aaron', email: 'aaron@example.test' });
    const seen = [...first.items.map((u) => u.id)];
    let cursor = first.nextCursor;
    while (cursor !== undefined) {
      const page = await searchUsers(db, { limit: 2, cursor });
      seen.push(...page.items.map((u) => u.id));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(['u-olga', 'u-omar', 'u-paul', 'u-pct', 'u-priya', 'u-sofia']);
  });

  it('refuses a cursor it did not hand out', async () => {
    // A tampered one holding NUL too: PostgreSQL cannot even compare with it.
    const nul = Buffer.from(JSON.stringify(['a\u0000', 'u-x'])).toString('base64url');
    for (const cursor of ['nonsense', Buffer.from('[1,2]').toString('base64url'), '', nul]) {
      await expect(searchUsers(db, { cursor })).rejects.toBeInstanceOf(InvalidCursorError);
    }
    // A name stored before texts were checked may hold another control character: it pages on.
    const bell = Buffer.from(JSON.stringify(['bell\u0007', 'u-x'])).toString('base64url');
    await expect(searchUsers(db, { cursor: bell })).resolves.toHaveProperty('items');
  });
});
