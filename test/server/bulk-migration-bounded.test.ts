/**
 * A bulk migration always finishes (patch "migration-bounded"): a project whose `migrate`
 * keeps failing in a retryable way is retried within its budget while the job's API shows its
 * attempts and last error, then settled `failed` naming that error; the project behind it in
 * the same lane still migrates and the job ends with its counts. The failing project is a real
 * worker dependency that cannot reach it (its Update answers an error every time).
 */
import { decodeRetryState, decodeTimeoutType } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { createMigrationJob } from '../../db';
import type { MigrationView } from '../../server/contract';
import type { MigrateProject } from '../../activities';
import { migrateThroughWorker } from '../../worker/project-updates';
import { BULK_MIGRATION_WORKFLOW, bulkMigrationWorkflowId } from '../../workflows/messages';
import { MIGRATION_BOUNDED, MIGRATION_OUT_OF_TIME } from '../../workflows/migration-budget';
import type { BulkMigrationInput } from '../../workflows/model';
import { withDeliverable } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { recordHistory } from '../workflows/harness';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const template = { ...miniTemplate, key: 'mini-bounded' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };
const UNREACHABLE = "the project's worker does not answer (the Update timed out)";

/** The text of every marker a history recorded (a patch's id among them). */
function markersOf(events: temporal.api.history.v1.IHistoryEvent[]): string {
  return events
    .flatMap((e) => Object.values(e.markerRecordedEventAttributes?.details ?? {}))
    .flatMap((m) => m.payloads ?? [])
    .map((p) => Buffer.from(p.data ?? []).toString())
    .join();
}

