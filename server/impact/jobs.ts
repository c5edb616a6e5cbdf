/**
 * Impact analysis jobs: made from a candidate and the running projects of its template (the
 * read model lists them; each is analysed from its workflow history), advanced a bounded batch
 * per request, read a page at a time. A job needs no background worker: whoever polls it (the
 * designer, the CLI) moves it on, and an API restart loses nothing.
 */
import type { Kysely } from 'kysely';
import {
  createImpactJob,
  getImpactJob,
  getLatestVersion,
  getVersion,
  inSnapshot,
  listImpacts,
  listProjects,
  pendingImpacts,
  saveImpact,
  type Database,
  type ImpactCandidate,
  type ImpactJob,
} from '../../db';
import { validateNewTemplate } from '../../workflows/model';
import type { Client } from '@temporalio/client';
import type { ImpactBody, ImpactView } from '../contract-impact';
import { HttpProblem } from '../problem';
import { analyseProjects } from './analyse';

/** Projects analysed per request: a request's work is bounded whatever the portfolio. */
export const IMPACT_BATCH = 25;
const LISTED_PER_QUERY = 200;

export interface ImpactDeps {
  db: Kysely<Database>;
  client: Client;
}

/** The candidate `body` names for template `key`; 404 / 422 naming the field when it cannot. */
export async function candidateOf(
  db: Kysely<Database>,
  key: string,
  body: ImpactBody,
): Promise<ImpactCandidate> {
  const latest = await getLatestVersion(db, key);
  if (!latest) {
    throw new HttpProblem(
      404,
      'not_found',
      `template "${key}" has no published version to replace`,
    );
  }
  if ('version' in body) {
    const version = await getVersion(db, key, body.version);
    if (!version) throw unknownVersion(key, body.version, ['body', 'version']);
    return { template: version.template, version: body.version, draft: false };
  }
  const validation = validateNewTemplate(body.template);
  if (!validation.valid) {
    throw new HttpProblem(
      422,
      'invalid_template',
      `the template is not valid (${validation.errors.length} error(s))`,
      validation.errors.map((e) => ({
        path: ['body', 'template', ...e.path],
        code: e.code,
        message: e.message,
      })),
    );
  }
  // As publishing stores it (the validator's parse: defaults filled, unknown keys dropped), so
  // the version later published from this draft compares equal to it (./migrations.ts).
  const template = validation.template!;
  if (template.key !== key) {
    const message = `the template's key "${template.key}" is not "${key}"`;
    throw new HttpProblem(422, 'template_key_mismatch', message, [
      { path: ['body', 'template', 'key'], code: 'template_key_mismatch', message },
    ]);
  }
  return { template, version: latest.version + 1, draft: true };
}

export function unknownVersion(key: string, version: number, path: (string | number)[]) {
  const message = `template "${key}" has no published version ${version}`;
  return new HttpProblem(422, 'unknown_version', message, [
    { path, code: 'unknown_version', message },
  ]);
}

/**
 * Makes a job over every running project of `key` (newest first) and runs its first batch;
 * answers the job's id.
 */
export async function startImpact(
  deps: ImpactDeps,
  key: string,
  candidate: ImpactCandidate,
  createdBy: string,
  batch = IMPACT_BATCH,
): Promise<string> {
  const projectIds: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listProjects(deps.db, {
      template: key,
      status: ['active', 'on_hold'],
      limit: LISTED_PER_QUERY,
      ...(cursor !== undefined && { cursor }),
    });
    projectIds.push(...page.items.map((p) => p.id));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const id = await createImpactJob(deps.db, { templateKey: key, candidate, createdBy, projectIds });
  await advanceImpact(deps, key, id, batch);
  return id;
}

/**
 * Analyses the next batch of pending projects of job `jobId` of template `key`; 404 (nothing
 * analysed) when there is no such job of that template.
 */
export async function advanceImpact(
  deps: ImpactDeps,
  key: string,
  jobId: string,
  batch = IMPACT_BATCH,
): Promise<void> {
  const job = await impactJob(deps.db, key, jobId);
  const pending = await pendingImpacts(deps.db, jobId, batch);
  if (pending.length === 0) return;
  const { template, version } = job.candidate;
  const impacts = await analyseProjects(
    deps.client,
    pending.map((p) => p.projectId),
    { template, version },
  );
  for (const [i, impact] of impacts.entries()) {
    await saveImpact(deps.db, jobId, pending[i]!.position, impact);
  }
}

/** The job `jobId` of template `key` with its progress and counts, or 404. */
export async function impactJob(
  db: Kysely<Database>,
  key: string,
  jobId: string,
): Promise<ImpactJob> {
  const job = await getImpactJob(db, jobId);
  if (!job || job.templateKey !== key) {
    throw new HttpProblem(404, 'not_found', `no impact analysis "${jobId}" of "${key}"`);
  }
  return job;
}

/**
 * The job's answer: progress, counts so far and a page of analysed projects, read in one
 * snapshot, so that while another request analyses a batch the counts still agree with the page.
 */
export async function impactView(
  db: Kysely<Database>,
  key: string,
  jobId: string,
  page: { cursor?: string; limit?: number },
): Promise<ImpactView> {
  return inSnapshot(db, async (trx) => {
    const job = await impactJob(trx, key, jobId);
    const { items, nextCursor } = await listImpacts(trx, job.id, page);
    return {
      job: {
        id: job.id,
        templateKey: job.templateKey,
        version: job.candidate.version,
        draft: job.candidate.draft,
        status: job.done >= job.total ? 'done' : 'running',
        total: job.total,
        done: job.done,
        createdAt: new Date(job.createdAt).toISOString(),
      },
      summary: job.summary,
      items,
      ...(nextCursor !== undefined && { nextCursor }),
    };
  });
}
