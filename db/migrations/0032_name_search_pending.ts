/**
 * The names' trigram index (0031_name_search) on PostgreSQL keeps a short pending list.
 *
 * A GIN index takes new entries into a pending list (`fastupdate`), which every search reads
 * whole, and merges it into the index only once it outgrows `gin_pending_list_limit` (4 MB by
 * default) or when (auto)vacuum runs. Every record write moves a project's row (not a HOT
 * update: indexed columns change), so the list fills with the names' trigrams again and
 * again: in the scale bench, at 100,000 projects, a search for a text no name holds read 363
 * pages of it (about 3 ms) where the index itself needed 5. At 64 kB (the least PostgreSQL
 * allows) a search reads at most 8 pages of it, and a write that fills it merges it in one go
 * (still in bulk, as the pending list is meant to). The list an upgraded database holds is
 * merged now. SQLite's FTS5 table has no pending list: nothing to do there.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** In kB, the least PostgreSQL accepts. */
export const PENDING_LIST_KB = 64;

export async function up(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`
    alter index projects_name_trgm_idx
    set (gin_pending_list_limit = ${sql.raw(String(PENDING_LIST_KB))})`.execute(db);
  await sql`select gin_clean_pending_list('projects_name_trgm_idx'::regclass)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (isSqlite(db)) return;
  await sql`alter index projects_name_trgm_idx reset (gin_pending_list_limit)`.execute(db);
}
