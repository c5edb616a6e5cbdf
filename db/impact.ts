/**
 * Impact analysis jobs (issue 15): the candidate and the projects it is analysed against, in
 * list order, each row filled in once analysed. Work is taken a bounded batch at a time
 * (`pendingImpacts`), so a request never analyses a whole portfolio; a result written twice
 * (two requests racing for a batch) is the same analysis, written again.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import {
  IMPACT_CLASSES,
  ProjectImpact,
  Template,
  type ImpactSummary,
  type Page,
} from '../workflows/model';
import { pageSize } from './cursor';
import { inTransaction } from './database';
import { countJobRows, jobRowBatches, positionAfter, positionPage } from './job-rows';
import type { Database } from './schema';

/** The version analysed: a published one, or a draft under the version it would become. */
export const ImpactCandidate = z.object({
  template: Template,
  version: z.number().int().min(1),
  /** True for a draft (its `version` is the one publishing would give it). */
  draft: z.boolean(),
});
export type ImpactCandidate = z.infer<typeof ImpactCandidate>;

export interface ImpactJob {
  id: string;
  templateKey: string;
  candidate: ImpactCandidate;
  createdBy: string;
  createdAt: number;
  total: number;
  /** Projects analysed so far. */
  done: number;
  summary: ImpactSummary;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

/** Makes a job over `projectIds` (in that order); nothing is analysed yet. */
export async function createImpactJob(
  db: Kysely<Database>,
  job: {
    templateKey: string;
    candidate: ImpactCandidate;
    createdBy: string;
    projectIds: readonly string[];
  },
  now = Date.now(),
): Promise<string> {
  const id = randomUUID();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('impact_jobs')
      .values({
        id,
        template_key: job.templateKey,
        candidate: JSON.stringify(job.candidate),
        created_by: job.createdBy,
        created_at: now,
        total: job.projectIds.length,
      })
      .execute();
    for (const rows of jobRowBatches(id, job.projectIds)) {
      await trx.insertInto('impact_results').values(rows).execute();
    }
  });
  return id;
}

/** The job with its progress and counts per class, if it exists. */
export async function getImpactJob(
  db: Kysely<Database>,
  id: string,
): Promise<ImpactJob | undefined> {
  const row = await db
    .selectFrom('impact_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const summary: ImpactSummary = await countJobRows(db, 'impact_results', id, IMPACT_CLASSES);
  return {
    id: row.id,
    templateKey: row.template_key,
    candidate: ImpactCandidate.parse(JSON.parse(row.candidate)),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    total: Number(row.total),
    done: summary.unchanged + summary.differs + summary.blocked,
    summary,
  };
}

/** Up to `limit` projects not analysed yet, in list order. */
export async function pendingImpacts(
  db: Kysely<Database>,
  jobId: string,
  limit: number,
): Promise<{ position: number; projectId: string }[]> {
  const rows = await db
    .selectFrom('impact_results')
    .select(['position', 'project_id'])
    .where('job_id', '=', jobId)
    .where('class', 'is', null)
    .orderBy('position')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ position: Number(r.position), projectId: r.project_id }));
}

export async function saveImpact(
  db: Kysely<Database>,
  jobId: string,
  position: number,
  impact: ProjectImpact,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('impact_results')
    .set({ class: impact.class, result: JSON.stringify(impact), analysed_at: now })
    .where('job_id', '=', jobId)
    .where('position', '=', position)
    .execute();
}

/** Analysed projects in list order, a page at a time. */
export async function listImpacts(
  db: Kysely<Database>,
  jobId: string,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page<ProjectImpact>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE, MAX_PAGE);
  const rows = await db
    .selectFrom('impact_results')
    .select(['position', 'result'])
    .where('job_id', '=', jobId)
    .where('result', 'is not', null)
    .where('position', '>', positionAfter(jobId, options.cursor))
    .orderBy('position')
    .limit(limit + 1)
    .execute();
  return positionPage(jobId, rows, limit, (r) => ProjectImpact.parse(JSON.parse(r.result!)));
}

/** Each analysed project's class in a job, in list order. */
export async function impactClasses(
  db: Kysely<Database>,
  jobId: string,
): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('impact_results')
    .select(['project_id', 'class'])
    .where('job_id', '=', jobId)
    .where('class', 'is not', null)
    .orderBy('position')
    .execute();
  return new Map(rows.map((r) => [r.project_id, r.class!]));
}
