/**
 * Actual delivery against the delivery measures (issue 13 items 1 and 3) on a real server: the
 * PM and the PMO record the actual cost through the workflow's Update (refusals leave no
 * trace), the handover gate's pass dates the delivery, and the PIR's sign-off fixes the cost.
 * Recorded as the `delivery-cost` history.
 */
import { recordCostUpdate, setMetricsUpdate } from '../../workflows/messages';
import { deliveryStanding } from '../../workflows/model';
import { miniParticipants, miniTemplate as template } from '../fixtures/mini-template';
import { completeStage, passGate } from './drive';
import { PMO, setupProjects, type Projects } from './harness';

let projects: Projects;
beforeAll(async () => {
  projects = await setupProjects();
});
afterAll(async () => projects.stop());

it('records the actual cost until the PIR is signed off and dates the delivery at the handover', async () => {
  const project = await projects.start(template, miniParticipants);
  await project.act(setMetricsUpdate, {
    actor: { userId: 'pat' },
    delivery: { targetDate: '2020-01-31', budget: 100_000, currency: 'EUR' },
  });
  await project.act(recordCostUpdate, { actor: { userId: 'pat' }, spent: 40_000 });
  expect(
    await project.refused(recordCostUpdate, { actor: { userId: 'olga' }, spent: 1 }),
  ).toMatchObject({ code: 'not_allowed' });
  expect(
    await project.refused(recordCostUpdate, {
      actor: { userId: 'pat' },
      spent: 1,
      currency: 'USD',
    }),
  ).toMatchObject({ code: 'invalid_input', path: ['currency'] });

  await completeStage(project, template, 'plan', 'pat');
  await passGate(project, template, 'approval', miniParticipants);
  await project.act(recordCostUpdate, {
    actor: { userId: PMO, pmo: true },
    spent: 104_000,
    comment: 'final invoices',
  });
  await passGate(project, template, 'hypercare', miniParticipants);
  await passGate(project, template, 'pir', miniParticipants);
  expect(
    await project.refused(recordCostUpdate, { actor: { userId: 'pat' }, spent: 1 }),
  ).toMatchObject({ code: 'cost_locked' });

  const state = await project.state();
  expect(state.actualCost).toMatchObject({ spent: 104_000, currency: 'EUR', by: PMO });
  const passed = state.nodes.approval!.decisions.at(-1)!;
  expect(deliveryStanding(template, state, Date.now())).toMatchObject({
    handover: { nodeId: 'approval' },
    deliveredAt: passed.at,
    schedule: 'late',
    budget: 100_000,
    spent: 104_000,
    cost: 'over',
    variance: 0.04,
    costFinal: true,
  });
  await project.recordHistory('delivery-cost');
});
