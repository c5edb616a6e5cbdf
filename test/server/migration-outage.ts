/**
 * What the bulk-migration outage tests share: a project of a template whose next version is
 * published while nothing runs the project's workflow, and a job that migrates it run to its
 * end meanwhile. Real parts: the API stack, the dev server, the app database.
 */
import type { Client } from '@temporalio/client';
import { createMigrationJob } from '../../db';
import type { MigrationView } from '../../server/contract';
import { BULK_MIGRATION_WORKFLOW, bulkMigrationWorkflowId } from '../../workflows/messages';
import type { BulkMigrationInput, Participants, Template } from '../../workflows/model';
import { withDeliverable } from '../fixtures/impact-drafts';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf, expectStatus } from './drive-http';
import type { ApiStack, TestUser } from './stack';

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

/**
 * Starts a project of `template` (its version 1 published), publishes version 2 (a required
 * deliverable added to its approval), runs `stopProjectWorker` (the outage: nothing runs the
 * project's workflow now, so its `migrate` Update can only be admitted) and runs a job moving
 * the project to version 2 on `jobQueue`, with `budget`, to its end.
 */
export async function migrateDuringOutage(
  api: ApiStack,
  pmo: TestUser,
  options: {
    template: Template;
    participants: Participants;
    jobQueue: string;
    budget: BulkMigrationInput['budget'];
    stopProjectWorker: () => Promise<void>;
  },
): Promise<OutageJob> {
  const { template, jobQueue, budget } = options;
  const call = (method: string, path: string, body?: unknown) =>
    api.call(method, path, { token: pmo.token, ...(body !== undefined && { body }) });
  const projectId = bodyOf<{ id: string }>(
    await call('POST', '/api/projects', {
      name: 'outage',
      template: template.key,
      participants: options.participants,
    }),
    201,
    'start',
  ).id;
  await publishAs(api, pmo, withDeliverable(template, 'approval'));

  await options.stopProjectWorker();
  const jobId = await createMigrationJob(api.db, {
    templateKey: template.key,
    version: 2,
    createdBy: pmo.id,
    projectIds: [projectId],
  });
  const input: BulkMigrationInput = {
    jobId,
    userId: pmo.id,
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
}
