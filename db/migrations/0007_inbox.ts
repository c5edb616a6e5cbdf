/**
 * An inbox people live in (issue 10): unread counts per user, and the notification list
 * filtered by project or kind, each answered from an index instead of a scan of the inbox.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Counts (all, read) per user: the navigation asks on every change.
  await db.schema
    .createIndex('inbox_items_user_read_idx')
    .on('inbox_items')
    .columns(['user_id', 'read_at'])
    .execute();
  // The list filtered by project, newest first.
  await db.schema
    .createIndex('inbox_items_user_project_idx')
    .on('inbox_items')
    .columns(['user_id', 'project_id', 'created_at'])
    .execute();
  // The list filtered by kind, newest first.
  await db.schema
    .createIndex('inbox_items_user_kind_idx')
    .on('inbox_items')
    .columns(['user_id', 'kind', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('inbox_items_user_kind_idx').execute();
  await db.schema.dropIndex('inbox_items_user_project_idx').execute();
  await db.schema.dropIndex('inbox_items_user_read_idx').execute();
}
