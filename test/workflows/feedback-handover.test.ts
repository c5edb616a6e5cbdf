/**
 * Feedback follows reassignment (patch "feedback-handover", workflows/project-lifecycle.ts) on
 * a real server: a frontline item tells its steward, given to omar it tells omar, and when the
 * PMO gives omar's ops seat to otto the item is otto's, the audit trail says so and otto hears.
 * Recorded as the `feedback-handover` history.
 */
import { insertUser, listAudit, listInbox } from '../../db';
import {
  cancelUpdate,
  feedbackUpdate,
  reassignUpdate,
  setFeedbackStatusUpdate,
} from '../../workflows/messages';
import { FEEDBACK_HANDOVER } from '../../workflows/project-lifecycle';
import { jointParticipants, jointTemplate } from '../fixtures/joint-hypercare';
import { patchesOf, PMO, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
  await insertUser(projects.db, { id: 'otto', name: 'otto', email: 'otto@example.test' });
});
afterAll(async () => projects.stop());

/** `user`'s feedback notifications of this project, once `count` of them are in (10 s). */
async function feedbackNotices(user: string, projectId: string, count: number) {
  for (let i = 0; i < 100; i++) {
    const page = await listInbox(projects.db, user, { projectId, kind: 'feedback' });
    if (page.items.length >= count) return page.items.map((n) => n.subject);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${user} did not get ${count} feedback notifications`);
}

it('hands feedback to the successor of its owner and tells each owner', async () => {
  const project = await projects.start(jointTemplate(), jointParticipants);
  const posted = await project.act(feedbackUpdate, {
    actor: { userId: 'fran' },
    kind: 'feedback',
    text: 'Tills too slow',
  });
  const id = posted.id!;
  await project.act(setFeedbackStatusUpdate, {
    actor: { userId: 'pat' },
    feedbackId: id,
    status: 'acknowledged',
    owner: 'omar',
  });
  await project.act(reassignUpdate, {
    actor: { userId: PMO, pmo: true },
    role: 'ops',
    from: 'omar',
    to: 'otto',
    reason: 'moved team',
  });
  const state = await project.state();
  expect(state.feedback.find((f) => f.id === id)).toMatchObject({ owner: 'otto' });
  expect(await feedbackNotices('pat', project.id, 1)).toEqual([
    'Test project: new feedback to answer',
  ]);
  expect(await feedbackNotices('omar', project.id, 1)).toEqual([
    'Test project: feedback given to you',
  ]);
  expect(await feedbackNotices('otto', project.id, 1)).toEqual([
    'Test project: feedback handed over to you',
  ]);

  await project.act(cancelUpdate, { actor: { userId: PMO, pmo: true }, reason: 'test over' });
  await project.handle.result();
  const audit = await listAudit(projects.db, project.id, { limit: 1000 });
  expect(audit.filter((e) => e.action === 'feedback.handed-over')).toEqual([
    expect.objectContaining({ detail: { id, role: 'ops', from: 'omar', to: 'otto' } }),
  ]);
  expect(await patchesOf(project)).toContain(FEEDBACK_HANDOVER);
  await project.recordHistory('feedback-handover');
});
