/**
 * The open projects longest at their stage (`sort: 'stage_age'`) with the filters the list
 * combines it with: a status, a template, both, a stage of a template and its status. 0022's
 * stage-age indexes held every open project (or one stage's) in that order, so a status or a
 * template was a filter along them: a page of a small template read the whole portfolio's open
 * projects before it to find its own.
 *
 * Each index now leads with what a filter fixes, status last before the order: a status (or
 * a template, a stage) is one range of it, read in order. Without a status, the list reads
 * the range of each open status (there are two) and merges them (db/project-list.ts), so the
 * indexes by status replace 0022's all-open and one-stage ones: one index more to write as a
 * project moves on, not three. Like 0022's, each holds the open projects only.
 */
import { sql, type Kysely } from 'kysely';

/** [name, columns] of 0022's indexes that these replace. */
const BEFORE: [string, string[]][] = [
  ['projects_stage_age_idx', ['stage_since', 'id']],
  ['projects_stage_age_at_idx', ['template_key', 'stage', 'stage_since', 'id']],
];
const NOW: [string, string[]][] = [
  ['projects_status_age_idx', ['status', 'stage_since', 'id']],
  ['projects_template_age_idx', ['template_key', 'status', 'stage_since', 'id']],
  ['projects_stage_status_age_idx', ['template_key', 'stage', 'status', 'stage_since', 'id']],
];

async function replace(
  db: Kysely<unknown>,
  drop: [string, string[]][],
  create: [string, string[]][],
): Promise<void> {
  for (const [name, columns] of create) {
    await db.schema
      .createIndex(name)
      .on('projects')
      .columns(columns)
      .where(sql.ref('stage_since'), 'is not', null)
      .execute();
  }
  for (const [name] of drop) await db.schema.dropIndex(name).execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await replace(db, BEFORE, NOW);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await replace(db, NOW, BEFORE);
}
