/**
 * The to-do list a user reads (`GET /api/inbox`): a page of the open-actions table that
 * db/open-actions.ts keeps, their own rows and those they may act on for whoever they stand in
 * for, due first.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { DELEGABLE_ACTIONS, type PendingAction } from '../workflows/lifecycle/pending';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import type { Page } from './records';
import { reusedQuery } from './reused-query';
import type { Database, OpenActionsTable } from './schema';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

type Row = Selectable<OpenActionsTable>;

/** An open action and whose it is (the caller's own, or a delegator's). */
export type OpenAction = PendingAction & { userId: string };

/** What `delegatorId` handed the caller: every project of theirs, or these. */
export interface DelegatedScope {
  delegatorId: string;
  /** Undefined: every project of the delegator. */
  projectIds?: readonly string[];
}

/**
 * A page of what `userId` can do now, due first (no due date last), stable ties: their own
 * rows and, for each delegated scope, the delegator's delegable rows in it. One query: per user
 * a range read of the order index bounded by the page size, merged. An unknown cursor throws
 * InvalidCursorError.
 */
export async function listOpenActions(
  db: Kysely<Database>,
  userId: string,
  options: { delegated?: readonly DelegatedScope[]; cursor?: string; limit?: number } = {},
): Promise<Page<OpenAction>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
  const scopes = (options.delegated ?? []).filter((s) => s.delegatorId !== userId);
  const take = limit + 1;
  // Nobody's stand-in (the common read): a query compiled once; else one per set of scopes.
  const rows =
    scopes.length > 0
      ? await openActionsQuery(db, userId, scopes, take, after).execute()
      : after === undefined
        ? (await selectOwn(db, { userId, take })).rows
        : (await selectOwn(db, { userId, take, due: after[0], tie: after[1] }, AFTER)).rows;
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const page = items.map(toOpenAction);
  return rows.length > limit && last !== undefined
    ? { items: page, nextCursor: encodeCursor([last.due_order, last.tie]) }
    : { items: page };
}

/** {@link listOpenActions}'s query, `take` rows after `after`. */
function openActionsQuery(
  db: Kysely<Database>,
  userId: string,
  scopes: readonly DelegatedScope[],
  take: number,
  after: readonly [number, string] | undefined,
) {
  const branch = (who: string, scope?: DelegatedScope) => {
    let query = db.selectFrom('open_actions').selectAll().where('user_id', '=', who);
    if (scope) {
      query = query.where('action', 'in', DELEGABLE_ACTIONS);
      // A KPI review to do (its number): a monitor without one waits for a reading, which a
      // delegate who does not take part could not record.
      query = query.where((eb) =>
        eb.or([eb('action', '!=', 'kpi-review'), eb('item_id', 'is not', null)]),
      );
      if (scope.projectIds !== undefined) {
        // Nothing matches no project; `in ()` is a syntax error in both dialects.
        const ids = scope.projectIds.length > 0 ? scope.projectIds : [''];
        query = query.where('project_id', 'in', ids);
      }
    }
    if (after !== undefined) {
      const [due, tie] = after;
      // After (due, tie), one row-value comparison: a later page seeks to where the last one
      // ended instead of skipping over the rows before it.
      query = query.where(sql<boolean>`(due_order, tie) > (${due}, ${tie})`);
    }
    return query.orderBy('due_order').orderBy('tie').limit(take);
  };
  let query = db.selectFrom(branch(userId).as('own')).selectAll();
  scopes.forEach((scope, i) => {
    query = query.unionAll(db.selectFrom(branch(scope.delegatorId, scope).as(`d${i}`)).selectAll());
  });
  return query.orderBy('due_order').orderBy('tie').limit(take);
}

/** {@link selectOwn}'s variant for a later page. */
const AFTER = 1;
// Nearly every read of a to-do list runs it: built once per dialect and variant.
const selectOwn = reusedQuery<{ userId: string; take: number; due?: number; tie?: string }, Row>(
  (db, slot, { variant }) =>
    openActionsQuery(
      db,
      slot('userId'),
      [],
      slot('take'),
      variant === AFTER ? [slot('due')!, slot('tie')!] : undefined,
    ),
);

function toOpenAction(row: Row): OpenAction {
  const roles = JSON.parse(row.roles) as string[];
  // Absent, not `undefined`: optional fields stay out of the JSON the API sends. The keys in
  // the interpreter's order (`pendingActions`): the proof compares the JSON.
  return {
    projectId: row.project_id,
    projectName: row.project_name,
    nodeId: row.node_id,
    nodeName: row.node_name,
    action: row.action as PendingAction['action'],
    roles,
    // A row an older build wrote during a rolling upgrade has no names until its next write.
    roleNames: row.role_names === null ? roles : (JSON.parse(row.role_names) as string[]),
    ...(row.due_at !== null && { dueAt: row.due_at }),
    ...(row.item_id !== null && { itemId: row.item_id }),
    ...(row.detail !== null && { detail: row.detail }),
    ...(row.issue_severity !== null && {
      issue: { severity: row.issue_severity, blocksExit: row.issue_blocks_exit === 1 },
    }),
    userId: row.user_id,
  };
}
