/**
 * The simulation covers the delivery measures (issue 13, items 1 and 7) on the built-in
 * template: the PM commits to a target date and a budget while the metrics are open, records
 * what was actually spent, and the standing says whether the handover came on time and within
 * budget, as the project view and the PIR do; once the PIR is signed the cost is final.
 */
import { availableActions } from '../../designer/src/logic/sim-actions';
import { simDelivery } from '../../designer/src/logic/sim-delivery';
import { startSimulation, type SimSession } from '../../designer/src/logic/simulation';
import { opsIntegratedDelivery } from '../../workflows/model';
import { runAction, walkTo } from './sim-run';

const ids = (session: SimSession) => availableActions(session).map((a) => a.id);
const actor = (session: SimSession, id: string) =>
  availableActions(session).find((a) => a.id === id)?.steps[0]?.actor;

it('commits to a date and a budget, records the cost, and compares both with the handover', () => {
  let session = startSimulation(opsIntegratedDelivery);
  // The day before the simulation starts: any handover comes late.
  const targetDate = new Date(session.now - 86_400_000).toISOString().slice(0, 10);
  expect(actor(session, 'set-delivery')).toBe('pm-1');
  session = runAction(session, 'set-delivery', {
    delivery: { targetDate, budget: 200_000, currency: 'EUR' },
  });
  expect(session.machine.state.metrics?.delivery).toEqual({
    targetDate,
    budget: 200_000,
    currency: 'EUR',
  });
  expect(simDelivery(session)).toMatchObject({ schedule: 'overdue', budget: 200_000 });

  // Once the inception gate passed the metrics are locked: no more commitments.
  session = walkTo(session, 'hypercare');
  expect(ids(session)).not.toContain('set-delivery');
  const handedOver = simDelivery(session);
  expect(handedOver).toMatchObject({ schedule: 'late', handover: { nodeId: 'handoff' } });
  expect(handedOver.daysLate).toBeGreaterThanOrEqual(1);

  // The PM (the cost recorder) records 230,000 in the budget's currency: 15 % over.
  expect(actor(session, 'record-cost')).toBe('pm-1');
  session = runAction(session, 'record-cost', { delivery: { spent: 230_000 } });
  expect(session.machine.state.actualCost).toMatchObject({ spent: 230_000, currency: 'EUR' });
  expect(simDelivery(session)).toMatchObject({ cost: 'over', costFinal: false });
  expect(simDelivery(session).variance).toBeCloseTo(0.15);
});

it('offers the cost until the PIR is signed, and never the measures after inception', () => {
  let session = walkTo(startSimulation(opsIntegratedDelivery), 'pir');
  // No budget was set: the cost names its own currency.
  session = runAction(session, 'record-cost', { delivery: { spent: 90_000, currency: 'GBP' } });
  expect(session.machine.state.actualCost).toMatchObject({ spent: 90_000, currency: 'GBP' });
  expect(simDelivery(session)).toMatchObject({ spent: 90_000, currency: 'GBP' });
  session = walkTo(session, 'kpi-monitoring');
  expect(simDelivery(session).costFinal).toBe(true);
  expect(ids(session)).not.toContain('record-cost');
  expect(ids(session)).not.toContain('set-delivery');
});
