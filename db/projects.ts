/**
 * The project read model: latest state per project, written by the worker, read by the API
 * (lists, filters, participants) without asking Temporal.
 */
import { type Insertable, type Kysely } from 'kysely';
import { ProgressSummary, progressSummary } from '../workflows/model/progress';
import type { ProjectState, ProjectStatus } from '../workflows/model/state';
import type { Template } from '../workflows/model/template';
import { readState } from '../workflows/model/state-versions';
import { recordChange } from './changes';
import { inTransaction, isSqlite } from './database';
import { listKeys } from './list-keys';
import { foldName } from './name-fold';
import {
  actionsSource,
  clearOpenActions,
  templateOf,
  writeOpenActions,
  type TemplateSource,
} from './open-actions';
import { reusedQuery, type Slot } from './reused-query';
import type { Database, ProjectsTable } from './schema';

/**
 * Stores the project's latest state; true when it was written. Snapshots can arrive out of
 * order (retries, a restarted worker, the API's first snapshot racing the worker's): one with
 * an older audit sequence than the stored one is ignored, atomically. `force` writes it anyway
 * (`records repair`, a workflow reset outside Gatehouse whose sequence went back).
 *
 * A record write's `attempt` (db/fences.ts, already fenced: never an older attempt than the
 * newest that wrote) replaces the snapshot of an older or no attempt whatever its sequence
 * (of its own attempt: one with a sequence as new):
 * a failed workflow task attempt may have stored a state ahead of the history. A snapshot
 * without an attempt does not replace an attempt's at the same sequence.
 *
 * A written snapshot replaces the project's open actions (db/open-actions.ts) in the same
 * transaction: what each participant can do now. Its `progress` (workflows/model/progress.ts)
 * goes with it: what the lists show of where it stands.
 */
export async function upsertProjectSnapshot(
  db: Kysely<Database>,
  state: ProjectState,
  options: { force?: boolean; attempt?: string; templates?: TemplateSource } = {},
): Promise<boolean> {
  const { attempt } = options;
  return inTransaction(db, async (trx) => {
    // Read once for both: the node names of `progress` and the open actions.
    const template = await (options.templates ?? templateOf)(
      trx,
      state.template.key,
      state.template.version,
    );
    const row = snapshotRow(state, attempt, template);
    const written = await upsertSnapshot(
      trx,
      row,
      options.force ? FORCED : attempt !== undefined ? BY_ATTEMPT : BY_SEQ,
    );
    if (Number(written.numAffectedRows ?? 0n) === 0) return false;
    if (isSqlite(trx)) await updateIndexedColumns(trx, row);
    // The to-do inbox's rows follow the snapshot, in the same transaction.
    await writeOpenActions(trx, state, async () => template);
    // Participants change only at the start and on a migration: rewritten only then.
    const participants = Object.entries(state.participants).flatMap(([role, users]) =>
      [...new Set(users)].map((user_id) => ({ project_id: state.id, user_id, role })),
    );
    const { rows: storedParticipants } = await selectParticipants(trx, { projectId: state.id });
    // Open event streams: the project's, and the inboxes of whoever takes part (or took part).
    await recordChange(trx, {
      project: state.id,
      users: [...participants, ...storedParticipants].map((p) => p.user_id),
    });
    const key = (p: { user_id: string; role: string }) => `${p.role}\u0000${p.user_id}`;
    const same = (a: string[], b: string[]) =>
      a.length === b.length && a.every((k, i) => k === b[i]);
    if (same(participants.map(key).sort(), storedParticipants.map(key).sort())) return true;
    if (storedParticipants.length > 0) {
      await trx.deleteFrom('project_participants').where('project_id', '=', state.id).execute();
    }
    if (participants.length > 0) {
      await trx
        .insertInto('project_participants')
        .values(participants)
        .onConflict((oc) => oc.columns(['project_id', 'user_id', 'role']).doNothing())
        .execute();
    }
    await writeMembers(trx, state);
    return true;
  });
}

