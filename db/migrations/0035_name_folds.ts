/**
 * Names are searched and sorted by a folded copy (`name_folded` of `projects` and `users`,
 * db/name-fold.ts) instead of `lower(name)`: SQLite's `lower()` folds A–Z only, PostgreSQL's
 * what the database's locale says, so "über" found no "Übergabe" and "émile" no "Émile".
 *
 * The columns are filled here from the stored names by the app's own fold, a batch of rows at
 * a time by key (not `lower()`, which is what is replaced), and then every index of a name is
 * rebuilt on them under its own name: the directory's (0006, 0027), PostgreSQL's trigram
 * index (0031, with 0032's pending list) and SQLite's FTS5 table, which now holds the folded
 * names, written by its triggers from the folded column. PostgreSQL's statistics on
 * `lower(name)` (0029) go: ANALYZE keeps statistics on a column by itself. The columns stay
 * nullable on both databases: during a rolling upgrade the build before this one, which knows
 * no `name_folded`, still inserts projects (a worker's first record write) and users (an API);
 * NOT NULL would fail those writes. Every write of a name in this build writes both
 * (db/projects.ts, db/users.ts, db/user-admin.ts); the older build's rows are folded by
 * db/name-fold-upgrade.ts at `gatehouse migrate` and at each worker's start.
 *
 * At 100,000 projects and 20,000 people the upgrade took 2.1 s on SQLite (1 s the FTS5 table
 * rewritten) and 6.8 s on PostgreSQL (5.6 s the fill: each row written anew, with its entries
 * in the list's twenty indexes; 1 s the trigram index), in process (December 7).
 */
import { type Kysely, type RawBuilder, SqliteAdapter, sql } from 'kysely';
import { foldName } from '../name-fold';
import { PENDING_LIST_KB } from './0032_name_search_pending';

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

/** Rows folded per statement: 2,000 parameters, within either dialect's limit. */
const BATCH = 1_000;

/** The tables whose names are folded. */
const TABLES = ['projects', 'users'] as const;

/** The directory's indexes (0006, 0027): [name, which users or all]. */
const USER_INDEXES = [
  ['users_name_idx', undefined],
  ['users_active_name_idx', sql`deactivated_at is null`],
  ['users_deactivated_name_idx', sql`deactivated_at is not null`],
] as const;

/** SQLite's triggers that keep the FTS5 table (0031_name_search). */
const TRIGGERS = ['insert', 'update', 'delete'].map((op) => `projects_name_search_${op}`);

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) {
    await sql`alter table ${sql.id(table)} add column name_folded text`.execute(db);
  }
  // The indexes of `lower(name)` first: the backfill then writes no entries of them.
  await dropNameIndexes(db);
  for (const table of TABLES) await fill(db, table);
  if (isSqlite(db)) {
    await sqliteNameSearch(db, 'name_folded');
  } else {
    await sql`drop statistics if exists projects_name_stats`.execute(db);
    await postgresTrigramIndex(db, sql.ref('name_folded'));
  }
  await userIndexes(db, sql.ref('name_folded'));
  if (!isSqlite(db)) await sql`analyze projects, users`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropNameIndexes(db);
  const lower = sql`lower(name)`;
  if (isSqlite(db)) {
    await sqliteNameSearch(db, 'name');
  } else {
    await postgresTrigramIndex(db, lower);
    await sql`create statistics if not exists projects_name_stats on (lower(name)) from projects`.execute(
      db,
    );
  }
  await userIndexes(db, lower);
  for (const table of TABLES) {
    await sql`alter table ${sql.id(table)} drop column name_folded`.execute(db);
  }
  if (!isSqlite(db)) await sql`analyze projects, users`.execute(db);
}

