/**
 * A project starts at the time its input carries (the API's, patch "input-start-time") on a
 * real server: its state, its first record and its start node say that time, not the
 * workflow's clock a moment later. An input without a time starts at the workflow's clock,
 * with no marker, as every project did before.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { getProjectState } from '../../db';
import { INPUT_START_TIME } from '../../workflows/lifecycle';
import { cancelUpdate, submitDeliverableUpdate } from '../../workflows/messages';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { patchesOf, PMO, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('starts at the time its input carries, in its state and its record; else at its clock', async () => {
  // A minute ago: far from the workflow's clock, whatever the machine's load.
  const startedAt = Date.now() - 60_000;
  const project = await projects.start(miniTemplate, miniParticipants, { startedAt });
  const state = await project.state();
  expect(state).toMatchObject({ startedAt, updatedAt: startedAt });
  expect(state.nodes.plan?.enteredAt).toBe(startedAt);
  expect(state.timeline[0]).toMatchObject({ action: 'project.started', at: startedAt });
  expect(await patchesOf(project)).toContain(INPUT_START_TIME);
  await project.act(submitDeliverableUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'plan',
    deliverableId: 'runbook',
    text: 'v1',
  });
  // The record write of the submission (it follows the Update's answer).
  const { seq } = await project.state();
  let recorded = await getProjectState(projects.db, project.id);
  for (let i = 0; i < 100 && recorded?.seq !== seq; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    recorded = await getProjectState(projects.db, project.id);
  }
  expect(recorded).toMatchObject({ seq, startedAt });
  expect(recorded?.updatedAt).toBeGreaterThan(startedAt + 30_000);
  await project.act(cancelUpdate, { actor: { userId: PMO, pmo: true }, reason: 'test over' });
  expect((await project.handle.result()).startedAt).toBe(startedAt);
  await project.recordHistory('input-start-time');

  // Without a time in its input: at the workflow's clock (the dev server's is this machine's).
  const before = Date.now();
  const own = await projects.start(miniTemplate, miniParticipants);
  const ownState = await own.state();
  expect(ownState.startedAt).toBeGreaterThanOrEqual(before - 1_000);
  expect(ownState.updatedAt).toBe(ownState.startedAt);
  expect(await patchesOf(own)).not.toContain(INPUT_START_TIME);
});

it('fails at once when its input carries a start time that is no instant', async () => {
  const project = await projects.start(miniTemplate, miniParticipants, { startedAt: 1.5 });
  const failure = await project.handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(
    /^cannot start.*startedAt/,
  );
});
