/**
 * Impact analysis jobs (issue 15): a candidate template version analysed against every
 * running project of its template. The job lists its projects when it is made (position
 * order); each request analyses a bounded batch of pending rows and pages read analysed ones.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('impact_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_key', 'text', (c) => c.notNull())
    /** JSON: the candidate template, its (possibly hypothetical) version and whether a draft. */
    .addColumn('candidate', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('impact_results')
    .addColumn('job_id', 'text', (c) => c.notNull().references('impact_jobs.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('project_id', 'text', (c) => c.notNull())
    /** Null until analysed. */
    .addColumn('class', 'text')
    /** JSON ProjectImpact; null until analysed. */
    .addColumn('result', 'text')
    .addColumn('analysed_at', 'bigint')
    .addPrimaryKeyConstraint('impact_results_pk', ['job_id', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('impact_results').execute();
  await db.schema.dropTable('impact_jobs').execute();
}
