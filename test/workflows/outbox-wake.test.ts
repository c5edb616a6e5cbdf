/**
 * The outbox woken by `push` (patch "outbox-push-wake", workflows/outbox.ts) on a real server:
 * Updates sent together, so several land in one activation and share a record write, still
 * leave the read model complete (every audit entry once, in order, and the latest state).
 * Recorded as the `outbox-push-wake` history.
 */
import { getProjectState, listAudit } from '../../db';
import {
  cancelUpdate,
  feedbackUpdate,
  signoffUpdate,
  submitDeliverableUpdate,
} from '../../workflows/messages';
import { OUTBOX_PUSH_WAKE } from '../../workflows/outbox';
import { miniParticipants, miniTemplate as template } from '../fixtures/mini-template';
import { completeStage, fullMarks, nodeOf } from './drive';
import { patchesOf, PMO, setupProjects, type Project, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('writes every step of Updates that arrive together, woken by push', async () => {
  const project = await projects.start(template, miniParticipants);
  const deliver = (nodeId: string, deliverableId: string) =>
    project.act(submitDeliverableUpdate, {
      actor: { userId: 'pat' },
      nodeId,
      deliverableId,
      url: `https://docs.example.test/${deliverableId}`,
    });
  await Promise.all([
    deliver('plan', 'faq'),
    project.act(feedbackUpdate, { actor: { userId: 'olga' }, kind: 'lesson', text: 'One' }),
    project.act(feedbackUpdate, { actor: { userId: 'omar' }, kind: 'lesson', text: 'Two' }),
  ]);
  await completeStage(project, template, 'plan', 'pat');
  await deliver('approval', 'charter');
  const approval = nodeOf(template, 'approval');
  const votes = [
    { userId: 'pat', role: 'pm' },
    { userId: 'olga', role: 'ops' },
    { userId: 'omar', role: 'ops' },
  ].map(({ userId, role }) =>
    project.act(signoffUpdate, {
      actor: { userId },
      nodeId: 'approval',
      decision: 'go',
      role,
      criteria: fullMarks(approval),
    }),
  );
  await Promise.all(votes);

  await project.until((s) => s.current.includes('hypercare'));
  await project.act(cancelUpdate, { actor: { userId: PMO, pmo: true }, reason: 'test over' });
  const state = await project.handle.result();
  expect(state.feedback).toHaveLength(2);
  expect(state.nodes.approval).toMatchObject({ status: 'done', outcome: 'go' });
  // The read model catches up with the workflow: each entry once and in order, the last state.
  const audit = await readModelAt(project, state.seq);
  // (`seq` is the next entry's number.)
  const written = Array.from({ length: state.seq - 1 }, (_, i) => i + 1);
  expect(audit.map((e) => e.seq)).toEqual(written);
  expect(audit.filter((e) => e.action === 'signoff')).toHaveLength(3);
  expect(await patchesOf(project)).toContain(OUTBOX_PUSH_WAKE);
  await project.recordHistory('outbox-push-wake');
});

/** The audit trail once the stored state has reached `seq` (fails after ten seconds). */
async function readModelAt(project: Project, seq: number) {
  for (let i = 0; i < 100; i++) {
    const stored = await getProjectState(projects.db, project.id);
    if (stored?.seq === seq) return listAudit(projects.db, project.id, { limit: 1000 });
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the read model did not reach seq ${seq}`);
}
