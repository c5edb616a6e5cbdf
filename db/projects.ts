/**
 * The project read model: latest state per project, written by the worker, read by the API
 * (lists, filters, participants) without asking Temporal.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { progressSummary } from '../workflows/model/progress';
import type { ProjectState, ProjectStatus } from '../workflows/model/state';
import type { Template } from '../workflows/model/template';
import { readState } from '../workflows/model/state-versions';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { recordChange } from './changes';
import { inTransaction } from './database';
import {
  actionsSource,
  clearOpenActions,
  templateOf,
  writeOpenActions,
  type TemplateSource,
} from './open-actions';
import { type Page, ProjectSummary } from './records';
import { reusedQuery } from './reused-query';
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
    const written = await upsertSnapshot(
      trx,
      snapshotRow(state, attempt, template),
      options.force ? FORCED : attempt !== undefined ? BY_ATTEMPT : BY_SEQ,
    );
    if (Number(written.numAffectedRows ?? 0n) === 0) return false;
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
  return {
    id: state.id,
    name: state.name,
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
    progress: JSON.stringify(progressSummary(state, template)),
    // The open actions (and `progress`) are derived from this snapshot.
    actions_of: actionsSource({ seq: state.seq, attempt: attempt ?? null, status: state.status }),
  };
}

/** Which snapshot {@link upsertSnapshot} may replace: see upsertProjectSnapshot. */
const [BY_SEQ, BY_ATTEMPT, FORCED] = [0, 1, 2];

// Every record write runs these: built once per variant (db/reused-query.ts).
const upsertSnapshot = reusedQuery<Insertable<ProjectsTable>>((db, slot, { variant }) => {
  const changes = {
    name: slot('name'),
    template_key: slot('template_key'),
    template_version: slot('template_version'),
    status: slot('status'),
    current: slot('current'),
    started_by: slot('started_by'),
    started_at: slot('started_at'),
    updated_at: slot('updated_at'),
    ended_at: slot('ended_at'),
    seq: slot('seq'),
    state: slot('state'),
    attempt: slot('attempt'),
    progress: slot('progress'),
    actions_of: slot('actions_of'),
  };
  const seq = slot('seq');
  return db
    .insertInto('projects')
    .values({ id: slot('id'), ...changes })
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
      .select(['status', 'state', 'seq', 'attempt'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || (row.status !== 'active' && row.status !== 'on_hold')) return false;
    const state = { ...readState(JSON.parse(row.state)), status: 'terminated' as const };
    const actionsOf = actionsSource({ ...row, status: 'terminated' });
    await trx
      .updateTable('projects')
      .set({ status: 'terminated', state: JSON.stringify(state), actions_of: actionsOf })
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

export type ProjectRow = Selectable<ProjectsTable>;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** Options of {@link listProjects}; filters combine with AND. */
export interface ListProjectsOptions {
  /** One status or any of several. */
  status?: ProjectStatus | readonly ProjectStatus[];
  /** A template key (any version). */
  template?: string;
  /** Only projects this user takes part in, in any role. */
  participant?: string;
  /** Only projects whose name contains this text (case-insensitive for ASCII letters). */
  q?: string;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
}

/**
 * Projects, newest first (ties by id), a page at a time: keyset pagination, stable while
 * projects start. An unknown cursor throws InvalidCursorError.
 */
export async function listProjects(
  db: Kysely<Database>,
  options: ListProjectsOptions = {},
): Promise<Page<ProjectSummary>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const statuses = typeof options.status === 'string' ? [options.status] : options.status;
  // `in ()` is a syntax error in both dialects, and nothing matches no status.
  if (statuses?.length === 0) return { items: [] };
  // Each filter reads one index in list order (migration 0011): a page costs its own rows,
  // whatever the size of the portfolio. A participant's list walks their `project_members`
  // range, ordered the same way.
  const member = options.participant;
  let query =
    member === undefined
      ? db.selectFrom('projects as p').select(SUMMARY_COLUMNS)
      : db
          // A cross join keeps SQLite walking the member's range first (its planner may start
          // from a status index otherwise); PostgreSQL plans it as the inner join it is.
          .selectFrom('project_members as m')
          .crossJoin('projects as p')
          .whereRef('p.id', '=', 'm.project_id')
          .select(SUMMARY_COLUMNS)
          .select('m.started_at as order_at')
          .where('m.user_id', '=', member);
  const order = member === undefined ? LIST_ORDER : MEMBER_ORDER;
  const at = sql.ref<number>(order[0]);
  const id = sql.ref<string>(order[1]);
  if (statuses !== undefined) query = query.where('p.status', 'in', statuses);
  if (options.template !== undefined) query = query.where('p.template_key', '=', options.template);
  if (options.q !== undefined && options.q !== '') {
    // Read along the list's index and filtered: a page costs the rows passed over to fill it.
    const pattern = `%${options.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where(sql<boolean>`lower(p.name) like ${pattern} escape '\\'`);
  }
  if (after !== undefined) {
    const [startedAt, lastId] = after;
    query = query.where((eb) =>
      eb.or([eb(at, '<', startedAt), eb.and([eb(at, '=', startedAt), eb(id, '<', lastId)])]),
    );
  }
  // One extra row tells whether another page follows.
  const rows = await query
    .orderBy(at, 'desc')
    .orderBy(id, 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toSummary);
  // The cursor holds the key the list is ordered by: a member row keeps the start time of
  // its first write, which the project's own row may since have moved from (the API's first
  // snapshot, then the workflow's).
  const last = rows[limit - 1];
  const lastAt = last && ('order_at' in last ? last.order_at : last.started_at);
  return rows.length > limit && last !== undefined && lastAt !== undefined
    ? { items, nextCursor: encodeCursor([Number(lastAt), last.id]) }
    : { items };
}

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

/** The columns a summary needs: lists never parse the full state. */
const SUMMARY_COLUMNS = [
  'p.id',
  'p.name',
  'p.template_key',
  'p.template_version',
  'p.status',
  'p.current',
  'p.started_by',
  'p.started_at',
  'p.updated_at',
  'p.ended_at',
  'p.progress',
] as const;

/** The list's order; a participant's list is ordered by their `project_members` range. */
const LIST_ORDER = ['p.started_at', 'p.id'] as const;
const MEMBER_ORDER = ['m.started_at', 'm.project_id'] as const;

type SummaryColumn = (typeof SUMMARY_COLUMNS)[number] extends `p.${infer C}` ? C : never;

function toSummary(row: Pick<ProjectRow, SummaryColumn>): ProjectSummary {
  // Absent, not `undefined`: optional fields stay out of the JSON the API sends.
  return ProjectSummary.parse({
    id: row.id,
    name: row.name,
    template: { key: row.template_key, version: row.template_version },
    status: row.status,
    current: JSON.parse(row.current) as unknown,
    startedBy: row.started_by,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
    // Null only for a stored state this build cannot read (see catchUpOpenActions).
    ...(row.progress !== null && { progress: JSON.parse(row.progress) as unknown }),
  });
}
