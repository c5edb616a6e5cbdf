/**
 * The notification list is ordered newest first with ties by id, and its indexes ended at the
 * time: each page sorted the rows of its last millisecond again (PostgreSQL an incremental
 * sort, SQLite a temp B-tree for the order's right part), and a page after a cursor could
 * not seek to (time, id). The unread list read the user's every notification, read ones
 * included, to find the unread. Each index now ends with the id, and the unread have their
 * own (partial: only unread rows, so a read mark takes a row out of it).
 */
import { sql, type Kysely } from 'kysely';

/** [name, columns before, columns now] of the list's indexes. */
const LISTS: [string, string[], string[]][] = [
  ['inbox_items_user_created_idx', ['user_id', 'created_at'], ['user_id', 'created_at', 'id']],
  [
    'inbox_items_user_project_idx',
    ['user_id', 'project_id', 'created_at'],
    ['user_id', 'project_id', 'created_at', 'id'],
  ],
  [
    'inbox_items_user_kind_idx',
    ['user_id', 'kind', 'created_at'],
    ['user_id', 'kind', 'created_at', 'id'],
  ],
];
const UNREAD = 'inbox_items_user_unread_idx';

async function rebuild(db: Kysely<unknown>, name: string, columns: string[]): Promise<void> {
  await db.schema.dropIndex(name).execute();
  await db.schema.createIndex(name).on('inbox_items').columns(columns).execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, , now] of LISTS) await rebuild(db, name, now);
  await db.schema
    .createIndex(UNREAD)
    .on('inbox_items')
    .columns(['user_id', 'created_at', 'id'])
    .where(sql.ref('read_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex(UNREAD).execute();
  for (const [name, before] of LISTS) await rebuild(db, name, before);
}
