/**
 * A bulk migration's attempt that finds the project's key of its `migrate` stored but not yet
 * settled (activities/migration.ts `appliedByKey`) does not take it as the project's answer: the
 * record write that stored it, of the newest attempt of the project's workflow task, may still be
 * undone. Here the project is unknown to Temporal (its workflow is gone), so the job can only
 * ask its key; attempt A of the project's task stored it and settled the row. The job asks again
 * until its budget is spent, and gives the project up; its answer is kept on the row, which
 * stays `migrated` provisionally, answered late. Attempt B then supersedes A's write: the row
 * turns back to that answer. Real parts: the dev server, the job's workflow, the app database.
 */
import { createActivities, type RecordedBatch } from '../../activities';
import { createMigrationJob } from '../../db';
import type { MigrationView } from '../../server/contract';
import { BULK_MIGRATION_WORKFLOW, bulkMigrationWorkflowId } from '../../workflows/messages';
import { bulkMigrationRecord, type BulkMigrationInput } from '../../workflows/model';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { people, publish, type People } from './trust-support';

/** Attempt tags of the project's workflow task, in order (workflows/outbox.ts). */
const [A, B] = [1, 2].map((n) => String(n).padStart(40, '0')) as [string, string];
/** Where the applied `migrate` is audited. */
const SEQ = 3;
const UNSURE = "the project's record of this migration may still be undone";

describe.each(eachDatabase())('a bulk migration meeting an unsettled key on $name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'unsure');
  }, 60_000);
  afterAll(async () => api?.stop());

  it('asks again instead of answering migrated, and its row follows the write', async () => {
    const template = { ...miniTemplate, key: `mini-unsure-${factory.name}` };
    const version = await publish(api, p.pmo, template);
    const projectId = `unsure-${factory.name}-${Date.now()}`;
    const jobId = await createMigrationJob(api.db, {
      templateKey: template.key,
      version,
      createdBy: p.pmo.id,
      projectIds: [projectId],
    });
    const records = createActivities({ db: api.db });
    const write = (attempt: string, action: string, applied: boolean): RecordedBatch => ({
      attempt,
      from: { seq: SEQ, note: 0 },
      audits: [{ projectId, seq: SEQ, at: Date.now(), actor: p.pmo.id, action }],
      notifications: [],
      ...(applied && {
        keys: [
          {
            projectId,
            ...bulkMigrationRecord({ jobId, userId: p.pmo.id, version }, projectId),
            at: Date.now(),
            result: { status: 'active', current: ['build'], seq: SEQ },
          },
        ],
      }),
    });
    await records.recordEffects(write(A, 'project.migrated', true));

    const input: BulkMigrationInput = {
      jobId,
      userId: p.pmo.id,
      templateKey: template.key,
      version,
      projectIds: [projectId],
      lanes: 1,
      budget: { attempts: 2, seconds: 60 },
    };
    const { client } = await connectTestTemporal();
    const handle = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: api.taskQueue,
      workflowId: bulkMigrationWorkflowId(jobId),
      args: [input],
    });
    await handle.result();
    const path = `/api/templates/${template.key}/migrations/${jobId}`;
    const view = async () =>
      bodyOf<MigrationView>(await api.call('GET', path, { token: p.pmo.token }), 200, 'poll');

    const answered = await view();
    expect(answered.job).toMatchObject({
      status: 'done',
      migrated: 1,
      failed: 0,
      settledLate: 0,
      provisional: 1,
    });
    const givenUp = {
      code: 'retries_exhausted',
      reason: expect.stringContaining(`gave up after 2 attempts; the last error: ${UNSURE}`),
      attempts: 2,
      lastError: expect.stringContaining(UNSURE),
    };
    expect(answered.items).toEqual([
      {
        projectId,
        status: 'migrated',
        ...givenUp,
        answeredLate: expect.any(String),
        provisional: true,
      },
    ]);

    // A's task failed after all: B writes at its position without the key.
    await records.recordEffects(write(B, 'other.action', false));
    const undone = await view();
    expect(undone.job).toMatchObject({ status: 'done', migrated: 0, failed: 1, provisional: 0 });
    expect(undone.items).toEqual([{ projectId, status: 'failed', ...givenUp }]);
  }, 90_000);
});
