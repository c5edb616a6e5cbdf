/**
 * The portfolio's name search (`q`, db/project-list.ts) finds a text few names hold by index:
 * the list's index, read newest first and filtered, read the whole portfolio for a text no
 * name holds (700 ms at 100,000 projects on SQLite). Both indexes hold the names' trigrams, so
 * a text of three characters or more is found among the names that hold all of its trigrams.
 *
 * PostgreSQL: a trigram index on `lower(name)` (pg_trgm, a trusted extension since PostgreSQL
 * 13, which the database's owner may create). The query stays as it was: with the statistics
 * on `lower(name)` (0029) the planner walks the list's index for a text many names hold and
 * reads the trigram index (then sorts the few rows found) for a rare one.
 *
 * SQLite: a contentless FTS5 table (`project_names`, the trigram tokenizer) kept by triggers on
 * `projects`, so every code path that writes a project (a record write, a provisional row, a
 * repair, a migration) keeps it. Its rowids are its own, mapped to project ids by
 * `project_name_rows`: the implicit rowid of `projects` (its key is text) may change on VACUUM.
 * The list asks it for candidates only (db/name-search.ts).
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

const TRIGGERS = ['insert', 'update', 'delete'].map((op) => `projects_name_search_${op}`);

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`
      create index if not exists projects_name_trgm_idx
      on projects using gin (lower(name) gin_trgm_ops)`.execute(db);
    await sql`analyze projects`.execute(db);
    return;
  }
  await sql`
    create table project_name_rows (
      project_id text primary key,
      fts_rowid integer not null unique
    )`.execute(db);
  // Contentless (the names are in `projects`), but rows can be deleted (contentless_delete).
  await sql`
    create virtual table project_names using fts5(
      name, content = '', contentless_delete = 1, tokenize = 'trigram'
    )`.execute(db);
  await sql`
    insert into project_name_rows (project_id, fts_rowid)
    select id, row_number() over (order by id) from projects`.execute(db);
  await sql`
    insert into project_names (rowid, name)
    select r.fts_rowid, p.name from project_name_rows r join projects p on p.id = r.project_id`.execute(
    db,
  );
  // A project's FTS row, by its mapping (SQLite allows no WITH clause inside a trigger).
  const ftsRow = (row: 'new' | 'old') =>
    `(select fts_rowid from project_name_rows where project_id = ${row}.id)`;
  const addName = `
    insert into project_names (rowid, name)
      select fts_rowid, new.name from project_name_rows where project_id = new.id;`;
  for (const statement of [
    // The next rowid after the largest: read from the end of the unique index.
    `create trigger ${TRIGGERS[0]} after insert on projects begin
       insert into project_name_rows (project_id, fts_rowid)
         select new.id, coalesce(max(fts_rowid), 0) + 1 from project_name_rows;
       ${addName}
     end`,
    // Ids never change in the app; should one, the mapping follows it all the same.
    `create trigger ${TRIGGERS[1]} after update of id, name on projects
       when old.id is not new.id or old.name is not new.name begin
       update project_name_rows set project_id = new.id where project_id = old.id;
       delete from project_names where rowid = ${ftsRow('new')};
       ${addName}
     end`,
    `create trigger ${TRIGGERS[2]} after delete on projects begin
       delete from project_names where rowid = ${ftsRow('old')};
       delete from project_name_rows where project_id = old.id;
     end`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isSqlite(db)) {
    // The extension stays: other objects may have come to use it.
    await sql`drop index if exists projects_name_trgm_idx`.execute(db);
    return;
  }
  for (const name of TRIGGERS) await sql.raw(`drop trigger if exists ${name}`).execute(db);
  await sql`drop table if exists project_names`.execute(db);
  await sql`drop table if exists project_name_rows`.execute(db);
}
