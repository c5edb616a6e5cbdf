/**
 * A bulk migration's job row and its project always agree (patch "migration-deadline"): when
 * no worker runs a project's workflow for longer than the project's budget, the job gives the
 * project up as `failed`, and the `migrate` Update Temporal had already admitted for it is
 * refused when a worker comes back, instead of moving the project after the job said it
 * failed. The outage is real: the project's only worker is stopped while the job's runs on.
 */
import { migrateThroughWorker } from '../../worker/project-updates';
import { projectWorkflowId, stateQuery } from '../../workflows/messages';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase } from '../support/databases';
import { expectStatus } from './drive-http';
import { outageStack } from './migration-outage';

const template = { ...miniTemplate, key: 'mini-deadline' };

describe.each(eachDatabase())('a bulk migration outlived by its Update on $name', (factory) => {
  const stack = outageStack(factory, template, migrateThroughWorker);

  it('refuses the admitted Update of a project its job gave up, so the project stays put', async () => {
    const { projectId, client, jobView } = await stack.migrateDuringOutage({
      attempts: 3,
      seconds: 4,
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
    await stack.restartProjectWorker();
    expectStatus(
      await stack.api.call('POST', `/api/projects/${projectId}/feedback`, {
        token: stack.pat.token,
        body: { text: 'still on version 1?', kind: 'feedback' },
      }),
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
