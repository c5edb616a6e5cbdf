/**
 * Record writes fenced by attempt: the local activity that writes a workflow's effects runs
 * inside a workflow task, which can still fail (worker killed, task timed out) after the write
 * committed. Every row a record write makes now carries the attempt that wrote it (a tag that
 * grows with each new workflow task attempt, see workflows/outbox.ts) and its position (audit
 * seq, notification ordinal), so a newer attempt can supersede what an attempt the history
 * never recorded wrote, and an older attempt that finishes late cannot overwrite newer rows:
 * - `record_fences`: the newest attempt that wrote each project's records, and where it began;
 * - `audit_entries`: several rows per (project, seq), told apart by `attempt` (the table is
 *   rebuilt with that key on SQLite, which cannot change a primary key in place);
 * - `audit_voids`: the superseded audit rows, append-only like the trail itself (db/audit.ts);
 * - `attempt` and position columns on idempotency keys, inbox items and the project snapshot.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const AUDIT_COLUMNS =
  'project_id, seq, at, actor, action, node_id, reason, detail, prev_hash, hash' as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  await db.schema
    .createTable('record_fences')
    .addColumn('project_id', 'text', (c) => c.primaryKey())
    .addColumn('attempt', 'text', (c) => c.notNull())
    .addColumn('from_seq', 'bigint', (c) => c.notNull())
    .addColumn('from_note', 'bigint', (c) => c.notNull())
    .execute();

  if (postgres) {
    await sql`alter table audit_entries add column attempt text not null default ''`.execute(db);
    await sql`alter table audit_entries drop constraint audit_entries_pk`.execute(db);
    await sql`alter table audit_entries add constraint audit_entries_pk primary key (project_id, seq, attempt)`.execute(
      db,
    );
  } else {
    await rebuildSqliteAudit(db, ['project_id', 'seq', 'attempt'], `${AUDIT_COLUMNS}, ''`);
  }

  await db.schema
    .createTable('audit_voids')
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('attempt', 'text', (c) => c.notNull())
    /** The newer attempt that superseded the row. */
    .addColumn('by_attempt', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_voids_pk', ['project_id', 'seq', 'attempt'])
    .execute();
  await appendOnly(db, 'audit_voids', postgres);

  await db.schema.alterTable('idempotency_keys').addColumn('attempt', 'text').execute();
  await db.schema.alterTable('idempotency_keys').addColumn('seq', 'bigint').execute();
  await db.schema.alterTable('inbox_items').addColumn('attempt', 'text').execute();
  await db.schema.alterTable('inbox_items').addColumn('note', 'bigint').execute();
  // A newer attempt removes an older one's notifications of its project from their position on.
  await db.schema
    .createIndex('inbox_items_project_note_idx')
    .on('inbox_items')
    .columns(['project_id', 'note'])
    .execute();
  await db.schema.alterTable('projects').addColumn('attempt', 'text').execute();
}

/** Back to one row per (project, seq): superseded audit rows are dropped (development only). */
export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = isPostgres(db);
  await db.schema.alterTable('projects').dropColumn('attempt').execute();
  await db.schema.dropIndex('inbox_items_project_note_idx').execute();
  await db.schema.alterTable('inbox_items').dropColumn('note').execute();
  await db.schema.alterTable('inbox_items').dropColumn('attempt').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('seq').execute();
  await db.schema.alterTable('idempotency_keys').dropColumn('attempt').execute();
  if (postgres) {
    await sql`alter table audit_entries disable trigger audit_entries_no_delete`.execute(db);
    await sql`delete from audit_entries a using audit_voids v
      where v.project_id = a.project_id and v.seq = a.seq and v.attempt = a.attempt`.execute(db);
    await sql`alter table audit_entries enable trigger audit_entries_no_delete`.execute(db);
    await sql`alter table audit_entries drop constraint audit_entries_pk`.execute(db);
    await sql`alter table audit_entries drop column attempt`.execute(db);
    await sql`alter table audit_entries add constraint audit_entries_pk primary key (project_id, seq)`.execute(
      db,
    );
  } else {
    await rebuildSqliteAudit(
      db,
      ['project_id', 'seq'],
      `${AUDIT_COLUMNS} from audit_entries a where not exists (select 1 from audit_voids v
        where v.project_id = a.project_id and v.seq = a.seq and v.attempt = a.attempt)`,
      true,
    );
  }
  await db.schema.dropTable('audit_voids').execute();
  await db.schema.dropTable('record_fences').execute();
}

function isPostgres(db: Kysely<unknown>): boolean {
  return !(db.getExecutor().adapter instanceof SqliteAdapter);
}

/**
 * SQLite: the trail copied into a table with primary key `key`, then put in its place with
 * its append-only triggers. `select` is what follows `select` in the copy (a full query when
 * `full`, else the columns read from the old table).
 */
async function rebuildSqliteAudit(
  db: Kysely<unknown>,
  key: string[],
  select: string,
  full = false,
): Promise<void> {
  const withAttempt = key.includes('attempt');
  await sql
    .raw(
      `create table audit_entries_next (
        project_id text not null, seq integer not null, at bigint not null,
        actor text not null, action text not null, node_id text, reason text, detail text,
        prev_hash text, hash text${withAttempt ? `, attempt text not null default ''` : ''},
        constraint audit_entries_pk primary key (${key.join(', ')}))`,
    )
    .execute(db);
  const columns = withAttempt ? `${AUDIT_COLUMNS}, attempt` : AUDIT_COLUMNS;
  await sql
    .raw(
      `insert into audit_entries_next (${columns}) select ${select}${full ? '' : ' from audit_entries'}`,
    )
    .execute(db);
  // Dropping a table fires no DELETE trigger; its triggers go with it.
  await sql`drop table audit_entries`.execute(db);
  await sql`alter table audit_entries_next rename to audit_entries`.execute(db);
  await appendOnly(db, 'audit_entries', false);
}

/** UPDATE and DELETE refused by the database itself (as 0006_security does for the trails). */
async function appendOnly(db: Kysely<unknown>, table: string, postgres: boolean): Promise<void> {
  if (!postgres) {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(
          `create trigger ${table}_no_${op} before ${op} on ${table} ` +
            `begin select raise(abort, '${table} is append-only: ${op} refused'); end`,
        )
        .execute(db);
    }
    return;
  }
  // gatehouse_append_only() is 0006_security's.
  for (const op of ['update', 'delete']) {
    await sql
      .raw(
        `create trigger ${table}_no_${op} before ${op} on ${table}
           for each row execute function gatehouse_append_only()`,
      )
      .execute(db);
  }
  await sql
    .raw(
      `create trigger ${table}_no_truncate before truncate on ${table}
         for each statement execute function gatehouse_append_only()`,
    )
    .execute(db);
  await sql.raw(`revoke update, delete, truncate on ${table} from public`).execute(db);
}
