/** The in-app inbox: one row per (notification, recipient), newest first. */
import { randomUUID } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import { withPeopleNamed } from '../workflows/model/people';
import type { Notification } from '../workflows/model/state';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { recordChange } from './changes';
import { inTransaction } from './database';
import { activeDelegations, delegatesOf } from './delegations';
import { getUsersByIds } from './users';
import { InboxItem, InboxSummary, type Page } from './records';
import type { RecordAttempt } from './fences';
import { reusedQuery } from './reused-query';
import type { Database, InboxItemsTable } from './schema';

const DEFAULT_PAGE_SIZE = 50;
/** The statuses of a project whose actions are open (db/open-actions.ts). */
const OPEN = ['active', 'on_hold'];

/** Thrown by `listInbox` for a cursor it did not hand out. */
export { InvalidCursorError } from './cursor';

/**
 * Puts `n` into the inbox of each of `userIds` (which must exist: the column references
 * users), and a copy into the inbox of whoever stands in for one of them in this project when
 * `n` is raised (delegation). Idempotent by (notification key, user); returns how many rows
 * were new. A record write's attempt (db/fences.ts) is kept with the rows, with the
 * notification's ordinal.
 */
export async function insertInboxItems(
  db: Kysely<Database>,
  n: Notification,
  userIds: readonly string[],
  at?: RecordAttempt,
): Promise<number> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return 0;
  // Named as the people it mentions are called when it arrives (set in the transaction).
  let shown = n;
  const row = (userId: string, forUserId: string | null) => ({
    id: randomUUID(),
    user_id: userId,
    project_id: n.projectId,
    node_id: n.nodeId ?? null,
    kind: n.kind,
    subject: shown.subject,
    text: shown.text,
    notification_key: n.key,
    created_at: n.at,
    read_at: null,
    for_user_id: forUserId,
    attempt: at?.attempt ?? null,
    note: at ? noteOf(n.key, at.from.note) : null,
  });
  return inTransaction(db, async (trx) => {
    const names = new Map((await getUsersByIds(trx, n.people ?? [])).map((u) => [u.id, u.name]));
    shown = withPeopleNamed(n, (id) => names.get(id));
    const copies = await delegatesOf(trx, unique, n.projectId, n.at);
    const result = await insertItems(trx, [
      ...unique.map((userId) => row(userId, null)),
      ...copies.map((c) => row(c.delegateId, c.delegatorId)),
    ]);
    const inserted = Number(result.numAffectedRows ?? 0n);
    if (inserted > 0) {
      await recordChange(trx, { users: [...unique, ...copies.map((c) => c.delegateId)] });
    }
    return inserted;
  });
}

// Every notification a record write stores runs it: built once per row count (db/reused-query.ts).
const insertItems = reusedQuery<Insertable<InboxItemsTable>>((db, slot, { rows }) =>
  db
    .insertInto('inbox_items')
    .values(
      Array.from({ length: rows }, (_, i) => ({
        id: slot.at('id', i),
        user_id: slot.at('user_id', i),
        project_id: slot.at('project_id', i),
        node_id: slot.at('node_id', i),
        kind: slot.at('kind', i),
        subject: slot.at('subject', i),
        text: slot.at('text', i),
        notification_key: slot.at('notification_key', i),
        created_at: slot.at('created_at', i),
        read_at: slot.at('read_at', i),
        for_user_id: slot.at('for_user_id', i),
        attempt: slot.at('attempt', i),
        note: slot.at('note', i),
      })),
    )
    .onConflict((oc) => oc.columns(['notification_key', 'user_id']).doNothing()),
);

/** A notification's ordinal in its project: its key's `…:n<ordinal>`, else `fallback`. */
export function noteOf(key: string, fallback: number): number {
  const match = /:n(\d+)$/.exec(key);
  return match ? Number(match[1]) : fallback;
}

/** Options of {@link listInbox}; filters combine with AND. */
export interface ListInboxOptions {
  unreadOnly?: boolean;
  /** Only notifications about this project. */
  projectId?: string;
  /** Only notifications of this kind. */
  kind?: InboxItem['kind'];
  /** Page size, 1..500 (default 50). */
  limit?: number;
  /** `nextCursor` of the previous page. */
  cursor?: string;
}

