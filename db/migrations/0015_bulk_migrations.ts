/**
 * Bulk migrations (issue 15): a PMO's one action that moves many projects of a template to a
 * published version. The job lists its projects when it is made (position order); a durable
 * workflow migrates them one activity each, and each activity writes its project's outcome here.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('migration_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    /** The impact analysis the projects were chosen from, if any. */
    .addColumn('impact_job', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('migration_items')
    .addColumn('job_id', 'text', (c) => c.notNull().references('migration_jobs.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    /** `pending`, then `migrated` or `failed`. */
    .addColumn('status', 'text', (c) => c.notNull())
    /** Why it failed: the refusal's code and message. */
    .addColumn('code', 'text')
    .addColumn('reason', 'text')
    .addColumn('finished_at', 'bigint')
    .addPrimaryKeyConstraint('migration_items_pk', ['job_id', 'position'])
    .execute();
  await db.schema
    .createIndex('migration_items_project')
    .on('migration_items')
    .columns(['job_id', 'project_id'])
    .unique()
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('migration_items').execute();
  await db.schema.dropTable('migration_jobs').execute();
}
