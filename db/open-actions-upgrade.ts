/**
 * The open-actions table across builds: a database upgraded to `0013_open_actions` gets its
 * rows from the stored states, and projects an older build wrote during a rolling upgrade (it
 * knows no open actions) are derived again, with the project's list summary (`progress`,
 * 0021_project_progress). `gatehouse migrate` and each worker's start run it; normally there
 * is nothing to do but a scan of the projects' keys.
 */
import { type Kysely, SqliteAdapter } from 'kysely';
import { ZodError } from 'zod';
import { progressSummary } from '../workflows/model/progress';
import type { ProjectState } from '../workflows/model/state';
import { readState } from '../workflows/model/state-versions';
import { lockFor } from './database';
import { listKeys } from './list-keys';
import { actionsSource, OPEN_ACTIONS_REV, templateOf, writeOpenActions } from './open-actions';
import type { Database } from './schema';

/** What {@link catchUpOpenActions} did. */
export interface OpenActionsCatchUp {
  /** Projects whose rows were derived again. */
  projects: number;
  /** Projects whose stored state this build cannot read: no rows until their next write. */
  unreadable: string[];
}

/**
 * Derives the rows of every project whose snapshot they were not derived from: all of them on
 * a database upgraded to `0013_open_actions`, those an older build wrote during a rolling
 * upgrade, none otherwise (a scan of the projects' keys). `inTransaction`: `db` is already a
 * write transaction (the migration's); else each project is caught up in its own, which locks
 * its row first, so a record write meanwhile waits and then derives its own rows.
 */
export async function catchUpOpenActions(
  db: Kysely<Database>,
  options: { inTransaction?: boolean } = {},
): Promise<OpenActionsCatchUp> {
  const done: OpenActionsCatchUp = { projects: 0, unreadable: [] };
  let after = '';
  for (;;) {
    // A page of projects at a time, by id: memory stays bounded on a large portfolio.
    const page = await db
      .selectFrom('projects')
      .select(['id', 'seq', 'attempt', 'status', 'actions_of'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute();
    for (const row of page) {
      if (row.actions_of === actionsSource(row)) continue;
      const outcome = options.inTransaction
        ? await deriveProject(db, row.id)
        : await db.transaction().execute((trx) => deriveProject(trx, row.id));
      if (outcome === 'derived') done.projects += 1;
      if (outcome === 'unreadable') done.unreadable.push(row.id);
    }
    const last = page.at(-1);
    if (!last || page.length < 1000) return done;
    after = last.id;
  }
}

async function deriveProject(
  trx: Kysely<Database>,
  id: string,
): Promise<'derived' | 'unreadable' | 'gone'> {
  // A write first: the row's lock on PostgreSQL, the write lock on SQLite.
  await trx.updateTable('projects').set({ actions_of: null }).where('id', '=', id).execute();
  const row = await trx
    .selectFrom('projects')
    .select(['state', 'seq', 'attempt', 'status', 'started_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return 'gone';
  let state: ProjectState;
  try {
    state = readState(JSON.parse(row.state));
  } catch (error) {
    // One unreadable snapshot must not stop an upgrade or a start: it is reported, and the
    // project gets its rows on its next record write or `records repair`.
    if (!(error instanceof SyntaxError || error instanceof ZodError)) throw error;
    return 'unreadable';
  }
  const template = await templateOf(trx, state.template.key, state.template.version);
  await writeOpenActions(trx, state, async () => template);
  // The list's summary is derived from the same snapshot (see upsertProjectSnapshot).
  const progress = progressSummary(state, template);
  await trx
    .updateTable('projects')
    .set({
      actions_of: actionsSource(row),
      progress: JSON.stringify(progress),
      // What the portfolio filters, sorts and counts by (0022_portfolio_views).
      ...listKeys(progress, row.status, Number(row.started_at)),
    })
    .where('id', '=', id)
    .execute();
  return 'derived';
}

/**
 * Brings the table to this build: when it does not hold this build's derivation
 * (OPEN_ACTIONS_REV) every project is derived again, else only those behind (see
 * {@link catchUpOpenActions}). `gatehouse migrate` runs it in its migration lock (on SQLite
 * `db` is then already in a write transaction): an upgraded database gets its rows there.
 */
export async function ensureOpenActions(db: Kysely<Database>): Promise<OpenActionsCatchUp> {
  const work = async (trx: Kysely<Database>) => {
    const stored = await trx
      .selectFrom('read_model_revs')
      .select('rev')
      .where('name', '=', 'open_actions')
      .executeTakeFirst();
    if (stored?.rev !== OPEN_ACTIONS_REV) {
      await trx.deleteFrom('open_actions').execute();
      await trx.updateTable('projects').set({ actions_of: null }).execute();
      await trx
        .insertInto('read_model_revs')
        .values({ name: 'open_actions', rev: OPEN_ACTIONS_REV })
        .onConflict((oc) => oc.column('name').doUpdateSet({ rev: OPEN_ACTIONS_REV }))
        .execute();
    }
    return catchUpOpenActions(trx, { inTransaction: true });
  };
  if (db.getExecutor().adapter instanceof SqliteAdapter) return work(db);
  return db.transaction().execute(async (trx) => {
    await lockFor(trx, 'open_actions:rebuild');
    return work(trx);
  });
}
