/**
 * What the bulk-migration outage tests share: an API stack whose projects' worker can be
 * stopped and started again, and a project of a template whose next version is published while
 * nothing runs the project's workflow, with a job that migrates it run to its end meanwhile.
 * Real parts: the API stack, the dev server, both workers, the app database.
 */
import type { Client } from '@temporalio/client';
import { createActivities, type MigrateProject } from '../../activities';
import { createMigrationJob } from '../../db';
import type { MigrationView } from '../../server/contract';
import { BULK_MIGRATION_WORKFLOW, bulkMigrationWorkflowId } from '../../workflows/messages';
import type { BulkMigrationInput, Participants, Template } from '../../workflows/model';
import { withDeliverable } from '../fixtures/impact-drafts';
import type { DatabaseFactory } from '../support/databases';
import {
  connectTestTemporal,
  startTestWorker,
  uniqueId,
  type RunningTestWorker,
} from '../support/temporal';
import { bodyOf, expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

/** Publishes `template` as its next version, as `pmo` through the API. */
export async function publishAs(api: ApiStack, pmo: TestUser, template: Template): Promise<void> {
  const call = (method: string, path: string, body?: unknown) =>
    api.call(method, path, { token: pmo.token, ...(body !== undefined && { body }) });
  expectStatus(await call('PUT', `/api/templates/${template.key}/draft`, template), 200, 'draft');
  expectStatus(await call('POST', `/api/templates/${template.key}/publish`), 201, 'publish');
}

export interface OutageJob {
  projectId: string;
  jobId: string;
  client: Client;
  /** The job and its projects as the API shows them to the PMO. */
  jobView: () => Promise<MigrationView>;
}

/** The API stack of an outage test, its users and its two workers, live in its tests. */
export interface OutageStack {
  readonly api: ApiStack;
  readonly pmo: TestUser;
  /** The project manager (the participants' `pm`). */
  readonly pat: TestUser;
  /** Starts the projects' worker again (the outage ends). */
  restartProjectWorker(): Promise<void>;
  /**
   * Starts a project of `template` (version 1 is published), publishes version 2 (a required
   * deliverable added to its approval), stops the projects' worker (the outage: nothing runs
   * the project's workflow now, so its `migrate` Update can only be admitted) and runs a job
   * moving the project to version 2, with `budget`, to its end.
   */
  migrateDuringOutage(budget: BulkMigrationInput['budget']): Promise<OutageJob>;
}

export const OUTAGE_PARTICIPANTS: Participants = {
  pm: ['pat'],
  ops: ['olga', 'omar'],
  steering: ['sam'],
};

/**
 * Registers the hooks of an outage test in the calling `describe`: an API stack on `factory`
 * without its own worker, a worker of the projects (the API's task queue) and one of the jobs
 * (a queue of its own, sending Updates with `migrateProject`), `template` published.
 */
export function outageStack(
  factory: DatabaseFactory,
  template: Template,
  migrateProject: MigrateProject,
): OutageStack {
  let api: ApiStack | undefined;
  let pmo: TestUser | undefined;
  let pat: TestUser | undefined;
  let projectWorker: RunningTestWorker | undefined;
  let jobWorker: RunningTestWorker | undefined;
  const jobQueue = uniqueId('jobs');
  const live = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the outage stack is used outside its tests');
    return value;
  };
  const projectWorkerOn = (stack: ApiStack) =>
    startTestWorker({ taskQueue: stack.taskQueue, activities: createActivities({ db: stack.db }) });

  beforeAll(async () => {
    // The first action after the projects' worker comes back waits for the workflow task the
    // stopped worker held and for every Update Temporal admitted meanwhile: on two busy cores
    // that once passed the default 10 s (a CI run, December 7: the dev server took 14.6 s to
    // answer the Update) and the API answered 503. These tests are about which Updates apply.
    api = await startApiStack(factory, { actionTimeoutMs: 60_000 }, { worker: false });
    pmo = await api.user('paula', { pmo: true });
    pat = await api.user('pat');
    for (const id of ['olga', 'omar', 'sam']) await api.user(id);
    projectWorker = await projectWorkerOn(api);
    jobWorker = await startTestWorker({
      taskQueue: jobQueue,
      activities: createActivities({ db: api.db, migrateProject }),
    });
    await publishAs(api, pmo, template);
  }, 60_000);
  afterAll(async () => {
    await projectWorker?.stop();
    await jobWorker?.stop();
    await api?.stop();
  });

  return {
    get api() {
      return live(api);
    },
    get pmo() {
      return live(pmo);
    },
    get pat() {
      return live(pat);
    },
    async restartProjectWorker() {
      projectWorker = await projectWorkerOn(live(api));
    },
    async migrateDuringOutage(budget) {
      const [stack, user] = [live(api), live(pmo)];
      const call = (method: string, path: string, body?: unknown) =>
        stack.call(method, path, { token: user.token, ...(body !== undefined && { body }) });
      const projectId = bodyOf<{ id: string }>(
        await call('POST', '/api/projects', {
          name: 'outage',
          template: template.key,
          participants: OUTAGE_PARTICIPANTS,
        }),
        201,
        'start',
      ).id;
      await publishAs(stack, user, withDeliverable(template, 'approval'));

      await live(projectWorker).stop();
      projectWorker = undefined;
      const jobId = await createMigrationJob(stack.db, {
        templateKey: template.key,
        version: 2,
        createdBy: user.id,
        projectIds: [projectId],
      });
      const input: BulkMigrationInput = {
        jobId,
        userId: user.id,
        templateKey: template.key,
        version: 2,
        projectIds: [projectId],
        lanes: 1,
        budget,
      };
      const { client } = await connectTestTemporal();
      const job = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
        taskQueue: jobQueue,
        workflowId: bulkMigrationWorkflowId(jobId),
        args: [input],
      });
      await job.result();
      const jobView = async () =>
        bodyOf<MigrationView>(
          await call('GET', `/api/templates/${template.key}/migrations/${jobId}`),
          200,
          'poll',
        );
      return { projectId, jobId, client, jobView };
    },
  };
}
