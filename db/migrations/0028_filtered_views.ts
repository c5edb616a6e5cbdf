/**
 * The newest-first list of a stage by status, and the views of those needing attention
 * (hypercare ending soon, over budget) with a status, a template or a stage, in either order.
 * 0022's stage index had no status, and its attention indexes held only the order: each such
 * filter was tested row by row along them, so a page of a few held projects at a stage, or of
 * one template's projects over budget, read every row before it to find its own.
 *
 * As 0026 did for the stage age, each index leads with what a filter fixes, status last before
 * the order: a filter is one range of it, read in order. Without a status, the list reads the
 * range of each status a row of the index can have and merges them (db/project-list.ts), so
 * the indexes by status replace those holding the order alone where the statuses are the two
 * open ones (a stage, the age of a stage, hypercare); over budget, ended projects too, keeps
 * its newest-first index for the unfiltered view. Each attention index holds the projects
 * needing it only (and, by stage or stage age, those still at a stage): cheap to write.
 */
import { sql, type Kysely } from 'kysely';

/** [name, columns, the rows it holds] of an index. */
type Index = [string, string[], string];

const AT_STAGE = 'stage is not null';
const HYPERCARE = 'hypercare_due is not null';
/** A literal, as 0022 spelled it, so that both planners match the list's term to it. */
const OVER_BUDGET = 'over_budget = 1';

/** The indexes, in either order, of the projects needing one attention (`rows`). */
function attentionIndexes(name: string, rows: string): Index[] {
  const atStage = `${rows} and ${AT_STAGE}`;
  const aged = `${rows} and stage_since is not null`;
  return [
    [`projects_${name}_status_list_idx`, ['status', 'started_at', 'id'], rows],
    [`projects_${name}_template_list_idx`, ['template_key', 'status', 'started_at', 'id'], rows],
    [
      `projects_${name}_stage_list_idx`,
      ['template_key', 'stage', 'status', 'started_at', 'id'],
      atStage,
    ],
    [`projects_${name}_status_age_idx`, ['status', 'stage_since', 'id'], aged],
    [`projects_${name}_template_age_idx`, ['template_key', 'status', 'stage_since', 'id'], aged],
    [
      `projects_${name}_stage_age_idx`,
      ['template_key', 'stage', 'status', 'stage_since', 'id'],
      aged,
    ],
  ];
}

/** 0022's indexes that these replace. */
const BEFORE: Index[] = [
  ['projects_stage_list_idx', ['template_key', 'stage', 'started_at', 'id'], AT_STAGE],
  ['projects_hypercare_list_idx', ['started_at', 'id'], HYPERCARE],
  ['projects_hypercare_age_idx', ['stage_since', 'id'], HYPERCARE],
  ['projects_over_budget_age_idx', ['stage_since', 'id'], OVER_BUDGET],
];
const NOW: Index[] = [
  [
    'projects_stage_status_list_idx',
    ['template_key', 'stage', 'status', 'started_at', 'id'],
    AT_STAGE,
  ],
  ...attentionIndexes('hypercare', HYPERCARE),
  ...attentionIndexes('over_budget', OVER_BUDGET),
];

async function replace(db: Kysely<unknown>, drop: Index[], create: Index[]): Promise<void> {
  for (const [name, columns, rows] of create) {
    await db.schema
      .createIndex(name)
      .on('projects')
      .columns(columns)
      .where(sql.raw<boolean>(rows))
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
