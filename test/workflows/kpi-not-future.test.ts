/**
 * A KPI reading dated after now on a real server (patch "kpi-not-future"): refused by the
 * validator, leaving no trace in the history; one dated in the past is recorded with the
 * patch's marker.
 */
import { recordKpiUpdate } from '../../workflows/messages';
import { KPI_NOT_FUTURE } from '../../workflows/project-lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { patchesOf, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('refuses a reading dated in 2030 and records one dated yesterday', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  const reading = (at: string) => ({ actor: { userId: 'pat' }, metric: 'adoption', value: 90, at });
  expect(await project.refused(recordKpiUpdate, reading('2030-01-01T00:00:00Z'))).toMatchObject({
    code: 'in_the_future',
    path: ['at'],
  });
  const accepted = async () =>
    ((await project.handle.fetchHistory()).events ?? []).filter(
      (e) => e.workflowExecutionUpdateAcceptedEventAttributes,
    ).length;
  expect(await accepted()).toBe(0);
  await project.act(recordKpiUpdate, reading(new Date(Date.now() - 86_400_000).toISOString()));
  expect((await project.state()).kpis).toHaveLength(1);
  expect(await patchesOf(project)).toContain(KPI_NOT_FUTURE);
  await project.recordHistory('kpi-not-future');
});
