/**
 * The open projects per template, node, pinned version and status, kept as counts
 * (`stage_counts`) by the database itself: triggers on `projects` move a project's count when
 * it starts, moves, is held or resumed, is migrated to another version or ends, whichever
 * code path writes the row. `GET /api/portfolio/stages` (db/project-list.ts countStages),
 * which every PMO's portfolio asks every 10 s, then reads a handful of rows instead of
 * counting every open project (18 ms on SQLite, 71 ms on PostgreSQL at 100,000 projects).
 * The count index of 0024 served only that count: it is dropped.
 *
 * A project's counts change in one order (old row before new row, by key) on PostgreSQL, so
 * that two projects moving opposite ways between two stages lock the rows in the same order
 * and never deadlock.
 */
import { type Kysely, SqliteAdapter, sql } from 'kysely';

const KEY = ['template_key', 'stage', 'template_version', 'status'] as const;
const COUNT_INDEX = 'projects_stage_version_idx';

const isSqlite = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof SqliteAdapter;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stage_counts')
    .addColumn('template_key', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('template_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stage_counts_pk', [...KEY])
    .execute();
  await sql`
    insert into stage_counts (template_key, stage, template_version, status, n)
    select template_key, stage, template_version, status, count(*)
    from projects where stage is not null
    group by template_key, stage, template_version, status`.execute(db);
  if (isSqlite(db)) await sqliteTriggers(db);
  else await postgresTriggers(db);
  await db.schema.dropIndex(COUNT_INDEX).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex(COUNT_INDEX)
    .on('projects')
    .columns([...KEY])
    .where(sql.ref('stage'), 'is not', null)
    .execute();
  if (isSqlite(db)) {
    for (const name of ['insert', 'update', 'delete']) {
      await sql`drop trigger if exists ${sql.raw(`projects_stage_count_${name}`)}`.execute(db);
    }
  } else {
    await sql`drop trigger if exists projects_stage_count on projects`.execute(db);
    await sql`drop function if exists projects_stage_count()`.execute(db);
  }
  await db.schema.dropTable('stage_counts').execute();
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const changed = KEY.map((c) => `old.${c} is not new.${c}`).join(' or ');
  /** Adds `by` to the count of the row `row` names, when that row is at a stage. */
  const add = (row: 'new' | 'old', by: 1 | -1) => `
    insert or ignore into stage_counts (${KEY.join(', ')}, n)
      select ${KEY.map((c) => `${row}.${c}`).join(', ')}, 0 where ${row}.stage is not null;
    update stage_counts set n = n + (${by})
      where ${row}.stage is not null and ${KEY.map((c) => `${c} = ${row}.${c}`).join(' and ')};`;
  for (const statement of [
    `create trigger projects_stage_count_insert after insert on projects begin ${add('new', 1)} end`,
    `create trigger projects_stage_count_delete after delete on projects begin ${add('old', -1)} end`,
    `create trigger projects_stage_count_update after update of ${KEY.join(', ')} on projects
       when ${changed} begin ${add('old', -1)} ${add('new', 1)} end`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function projects_stage_count() returns trigger language plpgsql as $$
    declare
      gone boolean := tg_op in ('UPDATE', 'DELETE') and old.stage is not null;
      came boolean := tg_op in ('UPDATE', 'INSERT') and new.stage is not null;
    begin
      if tg_op = 'UPDATE' and gone and came
         and (old.template_key, old.stage, old.template_version, old.status)
           is not distinct from (new.template_key, new.stage, new.template_version, new.status)
      then
        return null;
      end if;
      -- Both rows in key order: two projects moving opposite ways lock them alike.
      if gone and came
         and (new.template_key, new.stage, new.template_version, new.status)
           < (old.template_key, old.stage, old.template_version, old.status)
      then
        insert into stage_counts values (new.template_key, new.stage, new.template_version, new.status, 1)
          on conflict on constraint stage_counts_pk do update set n = stage_counts.n + 1;
        came := false;
      end if;
      if gone then
        update stage_counts set n = n - 1
          where (template_key, stage, template_version, status)
            = (old.template_key, old.stage, old.template_version, old.status);
      end if;
      if came then
        insert into stage_counts values (new.template_key, new.stage, new.template_version, new.status, 1)
          on conflict on constraint stage_counts_pk do update set n = stage_counts.n + 1;
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger projects_stage_count
    after insert or delete or update of template_key, stage, template_version, status on projects
    for each row execute function projects_stage_count()`.execute(db);
}