/** The `projects` row of a snapshot, with what is derived from it alone. */
function snapshotRow(
  state: ProjectState,
  attempt: string | undefined,
  template: Template | undefined,
): Insertable<ProjectsTable> {
  const progress = progressSummary(state, template);
  return {
    id: state.id,
    name: state.name,
    name_folded: foldName(state.name),
    template_key: state.template.key,
    template_version: state.template.version,
    status: state.status,
    current: JSON.stringify(state.current),
    started_by: state.startedBy,
    started_at: state.startedAt,
    updated_at: state.updatedAt,
    ended_at: state.endedAt ?? null,
    seq: state.seq,
    state: JSON.stringify(state),
    attempt: attempt ?? null,
    progress: JSON.stringify(progress),
    // What the portfolio filters, sorts and counts by: from the same summary.
    ...listKeys(progress, state.status, state.startedAt),
    // The open actions (and `progress`) are derived from this snapshot.
    actions_of: actionsSource({ seq: state.seq, attempt: attempt ?? null, status: state.status }),
  };
}

/** Which snapshot {@link upsertSnapshot} may replace: see upsertProjectSnapshot. */
const [BY_SEQ, BY_ATTEMPT, FORCED] = [0, 1, 2];

// Every record write runs these: built once per variant (db/reused-query.ts).
const upsertSnapshot = reusedQuery<Insertable<ProjectsTable>>((db, slot, { variant }) => {
  const unindexed = {
    name: slot('name'),
    name_folded: slot('name_folded'),
    current: slot('current'),
    started_by: slot('started_by'),
    updated_at: slot('updated_at'),
    ended_at: slot('ended_at'),
    seq: slot('seq'),
    state: slot('state'),
    attempt: slot('attempt'),
    progress: slot('progress'),
    actions_of: slot('actions_of'),
  };
  const indexed = indexedSlots(slot);
  // SQLite rewrites the entry of every index on a column the update sets, changed or not
  // (PostgreSQL compares the values itself): there, the indexed columns follow apart.
  const changes = isSqlite(db) ? unindexed : { ...unindexed, ...indexed };
  const seq = slot('seq');
  return db
    .insertInto('projects')
    .values({ id: slot('id'), ...unindexed, ...indexed })
    .onConflict((oc) => {
      const update = oc.column('id').doUpdateSet(changes);
      if (variant === FORCED) return update;
      // A project ended outside Gatehouse stays terminated: a record write or settle of its
      // workflow that lands after the API marked it (markTerminated) must not reopen it.
      const open = update.where('projects.status', '<>', 'terminated');
      if (variant === BY_ATTEMPT) {
        // The same attempt writes its states in order, but a settle (workflows/outbox.ts)
        // may land after a newer state of its own attempt: that one stays.
        const attempt = slot('attempt') as string;
        return open.where((eb) =>
          eb.or([
            eb('projects.attempt', 'is', null),
            eb('projects.attempt', '<', attempt),
            eb.and([eb('projects.attempt', '=', attempt), eb('projects.seq', '<=', seq)]),
          ]),
        );
      }
      return open.where((eb) =>
        eb.or([
          eb('projects.seq', '<', seq),
          eb.and([eb('projects.seq', '=', seq), eb('projects.attempt', 'is', null)]),
        ]),
      );
    });
});

/**
 * The columns the `projects` indexes hold, in their keys or their conditions (the portfolio's
 * lists, db/migrations): a snapshot changes them only when the project moves on (a stage, its
 * status, hypercare, the budget, a migration to another version), while every record write
 * changes the others.
 */
export const INDEXED_COLUMNS = [
  'template_key',
  'template_version',
  'status',
  'started_at',
  'stage',
  'stage_since',
  'hypercare_due',
  'over_budget',
] as const satisfies readonly (keyof ProjectsTable)[];

type IndexedColumn = (typeof INDEXED_COLUMNS)[number];

/** A slot for each of {@link INDEXED_COLUMNS}. */
function indexedSlots(slot: Slot<Insertable<ProjectsTable>>) {
  return Object.fromEntries(INDEXED_COLUMNS.map((column) => [column, slot(column)])) as Pick<
    Insertable<ProjectsTable>,
    IndexedColumn
  >;
}

