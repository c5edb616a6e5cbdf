/**
 * The over-budget alert (workflows/lifecycle/budget.ts) on the pure interpreter: once per
 * crossing of the budget, by a recorded cost or a lowered budget, to the cost recorders and the
 * PMO (the actor aside); nothing while it stays over, again after it came back within; and
 * nothing at all when deciding as before patch "over-budget-alert".
 */
import { commandOf, decide } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { costStanding, INPUT_REVISION, type Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

const START = Date.UTC(2026, 0, 5, 9);
const PMO = unitProject.startedBy;

function project(template: Template = miniTemplate): Simulator {
  const sim = new Simulator(template, {
    participants: miniParticipants,
    ...unitProject,
    now: START,
  });
  sim.must('pat', { type: 'setMetrics', delivery: { budget: 100_000, currency: 'EUR' } });
  return sim;
}

const alerts = (sim: Simulator) =>
  sim.notifications
    .filter((n) => n.kind === 'budget-alert')
    .map((n) => ({ to: [...n.recipients].sort(), text: n.text }));
const budgetAudits = (sim: Simulator) =>
  sim.audits.filter((a) => a.action.endsWith('-budget')).map((a) => [a.action, a.actor]);

it('alerts the cost recorders and the PMO once when a cost takes the project over', () => {
  const sim = project();
  sim.must('pat', { type: 'recordCost', spent: 100_000 }); // on budget: within
  expect(alerts(sim)).toEqual([]);
  sim.must('pat', { type: 'recordCost', spent: 100_000.5 });
  expect(costStanding(sim.state)).toBe('over');
  expect(alerts(sim)).toEqual([
    {
      to: [PMO],
      text: expect.stringContaining('100,000.5 EUR, is over the budget of 100,000 EUR since pat'),
    },
  ]);
  sim.must('pat', { type: 'recordCost', spent: 130_000 });
  sim.must(PMO, { type: 'recordCost', spent: 140_000 }, true);
  expect(alerts(sim)).toHaveLength(1);
  expect(budgetAudits(sim)).toEqual([['delivery.over-budget', 'pat']]);
  expect(sim.state.overBudgetAlertedAt).toBe(START);
});

it('alerts again after the cost came back within, and on a lowered budget', () => {
  const sim = project();
  sim.must(PMO, { type: 'recordCost', spent: 120_000 }, true);
  sim.must('pat', { type: 'recordCost', spent: 90_000 }); // corrected: within again
  expect(sim.state.overBudgetAlertedAt).toBeUndefined();
  sim.must('olga', { type: 'setMetrics', delivery: { budget: 80_000, currency: 'EUR' } });
  expect(alerts(sim)).toEqual([
    { to: ['pat'], text: expect.stringContaining('since pmo-1 recorded the cost') },
    { to: ['pat', PMO].sort(), text: expect.stringContaining('since olga set the budget') },
  ]);
  expect(budgetAudits(sim)).toEqual([
    ['delivery.over-budget', PMO],
    ['delivery.within-budget', 'pat'],
    ['delivery.over-budget', 'olga'],
  ]);
  // Dropping the budget re-arms the alert without saying "within"; setting it again alerts.
  sim.must('olga', { type: 'setMetrics', delivery: { targetDate: '2026-03-01' } });
  expect(sim.state.overBudgetAlertedAt).toBeUndefined();
  sim.must('olga', { type: 'setMetrics', delivery: { budget: 80_000, currency: 'EUR' } });
  expect(alerts(sim)).toHaveLength(3);
  expect(budgetAudits(sim)).toHaveLength(4);
});

it("reaches the template's cost recorders (delivery.costBy), each once", () => {
  const sim = project({ ...miniTemplate, delivery: { costBy: ['pm', 'steering'] } });
  sim.must('sam', { type: 'recordCost', spent: 100_500 });
  expect(alerts(sim).map((a) => a.to)).toEqual([['pat', PMO].sort()]);
});

it('decides as before the patch when asked to', () => {
  const sim = project();
  const now = START + 1000;
  const { command } = commandOf('recordCost', {
    actor: { userId: 'pat' },
    spent: 200_000,
    rev: INPUT_REVISION,
  });
  const decided = decide(sim.machine, command, now, { overBudgetAlert: false });
  expect(decided.ok).toBe(true);
  if (!decided.ok) return;
  expect(decided.effects.notifications).toEqual([]);
  expect(decided.effects.audits.map((a) => a.action)).toEqual(['delivery.cost-recorded']);
  expect(decided.machine.state.overBudgetAlertedAt).toBeUndefined();
});
