/**
 * The open-actions table: one row per action a user can take now (the interpreter's
 * `pendingActions` for each participant of each open project). The single writer of project
 * snapshots (`upsertProjectSnapshot`) keeps it current in its own transaction, so the to-do
 * inbox is a range read in due order instead of parsing every open project per request.
 */
import type { Kysely, Selectable } from 'kysely';
import { LRUCache } from 'lru-cache';
import { pendingActions, type PendingAction } from '../workflows/lifecycle/pending';
import type { ProjectState } from '../workflows/model/state';
import { Template } from '../workflows/model/template';
import { readState } from '../workflows/model/state-versions';
import { chunks, inTransaction } from './database';
import { reusedQuery } from './reused-query';
import type { Database, OpenActionsTable } from './schema';

/**
 * Which derivation the stored rows hold. Bump it when what `pendingActions` answers for a
 * stored state changes: `gatehouse migrate` then rebuilds the table (ensureOpenActions).
 * 2: unanswered feedback is an inbox item (`answer-feedback`) of whoever is expected to answer it.
 * 3: accepting the end of an expired hypercare is due since its expiry (`dueAt`).
 * 4: the roles' names (`roleNames`) and an issue's severity (`issue`, 0023_open_action_words);
 *    the order's tie-breaker puts issues first, most severe first (see {@link tieOf}).
 * 5: a node's sign-off comes after its other actions (deliverables, conditions, readiness), so
 *    at equal due times the inbox lists the work before the sign-off that needs it.
 */
export const OPEN_ACTIONS_REV = 5;

/** The order key of an action without a due date: after every date (2^53 - 1). */
export const NO_DUE = Number.MAX_SAFE_INTEGER;

const OPEN_STATUSES: readonly string[] = ['active', 'on_hold'];

type Row = Selectable<OpenActionsTable>;

/** Where the open actions find a project's published template version. */
export type TemplateSource = (
  db: Kysely<Database>,
  key: string,
  version: number,
) => Promise<Template | undefined>;

const TEMPLATE_CACHE_SIZE = 64;

/**
 * Published versions are immutable, so their parsed templates are kept per process, bounded
 * (least recently used out). The body is read each time and compared: two databases of one
 * process (tests) may hold different bodies under the same key and version.
 */
const templates = new LRUCache<string, { body: string; template: Template }>({
  max: TEMPLATE_CACHE_SIZE,
});

// Run by every record write of a project whose template version was never read (built once).
const selectBody = reusedQuery<{ key: string; version: number }, { body: string }>((db, slot) =>
  db
    .selectFrom('template_versions')
    .select('body')
    .where('key', '=', slot('key'))
    .where('version', '=', slot('version')),
);

export const templateOf: TemplateSource = async (db, key, version) => {
  const [row] = (await selectBody(db, { key, version })).rows;
  if (!row) return undefined;
  const id = `${version}@${key}`;
  const cached = templates.get(id);
  const template =
    cached?.body === row.body ? cached.template : Template.parse(JSON.parse(row.body));
  templates.set(id, { body: row.body, template });
  return template;
};

/**
 * The published versions of one database, each read once: for a writer bound to a single
 * database (a worker's record writes), which then reads no template per snapshot.
 */
export function publishedTemplates(): TemplateSource {
  const known = new LRUCache<string, Template>({ max: TEMPLATE_CACHE_SIZE });
  return async (db, key, version) => {
    const id = `${version}@${key}`;
    let template = known.get(id);
    if (!template) {
      template = await templateOf(db, key, version);
      if (template) known.set(id, template);
    }
    return template;
  };
}

/**
 * The order's tie-breaker among actions due at the same time (or with no due date), unique
 * across users: one page may mix the caller's rows with a delegator's. Hypercare issues come
 * first, most severe first (as the project page lists them), then everything else; within a
 * rank, by project and then as the interpreter lists them. Only equal due times are ordered
 * so: the inbox is due first, and a page continues from the last (due, tie) it showed.
 */
export function tieOf(projectId: string, position: number, user: string, a: PendingAction) {
  // Severities are 1 to 3 (commands.ts); 9 is past them.
  const rank = a.issue !== undefined ? Math.min(Math.max(a.issue.severity, 0), 8) : 9;
  return `${rank}\u001f${projectId}\u001f${String(position).padStart(4, '0')}\u001f${user}`;
}

/** The rows of a project: every participant's pending actions; none once it is closed. */
export function openActionRows(state: ProjectState, template: Template): Row[] {
  if (!OPEN_STATUSES.includes(state.status)) return [];
  const users = [...new Set(Object.values(state.participants).flat())].sort();
  return users.flatMap((user) =>
    pendingActions(state, template, user).map((a, position) => ({
      project_id: state.id,
      user_id: user,
      position,
      due_order: a.dueAt ?? NO_DUE,
      tie: tieOf(state.id, position, user, a),
      project_name: a.projectName,
      node_id: a.nodeId,
      node_name: a.nodeName,
      action: a.action,
      roles: JSON.stringify(a.roles),
      role_names: JSON.stringify(a.roleNames),
      due_at: a.dueAt ?? null,
      item_id: a.itemId ?? null,
      detail: a.detail ?? null,
      issue_severity: a.issue?.severity ?? null,
      issue_blocks_exit: a.issue === undefined ? null : Number(a.issue.blocksExit),
    })),
  );
}

const rowKey = (r: Row) =>
  JSON.stringify([
    r.user_id,
    r.position,
    r.due_order,
    r.tie,
    r.project_name,
    r.node_id,
    r.node_name,
    r.action,
    r.roles,
    r.role_names,
    r.due_at,
    r.item_id,
    r.detail,
    r.issue_severity,
    r.issue_blocks_exit,
  ]);

