/**
 * A project's start, and every record write that changes its participants (a migration, a
 * reassignment), replaces its rows in `project_members` by project (db/projects.ts). The
 * table's keys lead with the user (a participant's list), so that delete read the whole table:
 * at 100,000 projects about 480,000 rows for each start, on PostgreSQL and SQLite alike, and
 * the start grew with the portfolio. This index finds a project's rows directly. (If not
 * exists: an operator may have made it by hand, as the scale bench's note in README says.)
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('project_members_project_idx')
    .ifNotExists()
    .on('project_members')
    .column('project_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('project_members_project_idx').execute();
}
