/**
 * A bulk migration's row a project's record write settled `migrated` (0018, 0019) may then get
 * the job's own `failed` answer (a refusal, or the job giving the project up) while that write
 * may still be undone: the row stays `migrated` and keeps the answer, to turn back to it should
 * the write be undone. Until now the row said so through `settled_late_at`, which reads as "its
 * Update landed after the job had given it up": untrue, the write came first. `answered_late_at`
 * says when the job's answer came after the write; `finished_at` stays when the write settled it.
 *
 * Rows kept so before this migration are told from rows settled late by their times: a kept
 * answer moved the write's time into `settled_late_at` and set `finished_at` to the answer's, so
 * `settled_late_at < finished_at`, where a late settlement comes at or after the give-up it
 * follows. Only a write with an attempt keeps an answer (`settled_attempt` set).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('migration_items').addColumn('answered_late_at', 'bigint').execute();
  await sql`update migration_items
    set answered_late_at = finished_at, finished_at = settled_late_at, settled_late_at = null
    where status = 'migrated' and settled_attempt is not null
      and settled_late_at < finished_at`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Back to the old form: the write's time in settled_late_at, the answer's in finished_at.
  await sql`update migration_items
    set settled_late_at = finished_at, finished_at = answered_late_at
    where answered_late_at is not null`.execute(db);
  await db.schema.alterTable('migration_items').dropColumn('answered_late_at').execute();
}