/** One user's inbox, newest first, a page at a time (keyset pagination, stable under inserts). */
export async function listInbox(
  db: Kysely<Database>,
  userId: string,
  options: ListInboxOptions = {},
): Promise<Page<InboxItem>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, 500);
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  let query = db.selectFrom('inbox_items').selectAll().where('user_id', '=', userId);
  if (options.unreadOnly === true) query = query.where('read_at', 'is', null);
  if (options.projectId !== undefined) query = query.where('project_id', '=', options.projectId);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (after !== undefined) {
    const [createdAt, id] = after;
    // One row-value comparison: the index range starts at it (see listProjects).
    query = query.where(sql<boolean>`(created_at, id) < (${createdAt}, ${id})`);
  }
  // One extra row tells whether another page follows.
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const items = rows.slice(0, limit).map(toInboxItem);
  const last = items.at(-1);
  return rows.length > limit && last !== undefined
    ? { items, nextCursor: encodeCursor([last.createdAt, last.id]) }
    : { items };
}

/** Marks one of the user's items read (keeps the first read time); false if it is not theirs. */
export async function markInboxRead(
  db: Kysely<Database>,
  userId: string,
  itemId: string,
  at: number = Date.now(),
): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('inbox_items')
      .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
      .where('id', '=', itemId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) return false;
    await recordChange(trx, { users: [userId] });
    return true;
  });
}

/** What {@link markItemsRead} did: how many items it marked, or which ids are not the user's. */
export type MarkReadResult = { ok: true; marked: number } | { ok: false; unknown: string[] };

/**
 * Marks the user's items `ids` read (each keeps its first read time). All or nothing: when an
 * id is not one of the user's items nothing is marked and the unknown ids are answered.
 */
export async function markItemsRead(
  db: Kysely<Database>,
  userId: string,
  ids: readonly string[],
  at: number = Date.now(),
): Promise<MarkReadResult> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { ok: true, marked: 0 };
  return inTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('inbox_items')
      .select('id')
      .where('user_id', '=', userId)
      .where('id', 'in', unique)
      .execute();
    const mine = new Set(rows.map((row) => row.id));
    const unknown = unique.filter((id) => !mine.has(id));
    if (unknown.length > 0) return { ok: false, unknown };
    const result = await trx
      .updateTable('inbox_items')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('id', 'in', unique)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) await recordChange(trx, { users: [userId] });
    return { ok: true, marked: Number(result.numUpdatedRows) };
  });
}

/** Marks every unread item of the user read; answers how many. */
export async function markAllRead(
  db: Kysely<Database>,
  userId: string,
  at: number = Date.now(),
): Promise<number> {
  return inTransaction(db, async (trx) => {
    const result = await trx
      .updateTable('inbox_items')
      .set({ read_at: at })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) await recordChange(trx, { users: [userId] });
    return Number(result.numUpdatedRows);
  });
}

