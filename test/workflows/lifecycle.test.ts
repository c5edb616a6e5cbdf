/**
 * The built-in template's whole lifecycle on a real Temporal server, from inception to retire,
 * and each gate decision: go, recycle, hold then resume, kill.
 */
import { listAudit } from '../../db';
import {
  raiseIssueUpdate,
  recordKpiUpdate,
  resolveIssueUpdate,
  resumeUpdate,
  retireUpdate,
  signoffUpdate,
  feedbackUpdate,
} from '../../workflows/messages';
import { shortTemplate } from '../fixtures/short-template';
import {
  BUILTIN_SIGNOFF_ORDER,
  builtinParticipants as people,
  completeStage,
  fullMarks,
  nodeOf,
  passGate,
} from './drive';
import { setupProjects, PMO, type Projects } from './harness';

const template = shortTemplate({ hypercare: 3, every: 2 });
let projects: Projects;

beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('runs a project from inception to retire with every sign-off on record', async () => {
  const project = await projects.start(template, people, { name: 'CRM rollout' });
  await passGate(project, template, 'inception', people);
  await completeStage(project, template, 'operationalization-plan', 'pat');
  await passGate(project, template, 'plan-approval', people);
  await completeStage(project, template, 'pilot', 'pat');
  await passGate(project, template, 'pilot-review', people);
  const handedOff = await passGate(project, template, 'handoff', people);
  expect(handedOff?.current).toEqual(['hypercare']);

  const issue = await project.act(raiseIssueUpdate, {
    actor: { userId: 'sue' },
    severity: 3,
    title: 'Label typo',
  });
  await project.act(resolveIssueUpdate, {
    actor: { userId: 'mona' },
    issueId: issue.id!,
    note: 'fixed',
  });
  await project.until((s) => s.nodes.hypercare?.hypercare?.phase === 'awaiting_exit');
  await passGate(project, template, 'hypercare', people);

  await project.act(recordKpiUpdate, {
    actor: { userId: 'mona' },
    metric: 'adoption-rate',
    value: 85,
  });
  await project.act(feedbackUpdate, {
    actor: { userId: 'sue' },
    kind: 'lesson',
    text: 'Involve support earlier',
  });
  await passGate(project, template, 'pir', people);
  await project.until((s) => (s.nodes['kpi-monitoring']?.monitor?.reviews ?? 0) >= 1);
  const retired = await project.act(retireUpdate, {
    actor: { userId: 'mona' },
    reason: 'steady state reached',
  });
  expect(retired.status).toBe('completed');

  const final = await project.handle.result();
  expect(final.status).toBe('completed');
  expect(final.current).toEqual(['completed']);
  for (const id of ['inception', 'plan-approval', 'pilot-review', 'handoff']) {
    expect(final.nodes[id]).toMatchObject({ status: 'done', outcome: 'go' });
  }
  expect(final.nodes.hypercare!.votes.map((v) => v.userId)).toEqual(['mona']);
  expect(final.feedback).toHaveLength(1);

  // The audit trail in the app database lists every decision in order.
  const audit = await waitForAudit(project.id, (entries) =>
    entries.some((e) => e.action === 'project.ended'),
  );
  const seqs = audit.map((e) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  const signoffs = audit.filter((e) => e.action === 'signoff').map((e) => `${e.nodeId}:${e.actor}`);
  expect(signoffs).toEqual(BUILTIN_SIGNOFF_ORDER);
  await project.recordHistory('full-lifecycle');
});

it('recycles plan approval back to the plan stage and votes afresh', async () => {
  const project = await projects.start(template, people);
  await passGate(project, template, 'inception', people);
  await completeStage(project, template, 'operationalization-plan', 'pat');
  const node = nodeOf(template, 'plan-approval');
  await project.act(signoffUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'plan-approval',
    decision: 'go',
    criteria: fullMarks(node),
  });
  const recycled = await project.act(signoffUpdate, {
    actor: { userId: 'mona' },
    nodeId: 'plan-approval',
    decision: 'recycle',
    comment: 'support model too thin',
  });
  expect(recycled.current).toEqual(['operationalization-plan']);
  await completeStage(project, template, 'operationalization-plan', 'pat');
  const state = await project.state();
  expect(state.nodes['plan-approval']).toMatchObject({ visits: 2, votes: [], status: 'active' });
  await passGate(project, template, 'plan-approval', people);
  expect((await project.state()).current).toEqual(['pilot']);
  await project.recordHistory('recycle');
});

it('holds the inception gate until the PMO resumes it with a fresh vote', async () => {
  const project = await projects.start(template, people);
  await project.act(signoffUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'inception',
    decision: 'hold',
    comment: 'budget freeze',
  });
  expect((await project.state()).status).toBe('on_hold');
  const refused = await project.refused(signoffUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'inception',
    decision: 'go',
    criteria: fullMarks(nodeOf(template, 'inception')),
  });
  expect(refused.code).toBe('on_hold');
  await project.act(resumeUpdate, { actor: { userId: PMO, pmo: true }, reason: 'budget released' });
  const resumed = await project.state();
  expect(resumed).toMatchObject({ status: 'active', current: ['inception'] });
  expect(resumed.nodes.inception).toMatchObject({ visits: 2, votes: [] });
  await passGate(project, template, 'inception', people);
  expect((await project.state()).current).toEqual(['operationalization-plan']);
  await project.recordHistory('hold-resume');
});

it('kills the project at inception and ends the workflow', async () => {
  const project = await projects.start(template, people);
  await project.act(signoffUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'inception',
    decision: 'kill',
    comment: 'no business case',
  });
  const final = await project.handle.result();
  expect(final).toMatchObject({ status: 'killed', current: ['killed'] });
  await project.recordHistory('kill');
});

async function waitForAudit(
  projectId: string,
  done: (e: Awaited<ReturnType<typeof listAudit>>) => boolean,
) {
  for (let i = 0; i < 100; i++) {
    const entries = await listAudit(projects.db, projectId);
    if (done(entries)) return entries;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('audit trail incomplete');
}
