/**
 * A KPI value outside its metric's allowed range (patch "kpi-in-range") on a real server: 130 %
 * for an adoption rate of 0 … 100 is refused `out_of_range` by the validator, naming `value`
 * and leaving no trace in the history; 90 % is recorded with the patch's marker. The code
 * before the patch recorded any value: test/replay/histories/kpi-in-range-unpatched.binpb
 * holds such a history (130 recorded, then 90), recorded by that code and kept as it was.
 */
import { recordKpiUpdate } from '../../workflows/messages';
import type { Template } from '../../workflows/model';
import { KPI_IN_RANGE } from '../../workflows/project-lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { patchesOf, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

/** The mini template with its adoption rate given the range a percentage has. */
const percent: Template = {
  ...miniTemplate,
  metrics: miniTemplate.metrics!.map((m) =>
    m.key === 'adoption' ? { ...m, min: 0, max: 100 } : m,
  ),
};

it('refuses a KPI value outside its metric’s range, and records one within', async () => {
  const project = await projects.start(percent, miniParticipants);
  const refused = await project.refused(recordKpiUpdate, {
    actor: { userId: 'pat' },
    metric: 'adoption',
    value: 130,
  });
  expect(refused).toMatchObject({ code: 'out_of_range', path: ['value'] });
  expect(refused.message).toContain('0 … 100');
  expect((await project.state()).kpis).toEqual([]);

  await project.act(recordKpiUpdate, { actor: { userId: 'pat' }, metric: 'adoption', value: 90 });
  expect((await project.state()).kpis.map((k) => k.value)).toEqual([90]);
  expect(await patchesOf(project)).toContain(KPI_IN_RANGE);
  await project.recordHistory('kpi-in-range');
});
