/**
 * The workflow's own guard (issue 8), on a real server: its Update validators refuse what the
 * API refuses (text no store can hold, a cap exceeded) and leave no trace in the history; a
 * start whose participants could never move the project fails at once; an Update from an
 * older API (no `rev`) is read with the meaning it had (severity 3 was critical).
 */
import type { temporal } from '@temporalio/proto';
import { WorkflowFailedError } from '@temporalio/client';
import {
  conditionMetUpdate,
  feedbackUpdate,
  PROJECT_WORKFLOW,
  projectWorkflowId,
  raiseIssueUpdate,
  resolveIssueUpdate,
  signoffUpdate,
} from '../../workflows/messages';
import type { projectLifecycle } from '../../workflows';
import { INPUT_REVISION, LIMITS } from '../../workflows/model';
import { hypercareTemplate } from '../fixtures/trust-templates';
import { connectTestTemporal, uniqueId } from '../support/temporal';
import { PMO, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

const people = { pm: ['pat'], ops: ['olga', 'omar'] };

function accepted(events: temporal.api.history.v1.IHistoryEvent[]): number {
  return events.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}

it('refuses unstorable text and caps in its validators, leaving no trace', async () => {
  const project = await projects.start(hypercareTemplate(), people);
  const feedback = (text: string) => ({
    actor: { userId: 'olga' },
    kind: 'feedback' as const,
    text,
  });
  expect(await project.refused(feedbackUpdate, feedback('a\u0000b'))).toMatchObject({
    code: 'invalid_input',
    path: ['text'],
    message: expect.stringContaining('NUL'),
  });
  expect(await project.refused(feedbackUpdate, feedback('\ud800'))).toMatchObject({
    code: 'invalid_input',
    path: ['text'],
  });
  expect(
    await project.refused(feedbackUpdate, feedback('x'.repeat(LIMITS.feedbackText + 1))),
  ).toMatchObject({
    code: 'invalid_input',
    path: ['text'],
    message: `at most ${LIMITS.feedbackText} characters`,
  });
  expect(
    await project.refused(raiseIssueUpdate, {
      actor: { userId: 'olga' },
      severity: 1,
      title: 'a\u001bb',
    }),
  ).toMatchObject({ code: 'invalid_input', path: ['title'] });
  expect(accepted((await project.handle.fetchHistory()).events ?? [])).toBe(0);
  // Normalised as the API would: the stored text is NFC.
  await project.act(feedbackUpdate, feedback('Cafe\u0301'));
  expect((await project.state()).feedback[0]).toMatchObject({ textRef: { length: 4 } });
});

it('fails at once when the participants could never move the project', async () => {
  const { client } = await connectTestTemporal();
  const id = uniqueId('p');
  const handle = await client.workflow.start<typeof projectLifecycle>(PROJECT_WORKFLOW, {
    taskQueue: projects.taskQueue,
    workflowId: projectWorkflowId(id),
    args: [
      {
        projectId: id,
        name: 'Understaffed',
        template: hypercareTemplate(),
        version: 1,
        // One user for both roles the PIR needs.
        participants: { pm: ['pat'], ops: ['pat'] },
        startedBy: PMO,
        rev: INPUT_REVISION,
      },
    ],
  });
  const failure = await handle.result().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(/distinct signers/);
});

it('reads an Update of an older API (no rev) with its meaning then: severity 3 was critical', async () => {
  const project = await projects.start(hypercareTemplate(), people);
  // Sent directly, without `rev`, as an API from before the change would.
  await project.handle.executeUpdate(raiseIssueUpdate, {
    args: [{ actor: { userId: 'olga' }, severity: 3, title: 'Outage (old scale: critical)' }],
  });
  const state = await project.state();
  expect(state.issues[0]).toMatchObject({ severity: 1 });
  expect(
    await project.refused(signoffUpdate, {
      actor: { userId: 'olga' },
      nodeId: 'hypercare',
      decision: 'go',
    }),
  ).toMatchObject({ code: 'blocking_issues_open' });
});

it('tracks conditions of every go, answers repeated keys and records long texts in parts', async () => {
  const project = await projects.start(hypercareTemplate(), people);
  const long = '🧪'.repeat(LIMITS.comment);
  const keyed = {
    actor: { userId: 'olga' },
    kind: 'lesson' as const,
    text: long,
    idempotencyKey: 'lesson-1',
  };
  const first = await project.act(feedbackUpdate, keyed);
  expect(await project.act(feedbackUpdate, keyed)).toEqual({ ...first, replayed: true });
  const issue = await project.act(raiseIssueUpdate, {
    actor: { userId: 'olga' },
    severity: 2,
    title: 'Exports are slow',
  });
  await project.act(resolveIssueUpdate, {
    actor: { userId: 'omar' },
    issueId: issue.id!,
    note: long,
  });
  const condition = (text: string, owner: string) => ({ text, due: 'PT1H', owner });
  await project.act(signoffUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'hypercare',
    decision: 'go',
    comment: long,
    conditions: [condition('Runbook reviewed after a month', 'ops')],
  });
  await project.act(signoffUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'pir',
    decision: 'go',
    conditions: [condition('Benefits measured again in Q3', 'pm')],
  });
  const state = await project.state();
  expect(state.conditions.map((c) => c.nodeId)).toEqual(['hypercare']);
  await project.act(conditionMetUpdate, {
    actor: { userId: 'omar' },
    conditionId: state.conditions[0]!.id,
    note: 'reviewed',
  });
  const done = await project.act(signoffUpdate, {
    actor: { userId: 'omar' },
    nodeId: 'pir',
    decision: 'go',
  });
  expect(done.status).toBe('completed');
  const final = await project.handle.result();
  expect(final.conditions.map((c) => [c.nodeId, c.owner, c.status])).toEqual([
    ['hypercare', 'ops', 'met'],
    ['pir', 'pm', 'missed'],
  ]);
  await project.recordHistory('conditions-keys-texts');
});
