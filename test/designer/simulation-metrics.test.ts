/**
 * The simulation offers the new actions of issue 13: operations agree the metrics a gate waits
 * for, and a reviewer does the open KPI review, through the same interpreter.
 */
import { availableActions } from '../../designer/src/logic/sim-actions';
import {
  advanceBy,
  runSteps,
  startSimulation,
  type SimSession,
} from '../../designer/src/logic/simulation';
import type { Template } from '../../workflows/model';
import { miniTemplate } from '../fixtures/mini-template';
import { runAction } from './sim-run';

const template: Template = {
  ...miniTemplate,
  nodes: miniTemplate.nodes.map((n) =>
    n.id === 'approval'
      ? { ...n, metricsAgreed: true }
      : n.type === 'monitor'
        ? { ...n, reviewWithin: 'PT5S' }
        : n,
  ),
};

const ids = (session: SimSession) => availableActions(session).map((a) => a.id);

it('offers the agreement a gate waits for, then the open KPI review', () => {
  let s = startSimulation(template);
  expect(ids(s)).toContain('agree-metrics');
  s = runAction(s, 'deliver-plan-runbook');
  s = runAction(s, 'complete-plan');
  s = runAction(s, 'deliver-approval-charter');
  // The quorum's go is refused until operations agreed.
  const quorum = availableActions(s).find((a) => a.id === 'signoff-all-approval')!;
  expect(runSteps(s, quorum.steps).rejection?.code).toBe('metrics_not_agreed');
  s = runAction(s, 'agree-metrics');
  expect(ids(s)).not.toContain('agree-metrics');
  s = runAction(s, 'signoff-all-approval');
  s = runAction(s, 'signoff-all-hypercare');
  s = runAction(s, 'signoff-all-pir');
  expect(ids(s)).not.toContain('kpi-review-monitor');
  s = advanceBy(s, 'PT10S')!;
  s = runAction(s, 'kpi-review-monitor', { kpi: { metric: 'adoption', value: 90 } });
  const mon = s.machine.state.nodes.monitor!.monitor!;
  expect(mon.done![0]).toMatchObject({ status: 'done', decision: 'keep' });
  expect(mon.done![0]!.results[0]).toMatchObject({ metric: 'adoption', value: 90, met: true });
  expect(ids(s)).not.toContain('kpi-review-monitor');
});