/**
 * Replaces the project's rows with those of `state` (in the caller's transaction); true when
 * they changed. Most record writes (an audit note, a KPI reading) leave the set as it was:
 * then nothing is written. A state whose template version is not stored has no rows.
 */
export async function writeOpenActions(
  trx: Kysely<Database>,
  state: ProjectState,
  source: TemplateSource = templateOf,
): Promise<boolean> {
  const template = OPEN_STATUSES.includes(state.status)
    ? await source(trx, state.template.key, state.template.version)
    : undefined;
  const rows = template ? openActionRows(state, template) : [];
  const { rows: stored } = await selectStored(trx, { projectId: state.id });
  const sorted = [...rows].sort((a, b) =>
    a.user_id === b.user_id ? a.position - b.position : a.user_id < b.user_id ? -1 : 1,
  );
  // Only the rows of users whose list changed are replaced: a step usually changes what a few
  // participants can do, and each user's rows sit apart in the index the inbox reads.
  const [before, after] = [byUser(stored), byUser(sorted)];
  const changed = [...new Set([...before.keys(), ...after.keys()])].filter(
    (user) => before.get(user)?.keys !== after.get(user)?.keys,
  );
  if (changed.length === 0) return false;
  if (after.size === 0) {
    await clearOpenActions(trx, state.id);
    return true;
  }
  const replaced = changed.filter((user) => before.has(user));
  for (const users of chunks(replaced)) {
    await deleteOfUsers(
      trx,
      users.map((user) => ({ projectId: state.id, user })),
    );
  }
  const inserted = changed.flatMap((user) => after.get(user)?.rows ?? []);
  // Chunked: PostgreSQL and SQLite bound the parameters of one statement.
  for (let i = 0; i < inserted.length; i += 200) {
    await insertRows(trx, inserted.slice(i, i + 200));
  }
  return true;
}

// Most record writes change some participant's rows: built once per row or user count
// (db/reused-query.ts). Every user's row carries the project: the first's stands for all.
const deleteOfUsers = reusedQuery<{ projectId: string; user: string }>((db, slot, { rows }) =>
  db
    .deleteFrom('open_actions')
    .where('project_id', '=', slot.at('projectId', 0))
    .where(
      'user_id',
      'in',
      Array.from({ length: rows }, (_, i) => slot.at('user', i)),
    ),
);

const insertRows = reusedQuery<Row>((db, slot, { rows }) =>
  db.insertInto('open_actions').values(
    Array.from({ length: rows }, (_, i) => ({
      project_id: slot.at('project_id', i),
      user_id: slot.at('user_id', i),
      position: slot.at('position', i),
      due_order: slot.at('due_order', i),
      tie: slot.at('tie', i),
      project_name: slot.at('project_name', i),
      node_id: slot.at('node_id', i),
      node_name: slot.at('node_name', i),
      action: slot.at('action', i),
      roles: slot.at('roles', i),
      role_names: slot.at('role_names', i),
      due_at: slot.at('due_at', i),
      item_id: slot.at('item_id', i),
      detail: slot.at('detail', i),
      issue_severity: slot.at('issue_severity', i),
      issue_blocks_exit: slot.at('issue_blocks_exit', i),
    })),
  ),
);

/** Rows (in order) by user, with their keys joined: equal keys, equal rows. */
function byUser(rows: readonly Row[]): Map<string, { rows: Row[]; keys: string }> {
  const users = new Map<string, { rows: Row[]; keys: string }>();
  for (const row of rows) {
    const entry = users.get(row.user_id);
    if (entry) {
      entry.rows.push(row);
      entry.keys += `\n${rowKey(row)}`;
    } else users.set(row.user_id, { rows: [row], keys: rowKey(row) });
  }
  return users;
}

// Every record write runs it: built once (db/reused-query.ts).
const selectStored = reusedQuery<{ projectId: string }, Row>((db, slot) =>
  db
    .selectFrom('open_actions')
    .selectAll()
    .where('project_id', '=', slot('projectId'))
    .orderBy('user_id')
    .orderBy('position'),
);

/** Removes a project's rows (it ended, or was terminated outside Gatehouse). */
export async function clearOpenActions(trx: Kysely<Database>, projectId: string): Promise<void> {
  await deleteOfProject(trx, { projectId });
}

// Run by the record write that closes a project: built once (db/reused-query.ts).
const deleteOfProject = reusedQuery<{ projectId: string }>((db, slot) =>
  db.deleteFrom('open_actions').where('project_id', '=', slot('projectId')),
);

/**
 * Derives one project's rows again from its stored state (`records repair`); true when they
 * changed. Without a stored state the project has none.
 */
export async function syncOpenActions(db: Kysely<Database>, projectId: string): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('projects')
      .select('state')
      .where('id', '=', projectId)
      .executeTakeFirst();
    if (row) return writeOpenActions(trx, readState(JSON.parse(row.state)));
    const removed = await trx
      .deleteFrom('open_actions')
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    return Number(removed.numDeletedRows) > 0;
  });
}

/**
 * What a project's rows were derived from: its snapshot's sequence, attempt and status, kept
 * in `projects.actions_of` by the same statement that writes the snapshot. A write of an older
 * build during a rolling upgrade (which knows no open actions) leaves it behind: the project
 * is then caught up by catchUpOpenActions (db/open-actions-upgrade.ts).
 */
export function actionsSource(p: { seq: number; attempt: string | null; status: string }): string {
  return `${p.seq}:${p.attempt ?? ''}:${p.status}`;
}
