/**
 * A post-implementation review entered again on a real server (patch "revisit-counts"): a
 * template whose gate recycles into its review. Each visit takes decisions up to the cap of
 * that visit, whatever earlier visits recorded. Recorded as the `revisit-counts-review` history.
 */
import { REVISIT_COUNTS } from '../../workflows/lifecycle';
import { recordReviewDecisionUpdate, signoffUpdate } from '../../workflows/messages';
import { LIMITS } from '../../workflows/model';
import { pirLoopParticipants, pirLoopTemplate } from '../fixtures/loop-template';
import { patchesOf, setupProjects, type Project, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

const CAP = LIMITS.reviewDecisions;
const decide = (project: Project, text: string) =>
  project.act(recordReviewDecisionUpdate, { actor: { userId: 'stan' }, nodeId: 'pir', text });
const oneTooMany = (project: Project) =>
  project.refused(recordReviewDecisionUpdate, {
    actor: { userId: 'stan' },
    nodeId: 'pir',
    text: 'one too many',
  });

/** Stan takes the visit's decisions up to the cap; one more is refused. */
async function fillVisit(project: Project, visit: number) {
  const ids: string[] = [];
  for (let i = 1; i <= CAP; i++) ids.push((await decide(project, `visit ${visit}, #${i}`)).id!);
  expect(await oneTooMany(project)).toMatchObject({ code: 'limit_reached', path: ['text'] });
  return ids;
}

it('lets a review entered again take its decisions up to the cap of that visit', async () => {
  const project = await projects.start(pirLoopTemplate(), pirLoopParticipants);
  const first = await fillVisit(project, 1);
  await project.act(signoffUpdate, { actor: { userId: 'stan' }, nodeId: 'pir', decision: 'go' });
  await project.act(signoffUpdate, { actor: { userId: 'olga' }, nodeId: 'pir', decision: 'go' });
  await project.act(signoffUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'again',
    decision: 'recycle',
  });
  expect((await project.state()).nodes.pir).toMatchObject({ status: 'active', visits: 2 });

  const second = await fillVisit(project, 2);
  expect([first[0], second[0], second[CAP - 1]]).toEqual([
    'pir-1-d1',
    `pir-2-d${CAP + 1}`,
    `pir-2-d${2 * CAP}`,
  ]);
  const kept = (await project.state()).nodes.pir!.review!.decisions;
  expect(kept.map((d) => d.id)).toEqual([...first, ...second]);

  await project.act(signoffUpdate, { actor: { userId: 'stan' }, nodeId: 'pir', decision: 'go' });
  await project.act(signoffUpdate, { actor: { userId: 'olga' }, nodeId: 'pir', decision: 'go' });
  await project.act(signoffUpdate, { actor: { userId: 'olga' }, nodeId: 'again', decision: 'go' });
  expect((await project.handle.result()).status).toBe('completed');
  expect(await patchesOf(project)).toContain(REVISIT_COUNTS);
  await project.recordHistory('revisit-counts-review');
});
