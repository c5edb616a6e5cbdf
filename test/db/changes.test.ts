/**
 * The change feed's database part (db/changes.ts) on both databases: a change written in a
 * transaction is heard once it commits and never when it rolls back, by a listener on another
 * connection; a user list too long for a notification becomes `all`; on SQLite the journal
 * is pruned by its writers.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import {
  collectChanges,
  createDatabase,
  listenForChanges,
  mergeChanges,
  recordChange,
  type Database,
  type Heard,
} from '../../db';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('$name', (factory) => {
  let writer: Kysely<Database>;
  let reader: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const opened = await openMigrated(factory);
    writer = opened.db;
    reader = createDatabase(opened.url);
    close = async () => {
      await reader.destroy();
      await opened.close();
    };
  });
  afterAll(async () => close());

  /** Listens on the reader's connection; resolves once the source is in place (`all`). */
  async function listen() {
    const heard: Heard[] = [];
    let stop: () => Promise<void> = async () => undefined;
    const ready = new Promise<void>((resolve) => {
      const source = listenForChanges(
        reader,
        (change) => {
          heard.push(change);
          if (change === 'all') resolve();
        },
        { pollMs: 50, onError: (error) => heard.push({ users: [String(error)] }) },
      );
      stop = () => source.close();
    });
    await ready;
    heard.length = 0;
    return { heard, stop: () => stop() };
  }

  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 5_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('hears a committed change, and nothing of one rolled back', async () => {
    const { heard, stop } = await listen();
    try {
      await expect(
        writer.transaction().execute(async (trx) => {
          await recordChange(trx, { project: 'p-rolled-back', users: ['ann'] });
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await writer.transaction().execute(async (trx) => {
        await recordChange(trx, { project: 'p-1', users: ['ann', 'bob', 'ann'] });
        // Not yet committed: nobody hears it.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(heard).toEqual([]);
      });
      await recordChange(writer, { users: ['cy'], delegations: true });
      await until('both changes', () => heard.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toEqual([
        { project: 'p-1', users: ['ann', 'bob'] },
        { users: ['cy'], delegations: true },
      ]);
    } finally {
      await stop();
    }
  });

  it('tells of the changes collected in a transaction once per project, at its end', async () => {
    const { heard, stop } = await listen();
    try {
      await writer.transaction().execute((trx) =>
        collectChanges(trx, async () => {
          await recordChange(trx, { users: ['ann', 'bob'] });
          await recordChange(trx, { project: 'p-2', users: ['bob', 'cy'] });
          // Nested collection (an inner write of the same transaction) joins the outer one.
          await collectChanges(trx, () => recordChange(trx, { project: 'p-3' }));
        }),
      );
      await until('the changes', () => heard.length >= 2);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toEqual([{ project: 'p-2', users: ['bob', 'cy', 'ann'] }, { project: 'p-3' }]);
      // A collection that fails tells of nothing.
      await expect(
        writer.transaction().execute((trx) =>
          collectChanges(trx, async () => {
            await recordChange(trx, { project: 'p-failed' });
            throw new Error('failed');
          }),
        ),
      ).rejects.toThrow('failed');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(heard).toHaveLength(2);
    } finally {
      await stop();
    }
  });

  it('sends `all` for a user list too long for a notification', async () => {
    const { heard, stop } = await listen();
    try {
      const users = Array.from({ length: 400 }, (_, i) => `user-with-a-long-id-${i}`);
      await recordChange(writer, { project: 'p-big', users });
      await until('the change', () => heard.length >= 1);
      expect(heard).toEqual([{ project: 'p-big', users: 'all' }]);
    } finally {
      await stop();
    }
  });

  if (factory.name === 'sqlite') {
    it('prunes journal rows older than ten minutes as it writes', async () => {
      const old = Date.now() - 11 * 60_000;
      // A journal written in time order: its oldest rows first (the earlier tests' rows go).
      await writer.deleteFrom('changes').execute();
      await writer
        .insertInto('changes')
        .values(Array.from({ length: 150 }, () => ({ payload: '{}', at: old })))
        .execute();
      // Every hundredth row written prunes.
      for (let i = 0; i < 100; i++) await recordChange(writer, { users: ['ann'] });
      const left = await writer
        .selectFrom('changes')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('at', '<', Date.now() - 10 * 60_000)
        .executeTakeFirstOrThrow();
      expect(Number(left.n)).toBe(0);
      // The prune reads the journal from its oldest row up to the first recent one, by id.
      const plan = await sql<{
        detail: string;
      }>`explain query plan delete from changes where id < (select id from changes where at >= ${Date.now()} order by id limit 1)`.execute(
        writer,
      );
      const details = plan.rows.map((r) => r.detail);
      expect(details.some((d) => /USING INTEGER PRIMARY KEY \(rowid<\?\)/.test(d))).toBe(true);
      expect(details.some((d) => /TEMP B-TREE/.test(d))).toBe(false);
    });
  }
});

it('joins changes: one per project, users united (`all` wins), delegations kept', () => {
  expect(mergeChanges([])).toEqual([]);
  expect(
    mergeChanges([
      { users: ['a'] },
      { project: 'p', users: ['b'] },
      { project: 'q' },
      { project: 'p', delegations: true },
    ]),
  ).toEqual([{ project: 'p', users: ['b', 'a'], delegations: true }, { project: 'q' }]);
  expect(mergeChanges([{ users: ['a'] }, { users: 'all' }])).toEqual([{ users: 'all' }]);
  expect(mergeChanges([{ users: ['a'] }, { delegations: true }])).toEqual([
    { users: ['a'], delegations: true },
  ]);
});
