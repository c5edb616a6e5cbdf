/**
 * Lists that do not grow with the portfolio (issue 12). Every list of projects is a range read
 * of an index in its own order (newest first, ties by id): one index per filter the portfolio
 * offers. A participant's projects come from `project_members` (one row per user and project,
 * whatever their roles, with the project's start time), so "my projects" reads the user's own
 * range instead of testing every project for a participant.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('projects_status_started_idx').execute();
  await db.schema.dropIndex('projects_template_idx').execute();
  await db.schema
    .createIndex('projects_list_idx')
    .on('projects')
    .columns(['started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('projects_status_list_idx')
    .on('projects')
    .columns(['status', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('projects_template_list_idx')
    .on('projects')
    .columns(['template_key', 'started_at', 'id'])
    .execute();
  await db.schema
    .createIndex('projects_template_status_list_idx')
    .on('projects')
    .columns(['template_key', 'status', 'started_at', 'id'])
    .execute();

  await db.schema
    .createTable('project_members')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) =>
      c.notNull().references('projects.id').onDelete('cascade'),
    )
    /** The project's start time, epoch ms: the list's order. */
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('project_members_pk', ['user_id', 'project_id'])
    .execute();
  await db.schema
    .createIndex('project_members_list_idx')
    .on('project_members')
    .columns(['user_id', 'started_at', 'project_id'])
    .execute();
  await sql`
    insert into project_members (user_id, project_id, started_at)
    select distinct pp.user_id, pp.project_id, p.started_at
    from project_participants pp join projects p on p.id = pp.project_id
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('project_members').execute();
  await db.schema.dropIndex('projects_template_status_list_idx').execute();
  await db.schema.dropIndex('projects_template_list_idx').execute();
  await db.schema.dropIndex('projects_status_list_idx').execute();
  await db.schema.dropIndex('projects_list_idx').execute();
  await db.schema
    .createIndex('projects_status_started_idx')
    .on('projects')
    .columns(['status', 'started_at'])
    .execute();
  await db.schema
    .createIndex('projects_template_idx')
    .on('projects')
    .columns(['template_key', 'started_at'])
    .execute();
}
