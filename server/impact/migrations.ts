/**
 * Bulk migration jobs (issue 15): what a request names is checked whole before anything is
 * written (every refusal names its field); then the job is written and its durable workflow
 * started, which migrates each project by its own Update (activities/migration.ts). The job's
 * progress is the read model's: its rows, settled one per project.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import {
  createMigrationJob,
  deleteMigrationJob,
  getImpactJob,
  getLatestVersion,
  getMigrationJob,
  getVersion,
  impactClasses,
  inSnapshot,
  listMigrationItems,
  projectHeads,
  type Database,
} from '../../db';
import { BULK_MIGRATION_WORKFLOW, bulkMigrationWorkflowId } from '../../workflows/messages';
import {
  canonicalJson,
  type BulkMigrationInput,
  type MigrationItemStatus,
  type Template,
} from '../../workflows/model';
import type { MigrationBody, MigrationView } from '../contract-migrations';
import { HttpProblem, type FieldError } from '../problem';
import { refuseUnrunnable } from '../runnable-versions';
import { unknownVersion } from './jobs';

export interface MigrationDeps {
  db: Kysely<Database>;
  temporal: { client: Client; taskQueue: string };
  /** Each project's budget of attempts and time; unset, the workflow's defaults. */
  migrationBudget?: BulkMigrationInput['budget'];
}

/** The version and projects `body` names for template `key`, each checked. */
async function planOf(
  db: Kysely<Database>,
  key: string,
  body: MigrationBody,
): Promise<{ version: number; projectIds: string[]; impactJob?: string }> {
  if (!(await getLatestVersion(db, key))) {
    throw new HttpProblem(404, 'not_found', `template "${key}" has no published version`);
  }
  if ('version' in body) {
    const target = await getVersion(db, key, body.version);
    if (!target) throw unknownVersion(key, body.version, ['body', 'version']);
    refuseUnrunnable(target.template, target.version, ['body', 'version']);
    await checkProjects(db, key, body.projectIds);
    return { version: body.version, projectIds: body.projectIds };
  }
  const job = await getImpactJob(db, body.impactJob);
  if (!job || job.templateKey !== key) {
    throw new HttpProblem(404, 'not_found', `no impact analysis "${body.impactJob}" of "${key}"`);
  }
  const field = ['body', 'impactJob'];
  if (job.done < job.total) {
    throw conflict('impact_running', field, 'the impact analysis is still running: poll it first');
  }
  const { version } = job.candidate;
  const published = await getVersion(db, key, version);
  if (!published) {
    const message = `version ${version} of "${key}" is not published yet: publish the draft first`;
    throw conflict('version_not_published', field, message);
  }
  refuseUnrunnable(published.template, version, field);
  // What the analysis found holds for the draft it read: a draft changed before it was
  // published is another template under that number, which no one analysed.
  // Designer positions (`layout`) are no part of what runs: the canvas analysed may have been
  // laid out anew since the draft was saved.
  const runs = (template: Template) => canonicalJson({ ...template, layout: undefined });
  if (job.candidate.draft && runs(published.template) !== runs(job.candidate.template)) {
    const message =
      `version ${version} of "${key}" is not the draft this analysis read (it changed before ` +
      `it was published): analyse version ${version} again`;
    throw conflict('impact_outdated', field, message);
  }
  const classes = await impactClasses(db, job.id);
  const named = body.projectIds;
  const projectIds =
    named ?? [...classes].filter(([, cls]) => cls === 'unchanged').map(([id]) => id);
  if (named) {
    const outside = fieldErrors(named, 'not_in_impact', (id) =>
      classes.has(id) ? undefined : `project "${id}" is not in this impact analysis`,
    );
    if (outside.length > 0) throw problem(422, outside);
    const blocked = fieldErrors(named, 'project_blocked', (id) =>
      classes.get(id) === 'blocked'
        ? `the analysis found project "${id}" cannot migrate`
        : undefined,
    );
    if (blocked.length > 0) throw problem(409, blocked);
  }
  if (projectIds.length === 0) {
    throw conflict(
      'nothing_to_migrate',
      field,
      'the analysis found no project that migrates unchanged',
    );
  }
  await checkProjects(db, key, projectIds);
  return { version, projectIds, impactJob: job.id };
}

