/**
 * The names' FTS5 table on SQLite (0031_name_search) keeps merging its segments as projects are
 * added one at a time, so a search reads few of them at any size.
 *
 * Each transaction that writes a name flushes it into a new segment, and FTS5 merges segments
 * in two ways: all of a level's at once when it holds `crisismerge` (4 since 0033), and
 * incrementally (`automerge`), a bounded amount of work per page written, on a level holding
 * `automerge` segments (4 by default, so never reached before the crisis merge). A search
 * reads every segment for each trigram of its text. With 0033's settings alone a portfolio
 * written one project at a time held 3 segments on most of its levels (16 at 100,000 names,
 * 21 at times) and, now and then, one write merged a whole level at once.
 *
 * With `automerge` at 2, the incremental merge takes up a level as soon as it holds two: most
 * levels hold one segment. Measured in process on December 8 (a script: the app's triggers and
 * FTS5 settings, `Project scale-N` names one per transaction, rows with 4 kB of other data; the
 * app's FTS5 count for one existing name, p50 over the 1,000 writes before each point; on a
 * loaded machine), 0033 alone → with 0034:
 *
 *   names     segments, mean (most)     count p50, ms
 *   1,000      7.0 (10) → 4.8 (7)       0.24 → 0.21
 *   10,000     9.2 (15) → 7.1 (11)      0.29 → 0.22
 *   50,000    11.1 (18) → 8.7 (15)      0.34 → 0.26
 *   100,000   12.8 (21) → 9.4 (15)      0.49 → 0.36   (optimized, one segment: 0.16)
 *
 * A write's CPU stayed the same (0.16 ms on average at 100,000) and the costliest single
 * write fell (34 ms → 14 ms at 100,000: levels are merged bit by bit instead of whole). A
 * statement inserting 5,000 names at once (tests do) takes longer: 106 → 286 ms in memory.
 * FTS5 cannot keep one segment at a bounded cost per write: asking it to merge more after
 * each write (`merge` 16 or 64 pages, `usermerge` 2, from the write path) gave 8.1 segments on
 * average at 100,000, little better than this setting alone (9.4), which needs no statement
 * in any write path; only `optimize` (0.3 to 0.6 s at 100,000, the write lock held) reaches one.
 *
 * The setting is kept in the table's own configuration, as 0033's are. The index an upgraded
 * database holds is rewritten now in one segment (`optimize`, as 0033 did once). PostgreSQL's
 * trigram index has no segments: nothing to do there.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Segments on one level from which FTS5's own merging, paced by the writes, starts. */
export const AUTOMERGE_SEGMENTS = 2;
/** FTS5's default, which `down` sets again. */
const DEFAULT_AUTOMERGE_SEGMENTS = 4;

/** As 0033's: FTS5 takes an option's value as a literal only. */
const setAutomerge = (db: Kysely<unknown>, value: number) =>
  sql`insert into project_names (project_names, rank)
    values ('automerge', ${sql.lit(value)})`.execute(db);

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await setAutomerge(db, AUTOMERGE_SEGMENTS);
  await sql`insert into project_names (project_names) values ('optimize')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) return;
  await setAutomerge(db, DEFAULT_AUTOMERGE_SEGMENTS);
}
