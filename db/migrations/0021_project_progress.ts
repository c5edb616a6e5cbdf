/**
 * The portfolio's rows from the read model: `projects.progress` holds where each project
 * stands as its lists show it (workflows/model/progress.ts: current nodes named and since when,
 * hypercare, cost against budget), written with the snapshot, so a list no longer asks
 * Temporal per row. It is derived from the snapshot like the open actions: clearing
 * `actions_of` has `gatehouse migrate` derive both again for every stored project
 * (ensureOpenActions), the backfill of an upgraded database.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('projects').addColumn('progress', 'text').execute();
  await sql`update projects set actions_of = null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('projects').dropColumn('progress').execute();
}
