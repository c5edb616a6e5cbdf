/**
 * The directory's pages (db/directory.ts) by active or deactivated people read an index of
 * just those people, in the directory's order (lower-cased name, then id): the name index of
 * 0006 holds everyone, and a page of active people passed over the deactivated ones in it.
 * Partial indexes, so that a deactivation or reactivation moves the user from one to the other.
 */
import { sql, type Kysely } from 'kysely';

/** [name, which users] of the indexes. */
const INDEXES = [
  ['users_active_name_idx', sql`deactivated_at is null`],
  ['users_deactivated_name_idx', sql`deactivated_at is not null`],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, which] of INDEXES) {
    await sql`create index ${sql.id(name)} on users (lower(name), id) where ${which}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
