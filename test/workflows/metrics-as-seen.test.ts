/**
 * An `agreeMetrics` Update naming the metrics version its approver saw (`metricsChangedAt`,
 * patch "metrics-as-seen") on a real server: once the PM changed a target after operations
 * looked, it is refused `metrics_changed` by the validator, leaving no trace in the history;
 * naming the version as it now stands, it agrees and records the patch's marker.
 */
import { agreeMetricsUpdate, setMetricsUpdate } from '../../workflows/messages';
import { METRICS_AS_SEEN } from '../../workflows/project-lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { patchesOf, setupProjects, type Project, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

const acceptedUpdates = async (project: Project) =>
  ((await project.handle.fetchHistory()).events ?? []).filter(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
  ).length;

const setTarget = (project: Project, target: number) =>
  project.act(setMetricsUpdate, {
    actor: { userId: 'pat' },
    metrics: { adoption: { target } },
  });

it('refuses an agreement to metrics changed since they were seen, and agrees to the current', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  await setTarget(project, 50);
  const seen = (await project.state()).metrics!.changedAt;
  // Workflow time is the task's: a later task, a later changedAt.
  await new Promise((resolve) => setTimeout(resolve, 20));
  await setTarget(project, 60);
  const current = (await project.state()).metrics!.changedAt;
  expect(current).toBeGreaterThan(seen);

  const refused = await project.refused(agreeMetricsUpdate, {
    actor: { userId: 'olga' },
    metricsChangedAt: seen,
  });
  expect(refused).toMatchObject({ code: 'metrics_changed', path: ['metricsChangedAt'] });
  expect((await project.state()).metrics!.agreed).toBeUndefined();
  expect(await acceptedUpdates(project)).toBe(2);

  await project.act(agreeMetricsUpdate, { actor: { userId: 'olga' }, metricsChangedAt: current });
  expect((await project.state()).metrics!.agreed).toMatchObject({ by: 'olga', role: 'ops' });
  expect(await patchesOf(project)).toContain(METRICS_AS_SEEN);
  await project.recordHistory('metrics-as-seen');
});