describe.each(eachDatabase())('a bounded bulk migration on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  /** Projects this worker cannot reach: every `migrate` Update to them fails, retryably. */
  const unreachable = new Set<string>();
  /** Projects whose Update never answers: an attempt waits until its time runs out. */
  const silent = new Set<string>();
  const migrateProject: MigrateProject = async (projectId, input, updateId) => {
    if (unreachable.has(projectId)) throw new Error(UNREACHABLE);
    if (silent.has(projectId)) return new Promise<never>(() => undefined);
    return migrateThroughWorker(projectId, input, updateId);
  };

  const call = (method: string, path: string, body?: unknown) =>
    api.call(method, path, { token: pmo.token, ...(body !== undefined && { body }) });
  const publish = async (t: typeof template) => {
    expectStatus(await call('PUT', `/api/templates/${t.key}/draft`, t), 200, 'draft');
    expectStatus(await call('POST', `/api/templates/${t.key}/publish`), 201, 'publish');
  };
  const start = async (name: string) =>
    bodyOf<{ id: string }>(
      await call('POST', '/api/projects', { name, template: template.key, participants }),
      201,
      'start',
    ).id;
  const versionOf = async (id: string) =>
    bodyOf<{ template: { version: number } }>(await call('GET', `/api/projects/${id}`), 200, 'get')
      .template.version;
  const jobView = async (jobId: string) =>
    bodyOf<MigrationView>(
      await call('GET', `/api/templates/${template.key}/migrations/${jobId}`),
      200,
      'poll',
    );
  /** Starts the job's workflow with `budget`, one lane: the stuck project holds it. */
  const runJob = async (
    projectIds: string[],
    budget: BulkMigrationInput['budget'],
    version = 2,
  ) => {
    const jobId = await createMigrationJob(api.db, {
      templateKey: template.key,
      version,
      createdBy: pmo.id,
      projectIds,
    });
    const { client } = await connectTestTemporal();
    const input: BulkMigrationInput = {
      jobId,
      userId: pmo.id,
      templateKey: template.key,
      version,
      projectIds,
      lanes: 1,
      budget,
    };
    const handle = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: api.taskQueue,
      workflowId: bulkMigrationWorkflowId(jobId),
      args: [input],
    });
    return { jobId, handle };
  };

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { activities: { migrateProject } });
    pmo = await api.user('paula', { pmo: true });
    for (const id of ['pat', 'olga', 'omar', 'sam']) await api.user(id);
    await publish(template);
  }, 60_000);
  afterAll(async () => api?.stop());

  it('gives a project that never answers up after its attempts, shows it retried, and finishes the job', async () => {
    const stuck = await start('stuck');
    const fine = await start('fine');
    await publish(withDeliverable(template, 'approval'));
    unreachable.add(stuck);
    const { jobId, handle } = await runJob([stuck, fine], { attempts: 4, seconds: 120 });

    // While it is retried the job runs, the project's row tells why, and its lane waits.
    const retrying = await eventually(
      'the stuck project shows its retries',
      () => jobView(jobId),
      (view) => (view.items[0]?.attempts ?? 0) >= 2,
    );
    expect(retrying.job).toMatchObject({ status: 'running', pending: 2, failed: 0 });
    expect(retrying.items[0]).toMatchObject({
      projectId: stuck,
      status: 'pending',
      lastError: UNREACHABLE,
    });
    expect(retrying.items[1]).toEqual({ projectId: fine, status: 'pending' });

    await handle.result();
    const view = await jobView(jobId);
    expect(view.job).toMatchObject({
      status: 'done',
      total: 2,
      migrated: 1,
      failed: 1,
      pending: 0,
    });
    expect(view.items).toEqual([
      {
        projectId: stuck,
        status: 'failed',
        code: 'retries_exhausted',
        reason: `gave up after 4 attempts; the last error: ${UNREACHABLE}`,
        attempts: 4,
        lastError: UNREACHABLE,
      },
      { projectId: fine, status: 'migrated' },
    ]);
    expect(await versionOf(fine)).toBe(2);
    expect(await versionOf(stuck)).toBe(1);
    // The job took the new path: its history carries the patch's marker.
    expect(markersOf((await handle.fetchHistory()).events ?? [])).toContain(MIGRATION_BOUNDED);
    if (factory.name === 'sqlite') await recordHistory(handle, 'bulk-migration-bounded');
  }, 60_000);

  it('gives a project up when its time is spent, however many attempts remain', async () => {
    const stuck = await start('stuck in time');
    unreachable.add(stuck);
    const { jobId, handle } = await runJob([stuck], { attempts: 100, seconds: 3 });
    await handle.result();
    const view = await jobView(jobId);
    expect(view.job).toMatchObject({ status: 'done', total: 1, migrated: 0, failed: 1 });
    expect(view.items[0]).toMatchObject({
      projectId: stuck,
      status: 'failed',
      code: 'retries_exhausted',
      reason: expect.stringMatching(/^gave up after \d+ attempts? in 3 s; the last error: /),
    });
  }, 30_000);

  it('gives a project up as out of time when its time runs out during an attempt', async () => {
    const stuck = await start('silent');
    silent.add(stuck);
    const { jobId, handle } = await runJob([stuck], { attempts: 5, seconds: 3 });
    await handle.result();
    if (factory.name === 'sqlite') await recordHistory(handle, 'migration-out-of-time');
    // What Temporal says of an attempt its schedule-to-close ended: no retry state of its
    // own (not TIMEOUT), so the job reads the timeout's kind.
    const events = (await handle.fetchHistory()).events ?? [];
    const timedOut = events.flatMap((e) => e.activityTaskTimedOutEventAttributes ?? []);
    const seen = timedOut.map((t) => [
      decodeRetryState(t.retryState),
      decodeTimeoutType(t.failure?.timeoutFailureInfo?.timeoutType),
    ]);
    expect(seen).toEqual([['NON_RETRYABLE_FAILURE', 'SCHEDULE_TO_CLOSE']]);
    const view = await jobView(jobId);
    expect(view.job).toMatchObject({ status: 'done', total: 1, migrated: 0, failed: 1 });
    expect(view.items[0]).toMatchObject({
      projectId: stuck,
      status: 'failed',
      code: 'retries_exhausted',
      reason: 'gave up after 1 attempt in 3 s; the last error: schedule-to-close timeout',
    });
    expect(markersOf(events)).toContain(MIGRATION_OUT_OF_TIME);
  }, 30_000);

  it('settles a project at once when its attempt fails in a way no retry changes', async () => {
    // A job naming a version that was never published: the activity refuses it for good.
    const project = await start('no such version');
    const { jobId, handle } = await runJob([project], { attempts: 5, seconds: 60 }, 99);
    await handle.result();
    const view = await jobView(jobId);
    expect(view.job).toMatchObject({ status: 'done', total: 1, failed: 1, pending: 0 });
    expect(view.items[0]).toMatchObject({
      status: 'failed',
      code: 'migration_error',
      reason: `gave up after 1 attempt; the last error: template "${template.key}" has no published version 99`,
    });
  }, 30_000);
});
