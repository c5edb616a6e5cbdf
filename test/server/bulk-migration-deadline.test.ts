/**
 * A bulk migration's job row and its project always agree (patch "migration-deadline"): when
 * no worker runs a project's workflow for longer than the project's budget, the job gives the
 * project up as `failed`, and the `migrate` Update Temporal had already admitted for it is
 * refused when a worker comes back, instead of moving the project after the job said it
 * failed. The outage is real: the project's only worker is stopped while the job's runs on.
 */
import { createActivities } from '../../activities';
import { migrateThroughWorker } from '../../worker/project-updates';
import { projectWorkflowId, stateQuery } from '../../workflows/messages';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { startTestWorker, uniqueId, type RunningTestWorker } from '../support/temporal';
import { expectStatus } from './drive-http';
import { migrateDuringOutage, publishAs } from './migration-outage';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const template = { ...miniTemplate, key: 'mini-deadline' };
const participants = { pm: ['pat'], ops: ['olga', 'omar'], steering: ['sam'] };

describe.each(eachDatabase())('a bulk migration outlived by its Update on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  let pat: TestUser;
  /** Runs the projects' workflows (the API's task queue); stopped for the outage. */
  let projectWorker: RunningTestWorker | undefined;
  /** Runs the job's workflow and activities on a queue of its own, through the outage. */
  let jobWorker: RunningTestWorker | undefined;
  const jobQueue = uniqueId('jobs');
  const worker = (taskQueue: string) =>
    startTestWorker({
      taskQueue,
      activities: createActivities({ db: api.db, migrateProject: migrateThroughWorker }),
    });

  const call = (method: string, path: string, body?: unknown, user = pmo) =>
    api.call(method, path, { token: user.token, ...(body !== undefined && { body }) });
  beforeAll(async () => {
    api = await startApiStack(factory, {}, { worker: false });
    pmo = await api.user('paula', { pmo: true });
    pat = await api.user('pat');
    for (const id of ['olga', 'omar', 'sam']) await api.user(id);
    projectWorker = await worker(api.taskQueue);
    jobWorker = await worker(jobQueue);
    await publishAs(api, pmo, template);
  }, 60_000);
  afterAll(async () => {
    await projectWorker?.stop();
    await jobWorker?.stop();
    await api?.stop();
  });

  it('refuses the admitted Update of a project its job gave up, so the project stays put', async () => {
    // The outage: nothing runs the project's workflow, so its Update can only be admitted.
    const { projectId, client, jobView } = await migrateDuringOutage(api, pmo, {
      template,
      participants,
      jobQueue,
      budget: { attempts: 3, seconds: 4 },
      stopProjectWorker: async () => {
        await projectWorker!.stop();
        projectWorker = undefined;
      },
    });
    // Its one attempt outlived by the budget's time, waiting on the admitted Update: the time
    // ran out (patch "migration-out-of-time").
    const failed = {
      projectId,
      status: 'failed',
      code: 'retries_exhausted',
      reason: 'gave up after 1 attempt in 4 s; the last error: schedule-to-close timeout',
    };
    expect((await jobView()).items).toEqual([expect.objectContaining(failed)]);

    // A worker comes back and takes the project's workflow task, with every Update Temporal
    // admitted meanwhile; a participant's feedback, sent now, is answered only after them.
    projectWorker = await worker(api.taskQueue);
    expectStatus(
      await call(
        'POST',
        `/api/projects/${projectId}/feedback`,
        { text: 'still on version 1?', kind: 'feedback' },
        pat,
      ),
      201,
      'feedback',
    );
    const project = client.workflow.getHandle(projectWorkflowId(projectId));
    const state = await project.query(stateQuery);
    expect(state.template).toEqual({ key: template.key, version: 1 });
    const history = (await project.fetchHistory()).events ?? [];
    const accepted = history.flatMap((e) => {
      const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
      return update?.input?.name ? [update.input.name] : [];
    });
    expect(accepted).toEqual(['feedback']);
    const view = await jobView();
    expect(view.job).toMatchObject({ status: 'done', total: 1, migrated: 0, failed: 1 });
    expect(view.items).toEqual([expect.objectContaining(failed)]);
  }, 90_000);
});
