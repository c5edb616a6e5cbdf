/**
 * Sign-off rules on a real server: quorum of distinct ops users, every refusal reason of
 * SPEC §3 returned to the caller and absent from the history, idempotency keys.
 */
import type { temporal } from '@temporalio/proto';
import {
  completeStageUpdate,
  feedbackUpdate,
  signoffUpdate,
  submitDeliverableUpdate,
} from '../../workflows/messages';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { setupProjects, type Project, type Projects } from './harness';

const criteria = { 'support-ready': true, training: 8, comms: 6 };
let projects: Projects;

beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

async function atApproval(): Promise<Project> {
  const project = await projects.start(miniTemplate, miniParticipants);
  await project.act(submitDeliverableUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'plan',
    deliverableId: 'runbook',
    text: 'v1',
  });
  await project.act(completeStageUpdate, { actor: { userId: 'pat' }, nodeId: 'plan' });
  return project;
}

function acceptedUpdates(events: temporal.api.history.v1.IHistoryEvent[]): string[] {
  return events
    .filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes)
    .map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name!);
}

it('needs two distinct ops users besides the PM, and refuses every broken rule without a trace', async () => {
  const project = await atApproval();
  const go = (userId: string, extra: object = {}) => ({
    actor: { userId },
    nodeId: 'approval',
    decision: 'go' as const,
    criteria,
    ...extra,
  });

  expect(await project.refused(signoffUpdate, go('pat'))).toMatchObject({
    code: 'missing_deliverable',
  });
  await project.act(submitDeliverableUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'approval',
    deliverableId: 'charter',
    url: 'https://x/charter',
  });
  expect(await project.refused(signoffUpdate, go('stranger'))).toMatchObject({
    code: 'not_signer',
  });
  expect(await project.refused(signoffUpdate, go('sam'))).toMatchObject({ code: 'not_signer' });
  expect(await project.refused(signoffUpdate, { ...go('pat'), nodeId: 'plan' })).toMatchObject({
    code: 'not_active',
  });
  expect(
    await project.refused(signoffUpdate, go('pat', { criteria: { training: 9, comms: 9 } })),
  ).toMatchObject({
    code: 'unmet_criterion',
    path: ['criteria', 'support-ready'],
  });
  expect(
    await project.refused(
      signoffUpdate,
      go('pat', { criteria: { 'support-ready': true, training: 1, comms: 1 } }),
    ),
  ).toMatchObject({
    code: 'score_below_pass',
  });
  expect(
    await project.refused(signoffUpdate, { ...go('pat'), decision: 'maybe' } as never),
  ).toMatchObject({
    code: 'invalid_input',
    path: ['decision'],
  });

  await project.act(signoffUpdate, go('pat'));
  expect(await project.refused(signoffUpdate, go('pat'))).toMatchObject({ code: 'already_signed' });
  await project.act(signoffUpdate, go('olga'));
  expect((await project.state()).current).toEqual(['approval']);
  const passed = await project.act(signoffUpdate, go('omar'));
  expect(passed.current).toEqual(['hypercare']);

  const events = (await project.handle.fetchHistory()).events ?? [];
  expect(acceptedUpdates(events)).toEqual([
    'submitDeliverable',
    'completeStage',
    'submitDeliverable',
    'signoff',
    'signoff',
    'signoff',
  ]);
  await project.recordHistory('quorum-and-refusals');
});

it('replays the first result for a repeated key, scoped to caller, action and target', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  const body = {
    actor: { userId: 'olga' },
    kind: 'feedback' as const,
    text: 'Ops joined the kick-off',
    idempotencyKey: 'fb-1',
  };
  const first = await project.act(feedbackUpdate, body);
  const again = await project.act(feedbackUpdate, body);
  expect(again).toEqual({ ...first, replayed: true });
  expect((await project.state()).feedback).toHaveLength(1);
  // The same key with another body is refused; another caller's same key is their own.
  expect(await project.refused(feedbackUpdate, { ...body, text: 'Changed my mind' })).toMatchObject(
    { code: 'idempotency_key_reused', path: ['idempotencyKey'] },
  );
  const other = await project.act(feedbackUpdate, { ...body, actor: { userId: 'pat' } });
  expect(other).toMatchObject({ id: 'feedback-2' });
  expect(other.replayed).toBeUndefined();
});
