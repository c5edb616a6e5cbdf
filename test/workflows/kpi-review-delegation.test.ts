/**
 * A KPI review done by a stand-in on a real server (patch "kpi-review-delegation"): the
 * delegate does the only reviewer's open review for them; the record says who acted for whom
 * and the Update records the patch's marker.
 */
import { kpiReviewUpdate } from '../../workflows/messages';
import { KPI_REVIEW_DELEGATION } from '../../workflows/project-lifecycle';
import { standInTemplate } from '../fixtures/kpi-stand-in';
import { patchesOf, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('records the review the stand-in did for the reviewer', async () => {
  const project = await projects.start(standInTemplate, { pm: ['pat'], ops: ['omar'] });
  await project.until((s) => s.nodes.monitor?.monitor?.open !== undefined, 15_000);
  await project.act(kpiReviewUpdate, {
    actor: { userId: 'dana' },
    nodeId: 'monitor',
    values: { adoption: 85 },
    decision: 'keep',
    onBehalfOf: 'omar',
  });
  const state = await project.state();
  expect(state.nodes.monitor!.monitor!.done!.at(-1)).toMatchObject({
    by: 'dana',
    onBehalfOf: 'omar',
  });
  expect(await patchesOf(project)).toContain(KPI_REVIEW_DELEGATION);
  await project.recordHistory('kpi-review-delegation');
});
