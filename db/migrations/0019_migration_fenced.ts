/**
 * A project's record write that stores a bulk migration's key settles the job's row
 * `migrated` (0018). That write is fenced by workflow-task attempt (db/fences.ts): when its task
 * then fails, the history never holds the applied Update, and the next attempt supersedes the
 * write, its key included. The row must follow: `settled_attempt` and `settled_seq` say which
 * attempt settled it and at which position (the key's), so the superseding write turns it back
 * in the same transaction. Null when no attempt settled it (the job's own answer, a write
 * without an attempt such as `records repair`): such a row is never turned back.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('migration_items').addColumn('settled_attempt', 'text').execute();
  await db.schema.alterTable('migration_items').addColumn('settled_seq', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('migration_items').dropColumn('settled_seq').execute();
  await db.schema.alterTable('migration_items').dropColumn('settled_attempt').execute();
}
