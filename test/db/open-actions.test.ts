/**
 * The open-actions table on both databases: a database stored before `0013_open_actions` gets
 * its rows when it is migrated (an unreadable snapshot reported, not fatal), closed projects
 * get none, and a page of a user's actions across projects follows the due order however it
 * is cut.
 */
import { builtinStart } from '../fixtures/builtin-start';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import {
  catchUpOpenActions,
  createDatabase,
  ensureOpenActions,
  getProjectState,
  listOpenActions,
  markTerminated,
  migrateTo,
  migrateToLatest,
  publishedTemplates,
  seedTemplate,
  upsertProjectSnapshot,
  type Database,
} from '../../db';
import { pendingActions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { opsIntegratedDelivery, seatParticipants, type ProjectState } from '../../workflows/model';
import {
  beforeNameFolds,
  databaseFactory,
  eachDatabase,
  type TestDatabase,
} from '../support/databases';

const participants = seatParticipants(opsIntegratedDelivery);
const users = [...new Set(Object.values(participants).flat())];

/** A project on the built-in template as it starts at `at`. */
function started(id: string, at: number): ProjectState {
  return builtinStart(id, participants, { at });
}

async function allOf(db: Kysely<Database>, user: string, limit: number) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await listOpenActions(db, user, { limit, ...(cursor && { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

describe.each(eachDatabase())('open actions on $name', (factory) => {
  let target: TestDatabase;
  let db: Kysely<Database>;
  beforeEach(async () => {
    target = await factory.create();
    db = createDatabase(target.url);
  });
  afterEach(async () => {
    await db.destroy();
    await target.drop();
  });

  it('derives the rows of projects stored before 0013 when migrated, and reports what it cannot read', async () => {
    await migrateTo(db, '0009_delegation');
    await seedTemplate(db, opsIntegratedDelivery);
    const states = [started('a', 1_000), started('b', 2_000)];
    const closed = { ...started('c', 3_000), status: 'completed' as const };
    for (const s of [...states, closed]) {
      await beforeNameFolds(db)
        .insertInto('projects')
        .values({
          id: s.id,
          name: s.name,
          template_key: s.template.key,
          template_version: s.template.version,
          status: s.status,
          current: JSON.stringify(s.current),
          started_by: s.startedBy,
          started_at: s.startedAt,
          updated_at: s.updatedAt,
          ended_at: null,
          seq: s.seq,
          state: JSON.stringify(s),
        })
        .execute();
    }
    await beforeNameFolds(db)
      .insertInto('projects')
      .values({
        id: 'broken',
        name: 'Broken',
        template_key: opsIntegratedDelivery.key,
        template_version: 1,
        status: 'active',
        current: '[]',
        started_by: 'pmo',
        started_at: 0,
        updated_at: 0,
        ended_at: null,
        seq: 1,
        state: '{"id":"broken"}',
      })
      .execute();

    const said: string[] = [];
    expect(await migrateToLatest(db, undefined, (line) => said.push(line))).toContain(
      '0013_open_actions',
    );
    expect(said).toEqual([
      'open actions derived for 3 project(s)',
      'open actions: unreadable stored state, left for `records repair`: broken',
    ]);
    for (const user of users) {
      const expected = states.flatMap((s) => pendingActions(s, opsIntegratedDelivery, user));
      const rows = (await allOf(db, user, 200)).map(({ userId: _u, ...a }) => a);
      expect(rows).toEqual(
        [...expected].sort((x, y) => (x.dueAt ?? Infinity) - (y.dueAt ?? Infinity)),
      );
    }
    const total = await db.selectFrom('open_actions').select('project_id').execute();
    expect(total.length).toBeGreaterThan(0);
    expect(total.some((r) => r.project_id === 'c' || r.project_id === 'broken')).toBe(false);

    // Once derived, a migration finds nothing to do but what it still cannot read.
    said.length = 0;
    expect(await migrateToLatest(db, undefined, (line) => said.push(line))).toEqual([]);
    expect(said).toEqual([
      'open actions: unreadable stored state, left for `records repair`: broken',
    ]);
  });

  it('keeps a project ended outside Gatehouse terminated when a late write of its workflow lands', async () => {
    await migrateToLatest(db);
    await seedTemplate(db, opsIntegratedDelivery);
    const state = started('t', 1_000);
    expect(await upsertProjectSnapshot(db, state, { attempt: '1' })).toBe(true);
    expect(await markTerminated(db, 't')).toBe(true);
    // The same attempt's state again (a settle), and a newer attempt's: neither reopens it.
    expect(await upsertProjectSnapshot(db, state, { attempt: '1' })).toBe(false);
    expect(
      await upsertProjectSnapshot(db, { ...state, seq: state.seq + 1 }, { attempt: '2' }),
    ).toBe(false);
    expect((await getProjectState(db, 't'))!.status).toBe('terminated');
    expect(await allOf(db, users[0]!, 50)).toEqual([]);
  });

  it('pages a user across projects in due order, however the pages are cut', async () => {
    await migrateToLatest(db);
    await seedTemplate(db, opsIntegratedDelivery);
    // Two projects start at the same instant: equal due dates, the tie broken the same way.
    for (const [id, at] of [
      ['p3', 5_000],
      ['p1', 1_000],
      ['p2', 5_000],
      ['p4', 9_000],
    ] as const) {
      expect(await upsertProjectSnapshot(db, started(id, at))).toBe(true);
    }
    for (const user of users) {
      const whole = await allOf(db, user, 200);
      const dues = whole.map((a) => a.dueAt ?? Infinity);
      expect(dues).toEqual([...dues].sort((a, b) => a - b));
      for (const limit of [1, 2, 3, 5]) expect(await allOf(db, user, limit)).toEqual(whole);
    }
    // Closing a project takes its rows away.
    const done = { ...started('p2', 5_000), status: 'cancelled' as const, seq: 99 };
    await upsertProjectSnapshot(db, done);
    expect(
      await db
        .selectFrom('open_actions')
        .select('user_id')
        .where('project_id', '=', 'p2')
        .execute(),
    ).toEqual([]);
  });

  it('catches up projects an older build wrote during a rolling upgrade', async () => {
    await migrateToLatest(db);
    await seedTemplate(db, opsIntegratedDelivery);
    const [a, b] = [started('a', 1_000), started('b', 2_000)];
    await upsertProjectSnapshot(db, a);
    await upsertProjectSnapshot(db, b);
    // An older build knows no open actions: it writes the snapshot (a's inception signed off,
    // say: here a later due date) and ends b as markTerminated did, nothing else.
    const moved = { ...started('a', 50_000), seq: a.seq + 1 };
    await db
      .updateTable('projects')
      .set({ state: JSON.stringify(moved), seq: moved.seq })
      .where('id', '=', 'a')
      .execute();
    await db
      .updateTable('projects')
      .set({ status: 'terminated', state: JSON.stringify({ ...b, status: 'terminated' }) })
      .where('id', '=', 'b')
      .execute();

    expect(await catchUpOpenActions(db)).toEqual({ projects: 2, unreadable: [] });
    for (const user of users) {
      const rows = (await allOf(db, user, 200)).map(({ userId: _u, ...x }) => x);
      const expected = pendingActions(moved, opsIntegratedDelivery, user);
      expect(rows).toEqual(expected.sort((x, y) => (x.dueAt ?? Infinity) - (y.dueAt ?? Infinity)));
    }
    // Nothing behind any more.
    expect(await catchUpOpenActions(db)).toEqual({ projects: 0, unreadable: [] });
  });

  it('derives every project again when its rows are of an older derivation (feedback, rev 2)', async () => {
    await migrateToLatest(db);
    await seedTemplate(db, opsIntegratedDelivery);
    const sim = new Simulator(opsIntegratedDelivery, {
      participants,
      projectId: 'fb',
      name: 'Project fb',
      startedBy: 'pmo',
    });
    sim.must('frontline-1', { type: 'feedback', kind: 'feedback', text: 'Too many clicks' });
    await upsertProjectSnapshot(db, sim.state);
    // As a build before feedback was an inbox item left them: no feedback row, rev 1.
    await db.deleteFrom('open_actions').where('action', '=', 'answer-feedback').execute();
    await db
      .updateTable('read_model_revs')
      .set({ rev: 1 })
      .where('name', '=', 'open_actions')
      .execute();
    expect(await ensureOpenActions(db)).toEqual({ projects: 1, unreadable: [] });
    const pm = (await allOf(db, 'pm-1', 50)).filter((a) => a.action === 'answer-feedback');
    expect(pm).toEqual([
      expect.objectContaining({ nodeId: 'inception', itemId: 'feedback-1', detail: 'open' }),
    ]);
    for (const user of users) {
      const rows = (await allOf(db, user, 200)).map(({ userId: _u, ...x }) => x);
      const expected = pendingActions(sim.state, opsIntegratedDelivery, user);
      expect(rows).toEqual(expected.sort((x, y) => (x.dueAt ?? Infinity) - (y.dueAt ?? Infinity)));
    }
    // Current now: nothing to do again.
    expect(await ensureOpenActions(db)).toEqual({ projects: 0, unreadable: [] });
  });
});

describe('the open-actions page on sqlite', () => {
  it('is one range read of the order index per user, from where the last page ended', async () => {
    const target = await databaseFactory('sqlite').create();
    const migrated = createDatabase(target.url);
    await migrateToLatest(migrated);
    await migrated.destroy();
    const file = target.url.replace(/^sqlite:/, '');
    const raw = new SQLite(file);
    const queries: { sql: string; parameters: readonly unknown[] }[] = [];
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: raw }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query);
      },
    });
    try {
      const cursor = Buffer.from(`5:x`).toString('base64url');
      const delegated = [{ delegatorId: 'd1' }, { delegatorId: 'd2', projectIds: ['p'] }];
      await listOpenActions(db, 'u', { delegated, cursor });
      expect(queries).toHaveLength(1);
      const { sql, parameters } = queries[0]!;
      const plan = raw
        .prepare(`explain query plan ${sql}`)
        .all(...(parameters as unknown[]))
        .map((row) => (row as { detail: string }).detail);
      const reads = plan.filter((line) => /open_actions/.test(line));
      expect(reads).toEqual(
        Array.from(
          { length: 3 },
          () =>
            'SEARCH open_actions USING INDEX open_actions_user_order_idx (user_id=? AND (due_order,tie)>(?,?))',
        ),
      );
    } finally {
      await db.destroy();
      await target.drop();
    }
  });
});

