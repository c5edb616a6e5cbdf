/**
 * A bulk migration's Update can land after its job gave the project up: Temporal admitted it
 * before the attempt that sent it died, and the project applies it up to that attempt's
 * deadline. The project's record write then settles the job's row `migrated`
 * (db/migration-jobs.ts `settleAppliedMigrations`), finding the rows by project: hence the
 * index. `settled_late_at` says when such a row turned from `failed`; its code, reason,
 * attempts and last error stay as why it was given up.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('migration_items').addColumn('settled_late_at', 'bigint').execute();
  await db.schema
    .createIndex('migration_items_by_project')
    .on('migration_items')
    .column('project_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('migration_items_by_project').execute();
  await db.schema.alterTable('migration_items').dropColumn('settled_late_at').execute();
}
