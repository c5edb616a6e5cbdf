import type { Kysely } from 'kysely';
import { InvalidCursorError, insertInboxItems, listInbox, markInboxRead } from '../../db/inbox';
import type { Database } from '../../db/schema';
import { insertUser } from '../../db/users';
import type { Notification } from '../../workflows/model/state';
import { eachDatabase, openMigrated } from '../support/databases';

function notification(key: string, at: number, extra: Partial<Notification> = {}): Notification {
  return {
    key,
    projectId: 'p-1',
    projectName: 'Billing migration',
    kind: 'action-required',
    nodeId: 'inception',
    recipients: ['u-ann', 'u-ben'],
    subject: `subject ${key}`,
    text: `text ${key}`,
    at,
    ...extra,
  };
}

describe.each(eachDatabase())('inbox on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    await insertUser(db, { id: 'u-ann', name: 'Ann', email: 'ann@example.com' });
    await insertUser(db, { id: 'u-ben', name: 'Ben', email: 'ben@example.com' });
  });
  afterAll(async () => {
    await close();
  });
  beforeEach(async () => {
    await db.deleteFrom('inbox_items').execute();
  });

  it('stores one row per recipient, once however often it is delivered', async () => {
    const n = notification('n-1', 1000);
    expect(await insertInboxItems(db, n, ['u-ann', 'u-ben', 'u-ann'])).toBe(2);
    expect(await insertInboxItems(db, n, ['u-ann', 'u-ben'])).toBe(0);
    const { items } = await listInbox(db, 'u-ann');
    expect(items.map(({ id, ...item }) => [typeof id, item])).toEqual([
      [
        'string',
        {
          userId: 'u-ann',
          projectId: 'p-1',
          nodeId: 'inception',
          kind: 'action-required',
          subject: 'subject n-1',
          text: 'text n-1',
          key: 'n-1',
          createdAt: 1000,
        },
      ],
    ]);
    expect((await listInbox(db, 'u-ben')).items).toHaveLength(1);
  });

  it('keeps a missing node id absent', async () => {
    await insertInboxItems(db, notification('n-2', 1000, { nodeId: undefined }), ['u-ann']);
    const [item] = (await listInbox(db, 'u-ann')).items;
    expect(item).not.toHaveProperty('nodeId');
  });

  it('refuses recipients that are not users (foreign key)', async () => {
    // By code, not `toThrow`: better-sqlite3's native error class belongs to the Jest realm that
    // loaded the addon first, so it is no `Error` in other test files of the same worker.
    const code = factory.name === 'sqlite' ? 'SQLITE_CONSTRAINT_FOREIGNKEY' : '23503';
    await expect(insertInboxItems(db, notification('n-3', 1000), ['ghost'])).rejects.toMatchObject({
      code,
    });
  });

  it('pages newest first with a stable cursor, ties broken by id', async () => {
    for (const [key, at] of [
      ['a', 10],
      ['b', 30],
      ['c', 20],
      ['d', 30],
      ['e', 5],
    ] as const) {
      await insertInboxItems(db, notification(key, at), ['u-ann']);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listInbox(db, 'u-ann', { limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => `${item.createdAt}`));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(['30', '30', '20', '10', '5']);
    await expect(listInbox(db, 'u-ann', { cursor: 'not-a-cursor' })).rejects.toThrow(
      InvalidCursorError,
    );
    // A tampered one holding NUL: PostgreSQL cannot even compare with it.
    const nul = Buffer.from('30:\u0000').toString('base64url');
    await expect(listInbox(db, 'u-ann', { cursor: nul })).rejects.toThrow(InvalidCursorError);
  });

  it('marks an item read once and filters unread ones', async () => {
    await insertInboxItems(db, notification('n-4', 1000), ['u-ann', 'u-ben']);
    await insertInboxItems(db, notification('n-5', 2000), ['u-ann']);
    const [newest] = (await listInbox(db, 'u-ann')).items;
    if (newest === undefined) throw new Error('expected an item');
    expect(await markInboxRead(db, 'u-ben', newest.id, 5000)).toBe(false);
    expect(await markInboxRead(db, 'u-ann', newest.id, 5000)).toBe(true);
    expect(await markInboxRead(db, 'u-ann', newest.id, 9000)).toBe(true);
    const all = (await listInbox(db, 'u-ann')).items;
    expect(all.map((item) => [item.key, item.readAt])).toEqual([
      ['n-5', 5000],
      ['n-4', undefined],
    ]);
    const unread = (await listInbox(db, 'u-ann', { unreadOnly: true })).items;
    expect(unread.map((item) => item.key)).toEqual(['n-4']);
  });
});
