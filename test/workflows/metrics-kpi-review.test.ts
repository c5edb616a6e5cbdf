/**
 * Co-created metrics and KPI reviews that are done (issue 13 items 1 and 4) on a real server:
 * the project's own target agreed by operations before its gate passes, then reviews opened by
 * the monitor's timer, done by a reviewer with a follow-up, missed when nobody does them, and
 * the review record and open-actions rows carried across continue-as-new.
 */
import { pendingActions } from '../../workflows/lifecycle';
import {
  agreeMetricsUpdate,
  kpiReviewUpdate,
  retireUpdate,
  setMetricsUpdate,
  signoffUpdate,
} from '../../workflows/messages';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { completeStage, passGate, submitRequired } from './drive';
import { setupProjects, type Project, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

/** The mini lifecycle: its gate waits for operations' agreement, reviews every 2 s, due in 30 s. */
const template: Template = {
  ...miniTemplate,
  metrics: miniTemplate.metrics!.map((m) =>
    m.key === 'adoption' ? { ...m, min: 0, max: 100 } : m,
  ),
  nodes: miniTemplate.nodes.map((n) =>
    n.type === 'monitor'
      ? { ...n, every: 'PT2S', reviewWithin: 'PT30S' }
      : n.id === 'approval'
        ? { ...n, metricsAgreed: true }
        : n,
  ),
};

/** What the inbox lists for `userId` (the workflow tests publish no template to the database). */
const openActions = async (project: Project, userId: string) =>
  pendingActions(await project.state(), template, userId);

it('agrees the project’s metrics, then has its KPI reviews done and missed across runs', async () => {
  const project = await projects.start(template, miniParticipants, { reviewsPerRun: 2 });
  const { runId: firstRun } = await project.handle.describe();
  await project.act(setMetricsUpdate, {
    actor: { userId: 'pat' },
    metrics: { adoption: { baseline: 20, target: 50 } },
    delivery: { targetDate: '2027-06-30' },
  });
  const outOfRange = await project.refused(setMetricsUpdate, {
    actor: { userId: 'pat' },
    metrics: { adoption: { target: 150 } },
  });
  expect(outOfRange).toMatchObject({
    code: 'out_of_range',
    path: ['metrics', 'adoption', 'target'],
  });
  await completeStage(project, template, 'plan', 'pat');
  await submitRequired(project, template, 'approval', 'pat');
  const early = await project.refused(signoffUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'approval',
    decision: 'go',
    criteria: { 'support-ready': true, training: 9, comms: 9 },
  });
  expect(early.code).toBe('metrics_not_agreed');
  await project.act(agreeMetricsUpdate, { actor: { userId: 'olga' }, comment: 'agreed' });
  await passGate(project, template, 'approval', miniParticipants);
  const locked = await project.refused(setMetricsUpdate, {
    actor: { userId: 'pat' },
    metrics: { adoption: { target: 60 } },
  });
  expect(locked.code).toBe('metrics_locked');
  await passGate(project, template, 'hypercare', miniParticipants);
  await passGate(project, template, 'pir', miniParticipants);

  // The first review opens after a period: the reviewers' to do, not the pm's.
  await project.until((s) => s.nodes.monitor?.monitor?.open !== undefined, 15_000);
  const waiting = async () =>
    (await openActions(project, 'omar')).filter((a) => a.action === 'kpi-review');
  expect(await waiting()).toHaveLength(1);
  expect((await openActions(project, 'pat')).map((a) => a.action)).not.toContain('kpi-review');

  const done = await project.act(kpiReviewUpdate, {
    actor: { userId: 'omar' },
    nodeId: 'monitor',
    values: { adoption: 55 },
    decision: 'act',
    actions: [{ text: 'Refresh the adoption dashboard', due: 'PT60S', owner: 'pm' }],
  });
  const number = Number(done.id);
  // Nobody does the later reviews: each is closed as missed when the next period ends, and the
  // monitor continues as new after two reviews with its review records.
  const later = await project.until(
    (s) =>
      (s.nodes.monitor?.monitor?.done ?? []).some(
        (r) => r.status === 'missed' && r.number >= number + 1,
      ),
    20_000,
  );
  const { runId } = await project.handle.describe();
  expect(runId).not.toBe(firstRun);
  const records = later.nodes.monitor!.monitor!.done!;
  expect(records.find((r) => r.number === number)).toMatchObject({
    status: 'done',
    by: 'omar',
    decision: 'act',
    // The project's own target (50), not the template's (80).
    results: [
      { metric: 'adoption', value: 55, target: 50, met: true },
      { metric: 'tickets', target: 20, met: false },
    ],
  });
  // The review's values were the reviewed period's: the next period had none, a miss.
  expect(records.find((r) => r.number === number + 1)!.results[0]).toEqual({
    metric: 'adoption',
    target: 50,
    met: false,
  });
  expect(later.conditions).toEqual([
    expect.objectContaining({ id: `monitor-review-${number}-1`, owner: 'pm', status: 'open' }),
  ]);
  expect((await openActions(project, 'pat')).map((a) => a.action)).toContain('meet-condition');

  await project.act(retireUpdate, { actor: { userId: 'olga' }, reason: 'steady state' });
  expect(await project.handle.result()).toMatchObject({ status: 'completed' });
  await project.recordHistory('metrics-kpi-review');
});