/** Sets `name_folded` of every row of `table`, a batch at a time in order of the key. */
async function fill(db: Kysely<unknown>, table: (typeof TABLES)[number]): Promise<void> {
  let after = '';
  for (;;) {
    const { rows } = await sql<{ id: string; name: string }>`
      select id, name from ${sql.id(table)} where id > ${after} order by id limit ${BATCH}`.execute(
      db,
    );
    const last = rows.at(-1);
    if (last === undefined) return;
    const values = rows.map((row) => sql`(${row.id}, ${foldName(row.name)})`);
    // One statement per batch (both dialects take UPDATE … FROM a WITH's rows), its rows read
    // by their key range: joined to the table alone, PostgreSQL hashed the batch and read the
    // whole table for each.
    const key = sql.id(table, 'id');
    await sql`
      with folded (id, name_folded) as (values ${sql.join(values)})
      update ${sql.id(table)} set name_folded = folded.name_folded
      from folded
      where ${key} > ${after} and ${key} <= ${last.id} and ${key} = folded.id`.execute(db);
    after = last.id;
  }
}

/** Drops every index (and SQLite trigger) that reads a name for searching or sorting. */
async function dropNameIndexes(db: Kysely<unknown>): Promise<void> {
  for (const [name] of USER_INDEXES) await sql`drop index if exists ${sql.id(name)}`.execute(db);
  if (isSqlite(db)) {
    for (const name of TRIGGERS) await sql`drop trigger if exists ${sql.id(name)}`.execute(db);
  } else {
    await sql`drop index if exists projects_name_trgm_idx`.execute(db);
  }
}

/** The directory's indexes of `key`, then id (0006, 0027). */
async function userIndexes(db: Kysely<unknown>, key: RawBuilder<unknown>): Promise<void> {
  for (const [name, which] of USER_INDEXES) {
    const where = which === undefined ? sql`` : sql`where ${which}`;
    await sql`create index ${sql.id(name)} on users (${key}, id) ${where}`.execute(db);
  }
}

/** PostgreSQL's trigram index of `key` (0031), with its short pending list (0032). */
async function postgresTrigramIndex(db: Kysely<unknown>, key: RawBuilder<unknown>): Promise<void> {
  await sql`
    create index projects_name_trgm_idx on projects using gin (${key} gin_trgm_ops)
    with (gin_pending_list_limit = ${sql.raw(String(PENDING_LIST_KB))})`.execute(db);
}

/**
 * SQLite's FTS5 table of names (0031) holding `column` of every project, in one segment, and
 * the triggers that keep it so. Its settings (0033, 0034) are its own and stay.
 */
async function sqliteNameSearch(db: Kysely<unknown>, column: 'name' | 'name_folded') {
  const of = (row: 'new' | 'old') => sql.raw(`${row}.${column}`);
  await sql`insert into project_names (project_names) values ('delete-all')`.execute(db);
  await sql`
    insert into project_names (rowid, name)
    select r.fts_rowid, p.${sql.raw(column)}
    from project_name_rows r join projects p on p.id = r.project_id`.execute(db);
  await sql`insert into project_names (project_names) values ('optimize')`.execute(db);
  // As 0031's, of `column`: a project's FTS row by its mapping, the next rowid after the largest.
  const ftsRow = (row: 'new' | 'old') =>
    sql`(select fts_rowid from project_name_rows where project_id = ${sql.raw(row)}.id)`;
  const addName = sql`
    insert into project_names (rowid, name)
      select fts_rowid, ${of('new')} from project_name_rows where project_id = new.id;`;
  const [insert, update, remove] = TRIGGERS.map((name) => sql.id(name));
  for (const statement of [
    sql`create trigger ${insert} after insert on projects begin
       insert into project_name_rows (project_id, fts_rowid)
         select new.id, coalesce(max(fts_rowid), 0) + 1 from project_name_rows;
       ${addName}
     end`,
    sql`create trigger ${update} after update of id, ${sql.raw(column)} on projects
       when old.id is not new.id or ${of('old')} is not ${of('new')} begin
       update project_name_rows set project_id = new.id where project_id = old.id;
       delete from project_names where rowid = ${ftsRow('new')};
       ${addName}
     end`,
    sql`create trigger ${remove} after delete on projects begin
       delete from project_names where rowid = ${ftsRow('old')};
       delete from project_name_rows where project_id = old.id;
     end`,
  ]) {
    await statement.execute(db);
  }
}
