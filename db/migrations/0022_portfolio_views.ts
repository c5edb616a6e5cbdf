/**
 * The portfolio's everyday questions as range reads: where open projects stand (`stage`, the
 * node an active or held project is in, and `stage_since`), whose hypercare ends soon or
 * awaits its exit (`hypercare_due`) and who is over budget (`over_budget`). Each is derived
 * from the list's summary (`progress`, 0021) and the status (db/list-keys.ts) and written in
 * the statement that writes them, so the list filters, sorts and counts by index: counts per
 * stage (db/project-list.ts countStages), a stage, "needs attention", longest at their stage.
 *
 * Every index is partial: only the rows a view can list are in it (the open projects; those
 * in hypercare; those over budget). Stored rows get their values as 0021's did: clearing
 * `actions_of` has `gatehouse migrate` derive them again from each stored state.
 */
import { sql, type Kysely } from 'kysely';

/** [name, columns, the rows it holds] of each index. */
const INDEXES: [string, string[], string][] = [
  // A stage of a template, newest first; the counts per stage read it alone.
  ['projects_stage_list_idx', ['template_key', 'stage', 'started_at', 'id'], 'stage'],
  ['projects_stage_status_idx', ['template_key', 'stage', 'status'], 'stage'],
  // Longest at their stage first: all open projects, and one stage's.
  ['projects_stage_age_idx', ['stage_since', 'id'], 'stage_since'],
  ['projects_stage_age_at_idx', ['template_key', 'stage', 'stage_since', 'id'], 'stage_since'],
  // Hypercare ending soon or awaiting exit, in either order.
  ['projects_hypercare_list_idx', ['started_at', 'id'], 'hypercare_due'],
  ['projects_hypercare_age_idx', ['stage_since', 'id'], 'hypercare_due'],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  const projects = db.schema.alterTable('projects');
  await projects.addColumn('stage', 'text').execute();
  await projects.addColumn('stage_since', 'bigint').execute();
  await projects.addColumn('hypercare_due', 'bigint').execute();
  await projects.addColumn('over_budget', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  for (const [name, columns, held] of INDEXES) {
    await db.schema
      .createIndex(name)
      .on('projects')
      .columns(columns)
      .where(sql.ref(held), 'is not', null)
      .execute();
  }
  // Over budget, in either order: `over_budget = 1` (a literal, so both planners match it).
  for (const [name, columns] of [
    ['projects_over_budget_list_idx', ['started_at', 'id']],
    ['projects_over_budget_age_idx', ['stage_since', 'id']],
  ] as const) {
    await db.schema
      .createIndex(name)
      .on('projects')
      .columns([...columns])
      .where(sql<boolean>`over_budget = 1`)
      .execute();
  }
  await sql`update projects set actions_of = null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const name of [
    ...INDEXES.map(([index]) => index),
    'projects_over_budget_list_idx',
    'projects_over_budget_age_idx',
  ]) {
    await db.schema.dropIndex(name).execute();
  }
  for (const column of ['over_budget', 'hypercare_due', 'stage_since', 'stage']) {
    await db.schema.alterTable('projects').dropColumn(column).execute();
  }
}
