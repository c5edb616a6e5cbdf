/**
 * Conditional Go, KPI monitoring across continue-as-new, and migration between template
 * versions, on a real server.
 */
import {
  migrateUpdate,
  recordKpiUpdate,
  retireUpdate,
  signoffUpdate,
  submitDeliverableUpdate,
} from '../../workflows/messages';
import { findKey, getProjectState } from '../../db';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { completeStage, passGate } from './drive';
import { setupProjects, PMO, type Projects } from './harness';
import { inboxOf } from './inbox';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

const criteria = { 'support-ready': true, training: 8, comms: 6 };
const fastMonitor: Template = {
  ...miniTemplate,
  nodes: miniTemplate.nodes.map((n) => (n.type === 'monitor' ? { ...n, every: 'PT2S' } : n)),
};

it('escalates a Conditional Go obligation that misses its due date', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  await completeStage(project, miniTemplate, 'plan', 'pat');
  await project.act(submitDeliverableUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'approval',
    deliverableId: 'charter',
    text: 'ok',
  });
  await project.act(signoffUpdate, {
    actor: { userId: 'pat' },
    nodeId: 'approval',
    decision: 'go',
    criteria,
    conditions: [{ text: 'Second support agent hired', due: 'PT2S', owner: 'ops' }],
  });
  await project.act(signoffUpdate, {
    actor: { userId: 'olga' },
    nodeId: 'approval',
    decision: 'go',
    criteria,
  });
  await project.act(signoffUpdate, {
    actor: { userId: 'omar' },
    nodeId: 'approval',
    decision: 'go',
    criteria,
  });
  const missed = await project.until((s) => s.conditions[0]?.status === 'missed', 15_000);
  expect(missed.conditions[0]).toMatchObject({
    text: 'Second support agent hired',
    owner: 'ops',
    escalated: true,
  });
  for (const user of ['pat', 'olga', PMO]) {
    const items = await inboxOf(projects.db, user, project.id, (i) =>
      i.some((x) => x.kind === 'condition-missed'),
    );
    expect(items.find((x) => x.kind === 'condition-missed')!.text).toContain(
      'Second support agent hired',
    );
  }
  await project.recordHistory('conditional-go-missed');
});

it('alerts on a KPI off target twice and keeps its state and idempotency keys across continue-as-new', async () => {
  const project = await projects.start(fastMonitor, miniParticipants, { reviewsPerRun: 2 });
  const { runId: firstRun } = await project.handle.describe();
  await completeStage(project, fastMonitor, 'plan', 'pat');
  await passGate(project, fastMonitor, 'approval', miniParticipants);
  await passGate(project, fastMonitor, 'hypercare', miniParticipants);
  await passGate(project, fastMonitor, 'pir', miniParticipants);
  const kpi = {
    actor: { userId: 'olga' },
    metric: 'adoption',
    value: 35,
    idempotencyKey: 'kpi-jan',
  };
  const recorded = await project.act(recordKpiUpdate, kpi);
  // The workflow holds the key; the read model keeps it in its own table, not in the stored
  // state (workflows/outbox.ts, recordedState).
  const scopes = Object.keys((await project.state()).keys);
  expect(scopes).toHaveLength(1);
  // The record write runs before the Update answers.
  const stored = await getProjectState(projects.db, project.id);
  expect(stored!.kpis).toHaveLength(1);
  expect(stored!.keys).toEqual({});
  expect(await findKey(projects.db, project.id, scopes[0]!, 0)).toMatchObject({
    result: { status: 'active' },
  });

  await inboxOf(
    projects.db,
    'sam',
    project.id,
    (items) => items.some((i) => i.kind === 'kpi-alert'),
    20_000,
  );
  const afterCan = await project.until(
    (s) => (s.nodes.monitor?.monitor?.reviews ?? 0) >= 3,
    20_000,
  );
  const { runId } = await project.handle.describe();
  expect(runId).not.toBe(firstRun);
  expect(afterCan.nodes.monitor!.monitor!.misses.adoption).toBeGreaterThanOrEqual(3);
  expect(afterCan.kpis).toHaveLength(1);
  expect(afterCan.nodes.approval).toMatchObject({ status: 'done', outcome: 'go' });

  // The key stored before continue-as-new still replays the first result.
  expect(await project.act(recordKpiUpdate, kpi)).toEqual({ ...recorded, replayed: true });
  expect((await project.state()).kpis).toHaveLength(1);

  await project.act(retireUpdate, { actor: { userId: 'omar' }, reason: 'handed to BAU' });
  expect(await project.handle.result()).toMatchObject({ status: 'completed' });
  await project.recordHistory('monitor-continued-run');
});

it('migrates to a compatible version and refuses one without the current node', async () => {
  const project = await projects.start(miniTemplate, miniParticipants);
  const v2 = { ...miniTemplate, description: 'v2: clearer wording' };
  const moved = await project.act(migrateUpdate, {
    actor: { userId: PMO, pmo: true },
    version: 2,
    template: v2,
  });
  expect(moved.current).toEqual(['plan']);
  expect((await project.state()).template).toEqual({ key: 'mini', version: 2 });

  const v3: Template = {
    ...miniTemplate,
    start: 'prepare',
    nodes: miniTemplate.nodes.map((n) => (n.id === 'plan' ? { ...n, id: 'prepare' } : n)),
    edges: miniTemplate.edges.map((e) => ({
      ...e,
      from: e.from === 'plan' ? 'prepare' : e.from,
      to: e.to === 'plan' ? 'prepare' : e.to,
    })),
  };
  const refused = await project.refused(migrateUpdate, {
    actor: { userId: PMO, pmo: true },
    version: 3,
    template: v3,
  });
  expect(refused.code).toBe('incompatible_version');
  expect(refused.message).toContain('"plan" does not exist in version 3');
  expect((await project.state()).template.version).toBe(2);
  await project.recordHistory('migration');
});
