/**
 * Readiness you can see (issue 13 item 5) on a real server: the handoff gate of the built-in
 * refuses a go until its checklist is met, participants record it through the Update, the
 * record survives the pass, and the gate passes once every group, role and the support model
 * is ready.
 */
import { pendingActions } from '../../workflows/lifecycle';
import { recordReadinessUpdate, signoffUpdate } from '../../workflows/messages';
import {
  fullReadiness,
  opsIntegratedDelivery as builtin,
  type NodeOf,
} from '../../workflows/model';
import {
  builtinParticipants,
  completeStage,
  fullMarks,
  nodeOf,
  passGate,
  submitRequired,
} from './drive';
import { setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('the built-in handoff waits for readiness, recorded by its participants', async () => {
  const project = await projects.start(builtin, builtinParticipants);
  const p = builtinParticipants;
  await passGate(project, builtin, 'inception', p);
  await completeStage(project, builtin, 'operationalization-plan', 'pat');
  await passGate(project, builtin, 'plan-approval', p);
  await completeStage(project, builtin, 'pilot', 'pat');
  await passGate(project, builtin, 'pilot-review', p);
  await submitRequired(project, builtin, 'handoff', 'pat');
  const handoff = nodeOf(builtin, 'handoff') as NodeOf<'gate'>;
  const go = { nodeId: 'handoff', decision: 'go' as const, criteria: fullMarks(handoff) };

  const refused = await project.refused(signoffUpdate, { actor: { userId: 'pat' }, ...go });
  expect(refused).toMatchObject({ code: 'not_ready', path: ['decision'] });
  expect(refused.errors).toHaveLength(7);
  const inbox = (user: string) =>
    project
      .state()
      .then((s) => pendingActions(s, builtin, user).filter((a) => a.action === 'record-readiness'));
  expect((await inbox('pat')).map((a) => a.itemId)).toEqual([
    'adkar:frontline-users',
    'adkar:support-team',
    'adkar:operations',
    'training:frontline-users',
    'training:support-agents',
    'training:operations-staff',
  ]);
  expect((await inbox('sue')).map((a) => a.itemId)).toEqual(['supportModel']);

  const { supportModel, ...people } = fullReadiness(handoff, 40);
  await project.act(recordReadinessUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'handoff',
    ...people,
  });
  const notOps = await project.refused(recordReadinessUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'handoff',
    supportModel: supportModel!,
  });
  expect(notOps).toMatchObject({ code: 'not_allowed', path: ['supportModel'] });
  await project.act(recordReadinessUpdate, {
    actor: { userId: 'sue' },
    nodeId: 'handoff',
    supportModel: supportModel!,
    comment: 'rota and escalation path live',
  });
  expect(await inbox('pat')).toEqual([]);

  for (const [userId, role] of [
    ['pat', 'pm'],
    ['mona', 'ops-manager'],
    ['sue', 'support'],
  ] as const) {
    await project.act(signoffUpdate, { actor: { userId }, role, ...go });
  }
  const state = await project.state();
  expect(state.current).toEqual(['hypercare']);
  expect(state.nodes.handoff?.readiness).toMatchObject({
    adkar: { 'frontline-users': { stage: 'ability', by: 'pat' } },
    training: { 'support-agents': { trained: 40, total: 40, by: 'pat' } },
    supportModel: { inPlace: true, by: 'sue', role: 'support' },
  });
  const late = await project.refused(recordReadinessUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'handoff',
    adkar: { operations: 'reinforcement' },
  });
  expect(late).toMatchObject({ code: 'not_active' });
  await project.recordHistory('handoff-readiness');
});
