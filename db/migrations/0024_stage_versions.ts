/**
 * The counts per stage name each stage from the template version its projects pin (a node
 * renamed in a newer version keeps its old name for the projects started on the old one):
 * they count per pinned version too. The stage's count index holds the version, so that the
 * count (db/project-list.ts countStages) still reads that index alone, in its own order.
 */
import { sql, type Kysely } from 'kysely';

/** [name, columns] of the count index, before and now; both hold the open projects only. */
const BEFORE: [string, string[]] = [
  'projects_stage_status_idx',
  ['template_key', 'stage', 'status'],
];
const NOW: [string, string[]] = [
  'projects_stage_version_idx',
  ['template_key', 'stage', 'template_version', 'status'],
];

async function replace(db: Kysely<unknown>, drop: string, [name, columns]: [string, string[]]) {
  await db.schema
    .createIndex(name)
    .on('projects')
    .columns(columns)
    .where(sql.ref('stage'), 'is not', null)
    .execute();
  await db.schema.dropIndex(drop).execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await replace(db, BEFORE[0], NOW);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await replace(db, NOW[0], BEFORE);
}
