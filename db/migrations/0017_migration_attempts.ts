/**
 * A bulk migration's project that its activity keeps retrying (its project's worker gone, its
 * Update timing out) shows how far it got while it is still pending: the attempt in flight and
 * the last error an attempt met. A project whose budget is spent is settled `failed` with that
 * error as its reason (workflows/bulk-migration.ts); the two columns stay as its history.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('migration_items').addColumn('attempts', 'integer').execute();
  await db.schema.alterTable('migration_items').addColumn('last_error', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('migration_items').dropColumn('last_error').execute();
  await db.schema.alterTable('migration_items').dropColumn('attempts').execute();
}
