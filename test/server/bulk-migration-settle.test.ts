/**
 * A bulk migration whose attempt is retried after its `migrate` Update was applied settles the
 * project `migrated`, once. The worker of the first attempt dies right after the Update
 * answered (the attempt ends without an answer); meanwhile either the project starts a new run
 * (a monitor reviewing every second, a new run after every second review: its state carries
 * the job's key over, so the project answers the retry itself), or it takes as many keyed
 * actions as its state remembers keys, so the retry, under the job's key, meets a project that
 * has forgotten it and refuses `incompatible_version`: the activity finds the key in the app
 * database. Real parts: the dev server, the project's workflow, the app database.
 */
import { createMigrationJob, listAudit } from '../../db';
import type { MigrateProject } from '../../activities';
import type { MigrationView } from '../../server/contract';
import { migrateThroughWorker } from '../../worker/project-updates';
import {
  BULK_MIGRATION_WORKFLOW,
  bulkMigrationWorkflowId,
  projectWorkflowId,
  stateQuery,
} from '../../workflows/messages';
import { IDEMPOTENCY_WINDOW, type BulkMigrationInput, type Template } from '../../workflows/model';
import { monitorTemplate } from '../fixtures/trust-templates';
import { eachDatabase } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { act, people, publish, startContinuingProject, type People } from './trust-support';

const DIED = "the migration's worker died after the Update answered";

describe.each(eachDatabase())('a bulk migration retried across runs on $name', (factory) => {
  let api: ApiStack;
  let p: People;
  /**
   * Projects whose first attempt applies the Update, then lets `meanwhile` happen to the
   * project, then dies before it could write its answer: the attempt ends without one.
   */
  const dying = new Map<string, () => Promise<void>>();
  const migrateProject: MigrateProject = async (projectId, input, updateId) => {
    const answer = await migrateThroughWorker(projectId, input, updateId);
    const meanwhile = dying.get(projectId);
    if (!meanwhile) return answer;
    dying.delete(projectId);
    await meanwhile();
    throw new Error(DIED);
  };
  const continuedAsNew = (projectId: string) => async () => {
    const { client } = await connectTestTemporal();
    const project = client.workflow.getHandle(projectWorkflowId(projectId));
    const { runId } = await project.describe();
    await eventually(
      'the project continued as new',
      async () => (await project.describe()).runId,
      (next) => next !== runId,
    );
  };
  /** Per project, the keys it remembered before `keyedActions` and those it still did after. */
  const forgotten = new Map<string, { before: number; kept: string[] }>();
  /**
   * As many keyed actions as the project's state remembers keys: the job's key drops out. Ten
   * at a time (all newer than the job's key, in whatever order): the project's workflow takes
   * the Updates that wait together in one task, a hundred round trips one by one took seconds.
   */
  const keyedActions = (projectId: string) => async () => {
    const note = async (i: number) => {
      const body = { text: `note ${i}`, kind: 'feedback', idempotencyKey: `note-${i}` };
      expectStatus(await act(api, p.pat, projectId, '/feedback', body), 201, 'feedback');
    };
    const { client } = await connectTestTemporal();
    const project = client.workflow.getHandle(projectWorkflowId(projectId));
    const keys = async () => Object.keys((await project.query(stateQuery)).keys);
    const before = await keys();
    const { perProject } = IDEMPOTENCY_WINDOW;
    for (let i = 0; i < perProject; i += 10) {
      await Promise.all(
        Array.from({ length: Math.min(10, perProject - i) }, (_, j) => note(i + j)),
      );
    }
    const after = await keys();
    // Asserted by the test: an assertion failing here would only fail the attempt, as planned.
    forgotten.set(projectId, {
      before: before.length,
      kept: before.filter((k) => after.includes(k)),
    });
  };

  /** Starts a project on a monitor reviewing every second, a new run after every 2 reviews. */
  const startProject = async (template: Template) => {
    const projectId = `settle-${factory.name}-${Date.now()}`;
    return { projectId, project: await startContinuingProject(api, p, template, projectId) };
  };

  /** Runs a job moving `projectId` to `version` of `template`; answers its view when done. */
  const runJob = async (templateKey: string, version: number, projectId: string) => {
    const jobId = await createMigrationJob(api.db, {
      templateKey,
      version,
      createdBy: p.pmo.id,
      projectIds: [projectId],
    });
    const job: BulkMigrationInput = {
      jobId,
      userId: p.pmo.id,
      templateKey,
      version,
      projectIds: [projectId],
      lanes: 1,
      budget: { attempts: 3, seconds: 60 },
    };
    const { client } = await connectTestTemporal();
    const handle = await client.workflow.start(BULK_MIGRATION_WORKFLOW, {
      taskQueue: api.taskQueue,
      workflowId: bulkMigrationWorkflowId(jobId),
      args: [job],
    });
    await handle.result();
    const path = `/api/templates/${templateKey}/migrations/${jobId}`;
    return bodyOf<MigrationView>(await api.call('GET', path, { token: p.pmo.token }), 200, 'poll');
  };

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { activities: { migrateProject } });
    p = await people(api, 'settle');
  }, 60_000);
  afterAll(async () => api?.stop());

  it.each([
    ['a new run already moved', 'run', continuedAsNew],
    ['a project that has forgotten the key', 'keys', keyedActions],
  ] as const)(
    'settles the project migrated, once, when its retry meets %s',
    async (_, name, meanwhile) => {
      const template = { ...monitorTemplate(1), key: `settle-${name}-${factory.name}` };
      const { projectId, project } = await startProject(template);
      const target = await publish(api, p.pmo, { ...template, name: 'Monitor first, v2' });
      dying.set(projectId, meanwhile(projectId));
      const view = await runJob(template.key, target, projectId);
      expect(dying.has(projectId)).toBe(false);
      // The job's key alone, remembered as its Update applied, then forgotten.
      if (name === 'keys') expect(forgotten.get(projectId)).toEqual({ before: 1, kept: [] });

      expect(view.job).toMatchObject({ status: 'done', total: 1, migrated: 1, failed: 0 });
      // Settled by the project's own record write as the Update applied, before the attempt
      // died: the retry found nothing pending to note.
      expect(view.items).toEqual([{ projectId, status: 'migrated' }]);
      const state = await project.query(stateQuery);
      expect(state.template).toEqual({ key: template.key, version: target });
      const audit = await listAudit(api.db, projectId, { limit: 1000 });
      expect(audit.filter((e) => e.action === 'project.migrated')).toHaveLength(1);
    },
    90_000,
  );
});
