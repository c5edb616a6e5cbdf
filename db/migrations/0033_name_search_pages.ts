/**
 * The names' FTS5 table on SQLite (0031_name_search) stays quick to search as projects are
 * added one at a time.
 *
 * Every transaction that writes a name adds a small b-tree (a segment) to the FTS5 index, and
 * FTS5 merges them later. A search for a phrase reads each of its trigrams in every segment.
 * The trigrams most names hold (those of "Project ") have long lists of names, and FTS5 skips
 * through such a list only when it carries a doclist index, which it writes for a list
 * spanning more than 4 of the index's pages. With its default pages of about 4 kB, a segment
 * needs about 5,000 names before that happens (700 with pages of 500 bytes), and a portfolio
 * written one project at a time keeps many of its names in smaller segments, which a search
 * steps through name by name. Also, 16 segments on one level before FTS5 merges them at once
 * (the default) is many segments to read for a portfolio of a thousand projects.
 *
 * Measured under load, the search for one project's name as the portfolio grew (its FTS5 count,
 * p50 at 40 points): on the names alone, one per transaction, defaults 0.19 ms at 1,000 names
 * and 2.0 ms at 100,000 (up to 11 ms), with pages of 500 bytes and merges at 4 segments 0.13
 * and 0.33 ms (up to 1 ms); through the record write of the scale bench's projects, 0.30 and
 * 0.96 ms at 1,000 and 10,000 projects before, 0.15 and 0.37 ms after. Smaller pages alone did
 * most of it; merging at 4 helped at 1,000. The cost of a write did not change within what the
 * runs resolve (0.26 and 0.28 ms per name alone, at 100,000).
 *
 * Both settings are kept in the table's own configuration, so they last. The index an upgraded
 * database holds is rewritten now, in one segment of the new pages (`optimize`: about 0.2 s at
 * 100,000 names). PostgreSQL's trigram index has no such settings: nothing to do there.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Bytes per page of the index: a list of about 700 names or more gets a doclist index. */
export const PAGE_BYTES = 500;
/** Segments on one level that FTS5 merges at once, in the write that adds the last. */
export const MERGE_SEGMENTS = 4;
/** FTS5's defaults, which `down` sets again. */
const DEFAULT_PAGE_BYTES = 4050;
const DEFAULT_MERGE_SEGMENTS = 16;

/**
 * Sets one of the table's persistent options. FTS5 takes them as literals only (a bound
 * value fails with "SQL logic error").
 */
const setOption = (db: Kysely<unknown>, option: string, value: number) =>
  sql`insert into project_names (project_names, rank)
    values (${sql.lit(option)}, ${sql.lit(value)})`.execute(db);

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await setOption(db, 'pgsz', PAGE_BYTES);
  await setOption(db, 'crisismerge', MERGE_SEGMENTS);
  await sql`insert into project_names (project_names) values ('optimize')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  // The pages already written stay as they are: FTS5 reads pages of any size.
  await setOption(db, 'pgsz', DEFAULT_PAGE_BYTES);
  await setOption(db, 'crisismerge', DEFAULT_MERGE_SEGMENTS);
}
