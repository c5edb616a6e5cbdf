/**
 * The portfolio's name search (`q`: `lower(name) like '%…%'`, db/project-list.ts) reads the
 * list's index newest first and stops once a page is full. PostgreSQL chooses that plan only
 * if it knows how many names hold the text: without statistics on `lower(name)` it guessed 10
 * rows of 100,000 for a word every name holds, read the whole table and sorted it (138 ms a
 * page at 100,000 projects, against 4 ms at 1,000). Statistics on the expression (PostgreSQL
 * 14 or later), gathered by ANALYZE and autovacuum, let it walk the index (0.1 ms); a text few
 * names hold is still read over the whole portfolio, as no index finds text inside a name.
 * SQLite reads the index in order by itself: nothing to do there.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const postgres = (db: Kysely<unknown>) => !(db.getExecutor().adapter instanceof SqliteAdapter);

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!postgres(db)) return;
  await sql`create statistics if not exists projects_name_stats on (lower(name)) from projects`.execute(
    db,
  );
  await sql`analyze projects`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!postgres(db)) return;
  await sql`drop statistics if exists projects_name_stats`.execute(db);
}
