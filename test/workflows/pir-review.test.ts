/**
 * A PIR that is a review (issue 13, item 3) on a real server: decisions and a follow-up action
 * recorded on the current review, the action reminded half-way and escalated when missed (the
 * durable timers of an obligation), its owner completing it late, and the scored sign-off.
 */
import {
  completeReviewActionUpdate,
  recordReviewActionUpdate,
  recordReviewDecisionUpdate,
  signoffUpdate,
} from '../../workflows/messages';
import { pirParticipants, pirTemplate } from '../fixtures/pir-template';
import { setupProjects, PMO, type Projects } from './harness';
import { inboxOf } from './inbox';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('reminds and escalates a PIR follow-up action, which its owner completes late', async () => {
  const project = await projects.start(pirTemplate(), pirParticipants);
  const decided = await project.act(recordReviewDecisionUpdate, {
    actor: { userId: 'stan' },
    nodeId: 'pir',
    text: 'Keep the second region on hold until tickets fall',
  });
  expect(decided).toMatchObject({ id: 'pir-1-d1', nodeId: 'pir' });
  const set = await project.act(recordReviewActionUpdate, {
    actor: { userId: 'stan' },
    nodeId: 'pir',
    text: 'Ticket triage rota',
    due: 'PT4S',
    assignee: 'sid',
  });
  expect(set.id).toBe('pir-1-a1');
  const refused = await project.refused(completeReviewActionUpdate, {
    actor: { userId: 'sue' },
    actionId: 'pir-1-a1',
  });
  expect(refused.code).toBe('not_responsible');

  const reminded = await inboxOf(projects.db, 'sid', project.id, (items) =>
    items.some((i) => i.kind === 'reminder'),
  );
  expect(reminded.find((i) => i.kind === 'reminder')!.text).toContain('Ticket triage rota');
  const missed = await project.until((s) => s.conditions[0]?.status === 'missed', 15_000);
  expect(missed.conditions[0]).toMatchObject({ assignee: 'sid', escalated: true });
  for (const user of ['stan', 'olga', 'sid', PMO]) {
    await inboxOf(projects.db, user, project.id, (items) =>
      items.some((i) => i.kind === 'condition-missed' && i.text.includes('Ticket triage rota')),
    );
  }

  await project.act(completeReviewActionUpdate, {
    actor: { userId: 'sid' },
    actionId: 'pir-1-a1',
    note: 'Rota runs from Monday',
  });
  const marks = { 'benefits-measured': true, 'training-support': 7, 'strategic-fit': 9 };
  for (const userId of ['stan', 'olga']) {
    await project.act(signoffUpdate, {
      actor: { userId },
      nodeId: 'pir',
      decision: 'go',
      criteria: marks,
    });
  }
  const after = await project.state();
  expect(after.current).toEqual(['monitoring']);
  expect(after.conditions[0]).toMatchObject({ status: 'met', metBy: 'sid' });
  expect(after.nodes.pir!.review!.decisions.map((d) => d.text)).toEqual([
    'Keep the second region on hold until tickets fall',
  ]);
  expect(after.nodes.pir!.votes.map((v) => v.score)).toEqual([0.767, 0.767]);
  await project.recordHistory('pir-review-actions');
});
