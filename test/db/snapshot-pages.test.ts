/**
 * What a record write's snapshot rewrites in SQLite. Every record write stores the project's
 * state; most change nothing the portfolio's indexes hold and what only a few participants can
 * do. Such a write must leave the `projects` indexes' pages and the other participants'
 * open-action rows as they were (each index entry rewritten is a page for the write-ahead log
 * and its checkpoints to copy), while the stored row and rows stay those of the latest state.
 */
import { readFileSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import {
  createDatabase,
  INDEXED_COLUMNS,
  migrateToLatest,
  seedTemplate,
  upsertProjectSnapshot,
  type Database,
} from '../../db';
import { decide, startProject, type Machine } from '../../workflows/lifecycle';
import { opsIntegratedDelivery, seatParticipants } from '../../workflows/model';
import { happyPath } from '../../bench/plan';
import { databaseFactory, type TestDatabase } from '../support/databases';

const participants = seatParticipants(opsIntegratedDelivery);
const AT = Date.UTC(2026, 0, 5, 9);

/** The built-in template's happy path on the interpreter: every state along the way. */
function happyStates(projectId: string): Machine['state'][] {
  const input = {
    projectId,
    name: `Project ${projectId}`,
    template: opsIntegratedDelivery,
    version: 1,
    participants,
    startedBy: 'pmo',
  };
  let machine = startProject(input, AT).machine;
  const states = [machine.state];
  const drive = happyPath(opsIntegratedDelivery, participants);
  for (let next = drive.next(), step = 1; !next.done; step += 1) {
    const decision = decide(machine, next.value, AT + step * 60_000);
    if (!decision.ok) throw new Error(`step ${step} refused: ${decision.rejection.code}`);
    machine = decision.machine;
    states.push(machine.state);
    next = drive.next(decision.result);
  }
  return states;
}

describe('a snapshot written on sqlite', () => {
  let target: TestDatabase;
  let db: Kysely<Database>;
  let file: string;
  beforeEach(async () => {
    target = await databaseFactory('sqlite').create();
    file = target.url.replace(/^sqlite:/, '');
    db = createDatabase(target.url);
    await migrateToLatest(db);
    await seedTemplate(db, opsIntegratedDelivery, AT);
  });
  afterEach(async () => {
    await db.destroy();
    await target.drop();
  });

  /** The B-trees (tables, indexes) whose pages the writes in `write` put in the log. */
  async function pagesWrittenBy(write: () => Promise<unknown>): Promise<Set<string>> {
    await sql`pragma wal_autocheckpoint = 0`.execute(db);
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    await write();
    const log = readFileSync(`${file}-wal`);
    const pageSize = log.readUInt32BE(8);
    const pages = new Set<number>();
    for (let at = 32; at + 24 + pageSize <= log.length; at += 24 + pageSize) {
      pages.add(log.readUInt32BE(at));
    }
    const raw = new SQLite(file, { readonly: true });
    try {
      const owners = raw.prepare('select name, pageno from dbstat').all() as {
        name: string;
        pageno: number;
      }[];
      return new Set(owners.filter((o) => pages.has(o.pageno)).map((o) => o.name));
    } finally {
      raw.close();
    }
  }

  /** The indexes of `projects`, with their SQL (null for the primary key's). */
  async function projectIndexes() {
    const { rows } = await sql<{ name: string; sql: string | null }>`
      select name, sql from sqlite_master where type = 'index' and tbl_name = 'projects'`.execute(
      db,
    );
    return rows;
  }

  it('leaves the projects indexes alone unless a column they hold changed', async () => {
    const states = happyStates('p1');
    const indexes = (await projectIndexes()).map((i) => i.name);
    expect(indexes.length).toBeGreaterThan(5);
    const indexedRow = (from: Kysely<Database>) =>
      from
        .selectFrom('projects')
        .select([...INDEXED_COLUMNS])
        .where('id', '=', 'p1')
        .executeTakeFirst();
    let [quiet, moved] = [0, 0];
    for (const state of states) {
      const before = await indexedRow(db);
      const written = await pagesWrittenBy(() => upsertProjectSnapshot(db, state));
      expect(written.has('projects')).toBe(true);
      const after = await indexedRow(db);
      // The row holds what writing this state alone would store.
      const fresh = createDatabase('sqlite::memory:');
      try {
        await migrateToLatest(fresh);
        await seedTemplate(fresh, opsIntegratedDelivery, AT);
        await upsertProjectSnapshot(fresh, state);
        expect(after).toEqual(await indexedRow(fresh));
      } finally {
        await fresh.destroy();
      }
      if (!before) continue;
      const changed = INDEXED_COLUMNS.filter((c) => before[c] !== after![c]);
      // A write that moved nothing the indexes hold must not have rewritten their entries.
      const touched = indexes.filter((name) => written.has(name));
      if (changed.length === 0) {
        expect({ step: state.seq, touched }).toEqual({ step: state.seq, touched: [] });
        quiet += 1;
      } else moved += 1;
    }
    // Most steps of the happy path move nothing the lists sort or filter by; some move a stage.
    expect(quiet).toBeGreaterThan(states.length / 2);
    expect(moved).toBeGreaterThan(3);
  });

  it('every column the projects indexes read is one it writes only when changed', async () => {
    const indexSql = (await projectIndexes())
      .map((i) => i.sql)
      .filter((text): text is string => text !== null);
    const columns = (await sql<{ name: string }>`pragma table_info(projects)`.execute(db)).rows.map(
      (c) => c.name,
    );
    const indexed = new Set<string>([...INDEXED_COLUMNS, 'id']);
    for (const text of indexSql) {
      const read = columns.filter((c) => new RegExp(`\\b${c}\\b`).test(text.split(' on ')[1]!));
      expect({ index: text, unlisted: read.filter((c) => !indexed.has(c)) }).toEqual({
        index: text,
        unlisted: [],
      });
    }
  });

  it('replaces only the open-action rows of participants whose actions changed', async () => {
    const states = happyStates('p2');
    const rowsOf = async () =>
      (
        await sql<{ rowid: number; user_id: string }>`
          select rowid, user_id from open_actions where project_id = 'p2' order by rowid`.execute(
          db,
        )
      ).rows;
    const byUser = (rows: { rowid: number; user_id: string }[]) => {
      const users = new Map<string, number[]>();
      for (const r of rows) users.set(r.user_id, [...(users.get(r.user_id) ?? []), r.rowid]);
      return users;
    };
    const actionsOf = async () =>
      (
        await db
          .selectFrom('open_actions')
          .selectAll()
          .where('project_id', '=', 'p2')
          .orderBy('user_id')
          .orderBy('position')
          .execute()
      ).map(({ user_id, node_id, action, item_id, position }) =>
        JSON.stringify([user_id, position, node_id, action, item_id]),
      );
    let [kept, replaced] = [0, 0];
    await upsertProjectSnapshot(db, states[0]!);
    for (const state of states.slice(1)) {
      const [rowsBefore, actionsBefore] = [byUser(await rowsOf()), await actionsOf()];
      await upsertProjectSnapshot(db, state);
      const [rowsAfter, actionsAfter] = [byUser(await rowsOf()), await actionsOf()];
      for (const [user, rowids] of rowsAfter) {
        const same = (list: string[]) => list.filter((a) => JSON.parse(a)[0] === user);
        const unchanged =
          JSON.stringify(same(actionsBefore)) === JSON.stringify(same(actionsAfter));
        if (unchanged) {
          expect({ user, rowids }).toEqual({ user, rowids: rowsBefore.get(user) });
          kept += 1;
        } else replaced += 1;
      }
    }
    expect(kept).toBeGreaterThan(10);
    expect(replaced).toBeGreaterThan(10);
  });
});