/** Every project named once, known, running and on template `key`. */
async function checkProjects(
  db: Kysely<Database>,
  key: string,
  ids: readonly string[],
): Promise<void> {
  const seen = new Set<string>();
  const duplicates = fieldErrors(ids, 'duplicate_project', (id) => {
    if (!seen.has(id)) return void seen.add(id);
    return `project "${id}" is named twice`;
  });
  if (duplicates.length > 0) throw problem(422, duplicates);
  const heads = await projectHeads(db, ids);
  const unknown = fieldErrors(ids, 'unknown_project', (id) =>
    heads.has(id) ? undefined : `no project "${id}"`,
  );
  if (unknown.length > 0) throw problem(422, unknown);
  const conflicts = [
    ...fieldErrors(ids, 'wrong_template', (id) => {
      const head = heads.get(id)!;
      return head.templateKey === key ? undefined : `project "${id}" runs "${head.templateKey}"`;
    }),
    ...fieldErrors(ids, 'project_closed', (id) => {
      const { status } = heads.get(id)!;
      return status === 'active' || status === 'on_hold'
        ? undefined
        : `project "${id}" is ${status}`;
    }),
  ];
  if (conflicts.length > 0) throw problem(409, conflicts);
}

/** A field error at `body.projectIds.i` for each id `why` has a reason for. */
function fieldErrors(
  ids: readonly string[],
  code: string,
  why: (id: string) => string | undefined,
): FieldError[] {
  return ids.flatMap((id, i) => {
    const message = why(id);
    return message === undefined ? [] : [{ path: ['body', 'projectIds', i], code, message }];
  });
}

function problem(status: number, errors: FieldError[]): HttpProblem {
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new HttpProblem(status, first!.code, `${first!.message}${more}`, errors);
}

function conflict(code: string, path: (string | number)[], message: string): HttpProblem {
  return new HttpProblem(409, code, message, [{ path, code, message }]);
}

/**
 * Checks, writes the job and starts its workflow; answers the job's id. A start that fails
 * leaves nothing behind.
 */
export async function startMigration(
  deps: MigrationDeps,
  key: string,
  body: MigrationBody,
  userId: string,
): Promise<string> {
  const plan = await planOf(deps.db, key, body);
  const jobId = await createMigrationJob(deps.db, {
    templateKey: key,
    version: plan.version,
    ...(plan.impactJob !== undefined && { impactJob: plan.impactJob }),
    createdBy: userId,
    projectIds: plan.projectIds,
  });
  const input: BulkMigrationInput = {
    jobId,
    userId,
    templateKey: key,
    version: plan.version,
    projectIds: plan.projectIds,
    ...(deps.migrationBudget !== undefined && { budget: deps.migrationBudget }),
  };
  try {
    await deps.temporal.client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: deps.temporal.taskQueue,
      workflowId: bulkMigrationWorkflowId(jobId),
      args: [input],
    });
  } catch (error) {
    // A fresh id cannot have been started before; anything else left no workflow running.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
      await deleteMigrationJob(deps.db, jobId);
      throw error;
    }
  }
  return jobId;
}

/**
 * The job `jobId` of template `key` (or 404) as the API answers it: its progress and a page of
 * its projects, read in one snapshot, so that while projects settle the counts still agree with
 * each other and with the page.
 */
export async function migrationView(
  db: Kysely<Database>,
  key: string,
  jobId: string,
  page: { cursor?: string; limit?: number; status?: MigrationItemStatus },
): Promise<MigrationView> {
  return inSnapshot(db, async (trx) => {
    const job = await getMigrationJob(trx, jobId);
    if (!job || job.templateKey !== key) {
      throw new HttpProblem(404, 'not_found', `no migration "${jobId}" of "${key}"`);
    }
    const { items, nextCursor } = await listMigrationItems(trx, job.id, page);
    return {
      job: {
        id: job.id,
        templateKey: job.templateKey,
        version: job.version,
        ...(job.impactJob !== undefined && { impactJob: job.impactJob }),
        status: job.status,
        total: job.total,
        ...job.counts,
        settledLate: job.settledLate,
        provisional: job.provisional,
        createdAt: new Date(job.createdAt).toISOString(),
      },
      items,
      ...(nextCursor !== undefined && { nextCursor }),
    };
  });
}