it('reads each published version once for a writer bound to one database', async () => {
  const read: string[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SQLite(':memory:') }),
    log: (event) => {
      if (/from "template_versions"/.test(event.query.sql)) read.push(event.query.sql);
    },
  });
  try {
    await migrateToLatest(db);
    await seedTemplate(db, opsIntegratedDelivery);
    read.length = 0;
    const templates = publishedTemplates();
    for (const [i, id] of ['a', 'b', 'c'].entries()) {
      expect(await upsertProjectSnapshot(db, started(id, 1_000 + i), { templates })).toBe(true);
    }
    expect(read).toHaveLength(1);
    // The same rows as without the cache: what the interpreter says each user can do (in the
    // inbox's order, due first, which interleaves the projects).
    for (const user of users) {
      const rows = await allOf(db, user, 50);
      expect(rows.map((r) => `${r.projectId} ${r.action}`).sort()).toEqual(
        ['a', 'b', 'c']
          .flatMap((id, i) =>
            pendingActions(started(id, 1_000 + i), opsIntegratedDelivery, user).map(
              (a) => `${id} ${a.action}`,
            ),
          )
          .sort(),
      );
    }
    // Without it (the API, a repair), each snapshot reads its version again.
    await upsertProjectSnapshot(db, { ...started('a', 1_000), seq: 99 });
    expect(read).toHaveLength(2);
  } finally {
    await db.destroy();
  }
});
