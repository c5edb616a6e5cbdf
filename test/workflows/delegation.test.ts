/**
 * Delegation and reassignment on a real server: a delegate's vote is the participant's and
 * counts once, the PMO's reassignment changes who signs; the recorded history
 * (`delegation-reassign`) guards both on replay.
 */
import {
  completeStageUpdate,
  reassignUpdate,
  signoffUpdate,
  submitDeliverableUpdate,
} from '../../workflows/messages';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { PMO, setupProjects, type Projects } from './harness';

const criteria = { 'support-ready': true, training: 8, comms: 6 };
let projects: Projects;

beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('takes a vote cast for a participant as theirs, and a reassigned role signs anew', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  await project.act(submitDeliverableUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'plan',
    deliverableId: 'runbook',
    text: 'v1',
  });
  await project.act(completeStageUpdate, { actor: { userId: 'pat' }, nodeId: 'plan' });
  await project.act(submitDeliverableUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'approval',
    deliverableId: 'charter',
    text: 'charter',
  });
  const go = (userId: string, onBehalfOf?: string) => ({
    actor: { userId },
    nodeId: 'approval',
    decision: 'go' as const,
    criteria,
    ...(onBehalfOf !== undefined && { onBehalfOf }),
  });

  // Olga signs for omar; omar's own vote is then the same signature, refused.
  await project.act(signoffUpdate, go('olga', 'omar'));
  expect(await project.refused(signoffUpdate, go('omar'))).toMatchObject({
    code: 'already_signed',
  });
  // The PMO gives pat's part to paula, who signs as pm; pat no longer may.
  await project.act(reassignUpdate, {
    actor: { userId: PMO, pmo: true },
    role: 'pm',
    from: 'pat',
    to: 'paula',
    reason: 'pat left the programme',
  });
  expect(await project.refused(signoffUpdate, go('pat'))).toMatchObject({ code: 'not_signer' });
  await project.act(signoffUpdate, go('paula'));
  const passed = await project.act(signoffUpdate, go('olga'));
  expect(passed.current).toEqual(['hypercare']);
  const state = await project.state();
  expect(state.participants.pm).toEqual(['paula']);
  expect(state.nodes.approval!.votes.map((v) => [v.userId, v.by ?? null])).toEqual([
    ['omar', 'olga'],
    ['paula', null],
    ['olga', null],
  ]);
  await project.recordHistory('delegation-reassign');
});
