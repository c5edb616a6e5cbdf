/**
 * A bulk migration survives its worker (issue 15): forty projects of a template migrated to a
 * renamed version by one job; the only worker process is SIGKILLed while the job is midway,
 * and a new worker process resumes it from its history to the end. Every project is migrated
 * exactly once (its audit trail shows one `project.migrated`), and the project that was moved
 * by hand beforehand is listed as failed, with why. PostgreSQL: the worker processes and the
 * API share its read model.
 */
import { listAudit } from '../../db';
import type { MigrationView } from '../../server/contract';
import { bulkMigrationWorkflowId } from '../../workflows/messages';
import type { Template } from '../../workflows/model';
import { renamed } from '../fixtures/impact-drafts';
import { miniTemplate } from '../fixtures/mini-template';
import { databaseFactory } from '../support/databases';
import { startWorkerProcess, type TestProcess } from '../support/processes';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf, createUser, eventually, expectStatus, type ApiUser } from '../server/drive-http';
import { startApiStack, type ApiStack } from '../server/stack';

const PROJECTS = 40;
const template: Template = { ...miniTemplate, key: 'mini-bulk-crash' };

let api: ApiStack;
const workers: TestProcess[] = [];
let pmo: ApiUser;

const startWorker = async (name: string) => {
  const worker = await startWorkerProcess({
    taskQueue: api.taskQueue,
    databaseUrl: api.databaseUrl,
    name,
  });
  workers.push(worker);
  return worker;
};

beforeAll(async () => {
  api = await startApiStack(
    databaseFactory('postgres'),
    { actionTimeoutMs: 120_000 },
    { worker: false },
  );
}, 60_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.stop();
});

it(
  'resumes a bulk migration on a new worker after its worker is killed midway',
  () =>
    withWorkerOutput(async () => {
      const first = await startWorker('worker 1');
      pmo = await createUser(api, 'paula', { pmo: true });
      const people = await Promise.all(
        ['pat', 'olga', 'omar', 'sam'].map((n) => createUser(api, n)),
      );
      const [pat, olga, omar, sam] = people.map((p) => p.id);
      const participants = { pm: [pat], ops: [olga, omar], steering: [sam] };
      const call = (method: string, path: string, body?: unknown) =>
        api.call(method, path, { token: pmo.token, ...(body !== undefined && { body }) });
      const publish = async (t: Template) => {
        expectStatus(await call('PUT', `/api/templates/${t.key}/draft`, t), 200, 'draft');
        expectStatus(await call('POST', `/api/templates/${t.key}/publish`), 201, 'publish');
      };
      await publish(template);
      const ids: string[] = [];
      for (let i = 0; i < PROJECTS; i++) {
        const reply = await call('POST', '/api/projects', {
          name: `crash ${i}`,
          template: template.key,
          participants,
        });
        ids.push(bodyOf<{ id: string }>(reply, 201, 'start').id);
      }
      await publish(renamed(template));
      // One project is moved by hand first: the job lists it as failed, with why.
      const byHand = ids[PROJECTS - 1]!;
      expectStatus(
        await call('POST', `/api/projects/${byHand}/migrate`, { version: 2 }),
        200,
        'by hand',
      );

      const started = bodyOf<MigrationView>(
        await call('POST', `/api/templates/${template.key}/migrations`, {
          version: 2,
          projectIds: ids,
        }),
        202,
        'bulk',
      );
      const path = `/api/templates/${template.key}/migrations/${started.job.id}`;
      const progress = async () => bodyOf<MigrationView>(await call('GET', path), 200, 'poll');

      // Killed as soon as the first projects are settled: mid-job, activities in flight.
      await eventually('the first projects migrated', progress, (v) => v.job.migrated >= 2, 60_000);
      await first.kill('SIGKILL');
      const atKill = (await progress()).job;
      expect(atKill.pending).toBeGreaterThan(0);
      // Nothing moves while no worker runs.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect((await progress()).job.pending).toBe(atKill.pending);

      await startWorker('worker 2');
      const done = await eventually(
        'the job resumed and finished on the new worker',
        progress,
        (v) => v.job.status === 'done',
        150_000,
      );
      expect(done.job).toMatchObject({ total: PROJECTS, migrated: PROJECTS - 1, failed: 1 });
      const failed = bodyOf<MigrationView>(
        await call('GET', `${path}?status=failed`),
        200,
        'failed',
      );
      expect(failed.items).toEqual([
        {
          projectId: byHand,
          status: 'failed',
          code: 'incompatible_version',
          reason: expect.stringContaining('already runs version 2'),
        },
      ]);

      // Exactly one migration per project in its audit trail (the one by hand included), as
      // readers see it: a record write of the killed worker's unfinished workflow task may
      // have stored an entry its retry superseded (db/fences.ts); listAudit leaves those out.
      const migrations: Record<string, number> = {};
      for (const id of ids) {
        const trail = await listAudit(api.db, id, { limit: 1000 });
        migrations[id] = trail.filter((e) => e.action === 'project.migrated').length;
      }
      expect(migrations).toEqual(Object.fromEntries(ids.map((id) => [id, 1])));
      for (const id of [ids[0]!, ids[PROJECTS - 2]!]) {
        const state = bodyOf<{ template: { version: number } }>(
          await call('GET', `/api/projects/${id}`),
          200,
          'project',
        );
        expect(state.template.version).toBe(2);
      }

      // The job's history: one completed activity per project, whatever was retried. Read once
      // the job's workflow has ended: a project's own record write settles its row
      // (db/migration-settle.ts), and once a newer write of the project has made that for good
      // the job may read `done` before the activity that sent its Update has completed.
      const { client } = await connectTestTemporal();
      const job = client.workflow.getHandle(bulkMigrationWorkflowId(started.job.id));
      await job.result();
      const history = await job.fetchHistory();
      const events = history.events ?? [];
      const completed = events.filter((e) => e.activityTaskCompletedEventAttributes).length;
      const retried = events.filter(
        (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1,
      ).length;
      expect(completed).toBe(PROJECTS);
      console.log(
        `bulk migration: killed at ${atKill.migrated + atKill.failed}/${PROJECTS} settled; ` +
          `${retried} activit${retried === 1 ? 'y' : 'ies'} retried on the new worker`,
      );
    }),
  300_000,
);

/** Runs `fn`, adding the workers' output to the error when it fails. */
async function withWorkerOutput(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) {
      error.message += workers.map((w) => `\n\n${w.describe()}`).join('');
    }
    throw error;
  }
}
