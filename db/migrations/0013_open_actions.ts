/**
 * The to-do inbox from a table (issue 12): one row per action a user can take now, kept by the
 * record write (db/open-actions.ts), so a user's page of to-dos is a range read instead of
 * parsing every open project's state per request. Rows are derived; `read_model_revs` says
 * which derivation they hold and `projects.actions_of` from which snapshot, and
 * `gatehouse migrate` derives what is missing (the backfill of an upgraded database).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('open_actions')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    /** The action's place in `pendingActions(state, template, user)`. */
    .addColumn('position', 'integer', (c) => c.notNull())
    /** The inbox order: due first, no due date last (a sentinel above every epoch ms). */
    .addColumn('due_order', 'bigint', (c) => c.notNull())
    /** The order's tie-breaker, unique: project, position, user. */
    .addColumn('tie', 'text', (c) => c.notNull())
    .addColumn('project_name', 'text', (c) => c.notNull())
    .addColumn('node_id', 'text', (c) => c.notNull())
    .addColumn('node_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    /** JSON array of the user's roles that make it theirs. */
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('due_at', 'bigint')
    .addColumn('item_id', 'text')
    .addColumn('detail', 'text')
    .addPrimaryKeyConstraint('open_actions_pk', ['project_id', 'user_id', 'position'])
    .execute();
  // A user's page: a range read in inbox order.
  await db.schema
    .createIndex('open_actions_user_order_idx')
    .on('open_actions')
    .columns(['user_id', 'due_order', 'tie'])
    .execute();
  // What each project's rows were derived from: a write of an older build (a rolling upgrade)
  // leaves it behind, and the project is derived again (catchUpOpenActions).
  await db.schema.alterTable('projects').addColumn('actions_of', 'text').execute();
  await db.schema
    .createTable('read_model_revs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('rev', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('read_model_revs').execute();
  await db.schema.alterTable('projects').dropColumn('actions_of').execute();
  await db.schema.dropTable('open_actions').execute();
}
