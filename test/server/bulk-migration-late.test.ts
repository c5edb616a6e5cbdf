/**
 * A bulk migration's Update that lands after its job gave the project up settles the job's row
 * `migrated`. The project's only worker is stopped, so the job's one attempt can only get its
 * `migrate` Update admitted; then the attempt's worker dies (the activity fails at once), its
 * budget of one attempt is spent and the job gives the project up `failed`. The project's worker
 * comes back within the attempt's deadline and applies the Update: the project moves, and its
 * record write, which stores the job's key, turns the row `migrated`, settled late, with the
 * counts following: provisional until the project writes again (that write's workflow task may
 * still fail), final once it has. Real parts: the dev server, both workers, the app database.
 */
import type { MigrateProject } from '../../activities';
import { listAudit } from '../../db';
import { migrateThroughWorker } from '../../worker/project-updates';
import { projectWorkflowId, stateQuery } from '../../workflows/messages';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import { outageStack } from './migration-outage';

const template = { ...miniTemplate, key: 'mini-late' };
const DIED = "the attempt's worker died after its Update was sent";
/** Long enough for the dev server to admit an Update the activity sent. */
const ADMITTED_MS = 2_000;

/**
 * The job's attempt as a worker that dies early leaves it: the Update is sent (and admitted,
 * the project having no worker to run it), then the attempt fails without its answer.
 */
const dyingEarly: MigrateProject = async (projectId, input, updateId) => {
  // Nobody waits for it any more, as nobody would after a crash; the server still holds it.
  migrateThroughWorker(projectId, input, updateId).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, ADMITTED_MS));
  throw new Error(DIED);
};

describe.each(eachDatabase())('a bulk migration whose Update lands late on $name', (factory) => {
  // The job's attempt dies early (dyingEarly), on a worker of its own.
  const stack = outageStack(factory, template, dyingEarly);

  it('settles the row migrated, late, when the project applies the Update after the give-up', async () => {
    // One attempt, whose deadline (its Update's notAfter) is two minutes away.
    const { projectId, client, jobView } = await stack.migrateDuringOutage({
      attempts: 1,
      seconds: 120,
    });
    const givenUp = {
      code: 'retries_exhausted',
      reason: `gave up after 1 attempt; the last error: ${DIED}`,
      attempts: 1,
      lastError: DIED,
    };
    expect((await jobView()).items).toEqual([{ projectId, status: 'failed', ...givenUp }]);

    // The project's worker is back before the attempt's deadline: the Update is applied.
    await stack.restartProjectWorker();
    const project = client.workflow.getHandle(projectWorkflowId(projectId));
    await eventually(
      'the project applied the admitted Update',
      async () => (await project.query(stateQuery)).template.version,
      (version) => version === 2,
    );
    const view = await eventually(
      "the job's row settled",
      jobView,
      (v) => v.items[0]?.status !== 'failed',
      10_000,
    );
    expect(view.job).toMatchObject({
      status: 'done',
      total: 1,
      migrated: 1,
      failed: 0,
      pending: 0,
      settledLate: 1,
      provisional: 1,
    });
    const settled = { projectId, status: 'migrated', ...givenUp, settledLate: expect.any(String) };
    expect(view.items).toEqual([{ ...settled, provisional: true }]);

    // The project writes its records again (feedback posted): the settlement is final.
    const feedback = { token: stack.pat.token, body: { text: 'moved', kind: 'feedback' } };
    const posted = await stack.api.call('POST', `/api/projects/${projectId}/feedback`, feedback);
    expectStatus(posted, 201, 'feedback');
    const final = await jobView();
    expect(final.job).toMatchObject({
      status: 'done',
      migrated: 1,
      settledLate: 1,
      provisional: 0,
    });
    expect(final.items).toEqual([settled]);
    const audit = await listAudit(stack.api.db, projectId, { limit: 1000 });
    expect(audit.filter((e) => e.action === 'project.migrated')).toHaveLength(1);
  }, 90_000);
});
