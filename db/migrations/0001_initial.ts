/**
 * Users, the in-app inbox, the audit trail and the delivery log of outbound notifications.
 * Portable types only (see db/schema.ts): text, integer 0/1 flags, bigint epoch ms, JSON text.
 */
import { type Kysely, sql } from 'kysely';

/** Creates the first tables. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('pmo', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`pmo in (0, 1)`),
    )
    .addColumn('admin', 'integer', (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`admin in (0, 1)`),
    )
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('inbox_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('notification_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    // A notification lands once per user however often its activity is retried.
    .addUniqueConstraint('inbox_items_notification_user_unique', ['notification_key', 'user_id'])
    .execute();
  await db.schema
    .createIndex('inbox_items_user_created_idx')
    .on('inbox_items')
    .columns(['user_id', 'created_at'])
    .execute();

  // Append-only: (project_id, seq) comes from the workflow, so a retried insert is a no-op.
  await db.schema
    .createTable('audit_entries')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addPrimaryKeyConstraint('audit_entries_pk', ['project_id', 'seq'])
    .execute();

  await db.schema
    .createTable('notification_deliveries')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_deliveries_pk', ['key', 'channel'])
    .execute();
}

/** Drops the first tables (development only: the audit trail is meant to be kept). */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_deliveries').execute();
  await db.schema.dropTable('audit_entries').execute();
  await db.schema.dropTable('inbox_items').execute();
  await db.schema.dropTable('users').execute();
}