/**
 * SQLite: the indexed columns of a snapshot just written, set only where one differs. Each
 * record write would otherwise rewrite an entry in each of the table's dozen indexes, twice as
 * many pages as the rest of the write, for the write-ahead log and its checkpoints to copy.
 */
const updateIndexedColumns = reusedQuery<Insertable<ProjectsTable>>((db, slot) =>
  db
    .updateTable('projects')
    .set(indexedSlots(slot))
    .where('id', '=', slot('id'))
    .where((eb) =>
      eb.or(INDEXED_COLUMNS.map((column) => eb(column, 'is not', slot(column) as never))),
    ),
);

const selectParticipants = reusedQuery<{ projectId: string }, { user_id: string; role: string }>(
  (db, slot) =>
    db
      .selectFrom('project_participants')
      .select(['user_id', 'role'])
      .where('project_id', '=', slot('projectId')),
);

/** One `project_members` row per user taking part, whatever their roles. */
async function writeMembers(trx: Kysely<Database>, state: ProjectState): Promise<void> {
  await trx.deleteFrom('project_members').where('project_id', '=', state.id).execute();
  const users = [...new Set(Object.values(state.participants).flat())];
  if (users.length === 0) return;
  await trx
    .insertInto('project_members')
    .values(
      users.map((user_id) => ({ user_id, project_id: state.id, started_at: state.startedAt })),
    )
    .execute();
}

/**
 * Marks an open project `terminated` (its workflow was ended outside Gatehouse); true when it
 * changed. A project the lifecycle closed keeps its status.
 */
export async function markTerminated(db: Kysely<Database>, id: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('projects')
      .select(['status', 'state', 'seq', 'attempt', 'progress', 'started_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (row.status !== 'active' && row.status !== 'on_hold')) return false;
    const state = { ...readState(JSON.parse(row.state)), status: 'terminated' as const };
    const actionsOf = actionsSource({ ...row, status: 'terminated' });
    // Ended: no longer at a stage nor in hypercare (the list keys follow the status).
    const parsed =
      row.progress === null ? undefined : ProgressSummary.safeParse(JSON.parse(row.progress));
    const keys = listKeys(
      parsed?.success ? parsed.data : null,
      'terminated',
      Number(row.started_at),
    );
    await trx
      .updateTable('projects')
      .set({ status: 'terminated', state: JSON.stringify(state), actions_of: actionsOf, ...keys })
      .where('id', '=', id)
      .where('status', 'in', ['active', 'on_hold'])
      .execute();
    await recordChange(trx, { project: id, users: Object.values(state.participants).flat() });
    await clearOpenActions(trx, id);
    return true;
  });
}

/** The stored state of a project, if the read model has it. */
export async function getProjectState(
  db: Kysely<Database>,
  id: string,
): Promise<ProjectState | undefined> {
  const row = await db
    .selectFrom('projects')
    .select('state')
    .where('id', '=', id)
    .executeTakeFirst();
  return row && readState(JSON.parse(row.state));
}

/** The audit sequence of the stored state. */
export async function getProjectSeq(db: Kysely<Database>, id: string): Promise<number | undefined> {
  return (await getProjectMark(db, id))?.seq;
}

/**
 * The stored state's audit sequence and status (SSE uses them to notice changes cheaply): a
 * project ended outside Gatehouse changes its status without a new sequence.
 */
export async function getProjectMark(
  db: Kysely<Database>,
  id: string,
): Promise<{ seq: number; status: ProjectStatus } | undefined> {
  const row = await db
    .selectFrom('projects')
    .select(['seq', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { seq: Number(row.seq), status: row.status as ProjectStatus };
}

// The lists (and their filters) read what the functions above write.
export * from './project-list';

/** The roles `userId` holds in the project, sorted; empty when not a participant. */
export async function isParticipant(
  db: Kysely<Database>,
  projectId: string,
  userId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('project_participants')
    .select('role')
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .orderBy('role', 'asc')
    .execute();
  return rows.map((row) => row.role);
}
