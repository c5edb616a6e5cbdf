/**
 * A monitor entered again on a real server (patches "kpi-follow-up-visits", "revisit-counts"):
 * a template looping back into its monitor, the first review of each visit done with a
 * follow-up. The second visit's review is #2, in every notice the reviewers' inbox holds, and
 * its follow-up has an id of its own, so the owner's open actions list both and each is
 * completed by its own id. Recorded as the `revisit-counts` history (`kpi-follow-up-visits` is
 * this test's history from before that patch, kept as it was).
 */
import { listOpenActions, seedTemplate } from '../../db';
import { KPI_FOLLOW_UP_VISITS, REVISIT_COUNTS } from '../../workflows/lifecycle';
import {
  cancelUpdate,
  conditionMetUpdate,
  kpiReviewUpdate,
  retireUpdate,
  signoffUpdate,
} from '../../workflows/messages';
import type { Template } from '../../workflows/model';
import { loopParticipants, loopTemplate } from '../fixtures/loop-template';
import { patchesOf, PMO, setupProjects, type Project, type Projects } from './harness';
import { inboxOf } from './inbox';

/** Reviews every 4 s, each due 3 s after: a visit's first review opens 4 s after it starts. */
const template: Template = {
  ...loopTemplate,
  nodes: loopTemplate.nodes.map((n) =>
    n.type === 'monitor' ? { ...n, every: 'PT4S', reviewWithin: 'PT3S' } : n,
  ),
};

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
  // The record write reads the template version to keep each user's open actions.
  await seedTemplate(projects.db, template);
});
afterAll(async () => projects.stop());

/** Waits for the first review of the monitor's `visit` and does it, asking the pm for `text`. */
async function reviewFirst(project: Project, visit: number, text: string) {
  await project.until((s) => {
    const rec = s.nodes.monitor;
    return rec?.visits === visit && rec.monitor?.open !== undefined;
  }, 15_000);
  return project.act(kpiReviewUpdate, {
    actor: { userId: 'omar' },
    nodeId: 'monitor',
    decision: 'act',
    actions: [{ text, due: 'PT5M', owner: 'pm' }],
  });
}

/** The pm's open follow-ups in the project (ids), once there are `count` (the write is async). */
async function followUpsOfPat(projectId: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const items = (await listOpenActions(projects.db, 'pat', { limit: 100 })).items.filter(
      (a) => a.projectId === projectId && a.action === 'meet-condition',
    );
    if (items.length === count) return items.map((a) => [a.itemId, a.detail]);
    if (Date.now() > deadline) throw new Error(`open actions of pat: ${JSON.stringify(items)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The subjects of omar's inbox rows about the project's KPI reviews, oldest first. */
async function kpiNoticesOfOmar(projectId: string, count: number) {
  const about = (items: Awaited<ReturnType<typeof inboxOf>>) =>
    items
      .filter((n) => n.kind === 'kpi-review' || n.subject.includes('KPI monitoring'))
      .map((n) => n.subject.replace(/ due .*/, ''))
      .reverse();
  return about(
    await inboxOf(projects.db, 'omar', projectId, (items) => about(items).length >= count),
  );
}

it('numbers the reviews of a monitor entered again on, and gives their follow-ups ids of their own', async () => {
  const project = await projects.start(template, loopParticipants);
  expect((await reviewFirst(project, 1, 'FAQ for the top tickets')).id).toBe('1');
  await project.act(retireUpdate, { actor: { userId: 'olga' }, reason: 'steady' });
  await project.act(signoffUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'reassess',
    decision: 'recycle',
  });
  expect((await reviewFirst(project, 2, 'Train the new support shift')).id).toBe('2');

  // Both visits' notices reached the reviewer's inbox, the second's told apart by its number.
  expect(await kpiNoticesOfOmar(project.id, 4)).toEqual([
    'Test project: KPI monitoring started',
    'Test project: KPI review #1',
    'Test project: KPI monitoring started again',
    'Test project: KPI review #2',
  ]);
  expect(await followUpsOfPat(project.id, 2)).toEqual([
    ['monitor-review-1-1', 'FAQ for the top tickets'],
    ['monitor-review-2-1-v2', 'Train the new support shift'],
  ]);
  await project.act(conditionMetUpdate, {
    actor: { userId: 'pat' },
    conditionId: 'monitor-review-2-1-v2',
  });
  expect((await project.state()).conditions.map((c) => [c.id, c.status])).toEqual([
    ['monitor-review-1-1', 'open'],
    ['monitor-review-2-1-v2', 'met'],
  ]);
  await project.act(conditionMetUpdate, {
    actor: { userId: 'pat' },
    conditionId: 'monitor-review-1-1',
  });
  expect(await followUpsOfPat(project.id, 0)).toEqual([]);

  await project.act(cancelUpdate, { actor: { userId: PMO, pmo: true }, reason: 'test over' });
  const state = await project.handle.result();
  expect(state.conditions.map((c) => c.status)).toEqual(['met', 'met']);
  expect(await patchesOf(project)).toEqual(
    expect.arrayContaining([KPI_FOLLOW_UP_VISITS, REVISIT_COUNTS]),
  );
  await project.recordHistory('revisit-counts');
});