/** Counts of the user's notifications, all, unread, and per project (by name) and kind. */
export async function summarizeInbox(db: Kysely<Database>, userId: string): Promise<InboxSummary> {
  const rows = await db
    .selectFrom('inbox_items as i')
    .leftJoin('projects as p', 'p.id', 'i.project_id')
    .select((eb) => [
      'i.project_id as projectId',
      'p.name as projectName',
      'i.kind as kind',
      eb.fn.countAll().as('total'),
      eb.fn.count('i.read_at').as('read'),
    ])
    .where('i.user_id', '=', userId)
    .groupBy(['i.project_id', 'p.name', 'i.kind'])
    .execute();
  const projects = new Map<string, InboxSummary['projects'][number]>();
  const kinds = new Map<string, InboxSummary['kinds'][number]>();
  const summary: InboxSummary = { total: 0, unread: 0, projects: [], kinds: [] };
  for (const row of rows) {
    const total = Number(row.total);
    const unread = total - Number(row.read);
    summary.total += total;
    summary.unread += unread;
    const project = projects.get(row.projectId) ?? {
      id: row.projectId,
      name: row.projectName ?? row.projectId,
      total: 0,
      unread: 0,
    };
    project.total += total;
    project.unread += unread;
    projects.set(row.projectId, project);
    const kind = InboxItem.shape.kind.parse(row.kind);
    const byKind = kinds.get(kind) ?? { kind, total: 0, unread: 0 };
    byKind.total += total;
    byKind.unread += unread;
    kinds.set(kind, byKind);
  }
  summary.projects = [...projects.values()].sort((a, b) => a.name.localeCompare(b.name));
  summary.kinds = [...kinds.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  return summary;
}

/**
 * Values that change whenever the user's inbox may look different: `items` when a notification
 * arrives or is read, `actions` when a project they take part in (or stand in for someone in)
 * moves or closes, or a delegation to them begins or ends (their to-do list is computed from those).
 * Cheap (indexed aggregates): the inbox event stream reads them when told of a change to the
 * user or to one of those they stand in for now (`standsInFor`, the delegators).
 */
export async function inboxVersion(
  db: Kysely<Database>,
  userId: string,
  now: number = Date.now(),
): Promise<{ items: string; actions: string; standsInFor: string[] }> {
  const items = await db
    .selectFrom('inbox_items')
    .select((eb) => [
      eb.fn.countAll().as('total'),
      eb.fn.count('read_at').as('read'),
      eb.fn.max('created_at').as('latest'),
    ])
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  // The user's to-do list also holds the sign-offs of whoever they stand in for now.
  const standIns = await activeDelegations(db, userId, now);
  // The projects they (or those they stand in for) take part in, from the members' index (each
  // once: the union drops repeats); a filter on every project (EXISTS per row) read the whole
  // portfolio, and 1,000 inbox streams at 100,000 projects took over a minute to open.
  const theirs = (who: string, projectId?: string) => {
    const rows = db
      .selectFrom('project_members as m')
      .select('m.project_id')
      .where('m.user_id', '=', who);
    return projectId === undefined ? rows : rows.where('m.project_id', '=', projectId);
  };
  const [first, ...more] = [
    theirs(userId),
    ...standIns.map((d) => theirs(d.delegatorId, d.projectId)),
  ];
  const ids = more.reduce((union, next) => union.union(next), first);
  // Each of those projects read by its key (a subquery per id): a join let the planners read
  // the whole portfolio instead (PostgreSQL hashed every project at 100,000 of them).
  const projects = await db
    .selectFrom(ids.as('t'))
    .select((eb) => {
      const project = () => eb.selectFrom('projects as p').whereRef('p.id', '=', 't.project_id');
      return [
        eb.fn.countAll().as('count'),
        eb.fn.sum(project().select('p.seq')).as('seqs'),
        // A project ended outside Gatehouse changes its status, not its sequence
        // (markTerminated).
        eb.fn
          .sum(
            project().select((e) =>
              e.case().when('p.status', 'in', OPEN).then(e.lit(1)).else(e.lit(0)).end().as('open'),
            ),
          )
          .as('open'),
      ];
    })
    .executeTakeFirstOrThrow();
  return {
    items: [items.total, items.read, items.latest ?? 0].map(String).join('.'),
    actions: [
      projects.count,
      projects.seqs ?? 0,
      projects.open ?? 0,
      standIns.map((d) => d.id).join(','),
    ]
      .map(String)
      .join('.'),
    standsInFor: [...new Set(standIns.map((d) => d.delegatorId))],
  };
}

function toInboxItem(row: Selectable<InboxItemsTable>): InboxItem {
  // Absent, not `undefined`: optional fields stay out of the JSON the API sends.
  return InboxItem.parse({
    id: row.id,
    userId: row.user_id,
    projectId: row.project_id,
    ...(row.node_id === null ? {} : { nodeId: row.node_id }),
    ...(row.for_user_id === null ? {} : { forUserId: row.for_user_id }),
    kind: row.kind,
    subject: row.subject,
    text: row.text,
    key: row.notification_key,
    createdAt: row.created_at,
    ...(row.read_at === null ? {} : { readAt: row.read_at }),
  });
}
