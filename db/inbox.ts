/** The in-app inbox: one row per (notification, recipient), newest first. */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Notification } from '../workflows/model/state';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { InboxItem, type Page } from './records';
import type { Database, InboxItemsTable } from './schema';

const DEFAULT_PAGE_SIZE = 50;

/** Thrown by `listInbox` for a cursor it did not hand out. */
export { InvalidCursorError } from './cursor';

/**
 * Puts `n` into the inbox of each of `userIds` (which must exist: the column references
 * users). Idempotent by (notification key, user); returns how many rows were new.
 */
export async function insertInboxItems(
  db: Kysely<Database>,
  n: Notification,
  userIds: readonly string[],
): Promise<number> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return 0;
  const result = await db
    .insertInto('inbox_items')
    .values(
      unique.map((userId) => ({
        id: randomUUID(),
        user_id: userId,
        project_id: n.projectId,
        node_id: n.nodeId ?? null,
        kind: n.kind,
        subject: n.subject,
        text: n.text,
        notification_key: n.key,
        created_at: n.at,
        read_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['notification_key', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

/** Options of {@link listInbox}. */
export interface ListInboxOptions {
  unreadOnly?: boolean;
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
  if (after !== undefined) {
    const [createdAt, id] = after;
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', createdAt),
        eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)]),
      ]),
    );
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
  const result = await db
    .updateTable('inbox_items')
    .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(at)) }))
    .where('id', '=', itemId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function toInboxItem(row: Selectable<InboxItemsTable>): InboxItem {
  // Absent, not `undefined`: optional fields stay out of the JSON the API sends.
  return InboxItem.parse({
    id: row.id,
    userId: row.user_id,
    projectId: row.project_id,
    ...(row.node_id === null ? {} : { nodeId: row.node_id }),
    kind: row.kind,
    subject: row.subject,
    text: row.text,
    key: row.notification_key,
    createdAt: row.created_at,
    ...(row.read_at === null ? {} : { readAt: row.read_at }),
  });
}
