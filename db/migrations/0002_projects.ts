/**
 * The project read model: one row per project with its latest state (written by the worker
 * after every change, guarded by the audit sequence) and its participants, so listing,
 * filtering, paging and the inbox never scan Temporal.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('template_key', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    /** JSON array of current node ids. */
    .addColumn('current', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    /** The state's audit sequence: a snapshot never overwrites a newer one. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    /** The full ProjectState as JSON. */
    .addColumn('state', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('projects_status_started_idx')
    .on('projects')
    .columns(['status', 'started_at'])
    .execute();
  await db.schema
    .createIndex('projects_template_idx')
    .on('projects')
    .columns(['template_key', 'started_at'])
    .execute();

  await db.schema
    .createTable('project_participants')
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_participants_pk', ['project_id', 'user_id', 'role'])
    .execute();
  await db.schema
    .createIndex('project_participants_user_idx')
    .on('project_participants')
    .columns(['user_id', 'project_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('project_participants').execute();
  await db.schema.dropTable('projects').execute();
}
