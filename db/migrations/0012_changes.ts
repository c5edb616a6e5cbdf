/**
 * The change journal of live updates on SQLite (db/changes.ts): every write that changes what
 * an event stream shows appends a row in its own transaction, and each API process reads the
 * rows after the last it saw, once per tick, for all its streams. PostgreSQL writers NOTIFY
 * instead and leave the table empty; it exists there too so both databases have one schema.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // AUTOINCREMENT: an id is never reused once pruned, so `id > last` skips nothing unseen.
  const id =
    db.getExecutor().adapter instanceof SqliteAdapter
      ? sql`integer primary key autoincrement`
      : sql`bigserial primary key`;
  await sql`create table changes (id ${id}, payload text not null, at bigint not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('changes').execute();
}
