/**
 * Actual delivery against the project's delivery measures (issue 13 items 1 and 3) on the pure
 * interpreter: the handover node's pass is the delivery date (the template's choice, by
 * default the node entering hypercare), the cost recorders (or the PMO) record the actual cost
 * in the budget's currency until the PIR is signed off, and the standing compares both.
 */
import { Simulator, type SimCommand } from '../../workflows/lifecycle/simulation';
import {
  costRecorderRoles,
  deliveryStanding,
  handoverNode,
  opsIntegratedDelivery,
  validateTemplate,
  type Template,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';
import { passApproval, toApproval } from './in-hypercare';

const DAY = 24 * 3600 * 1000;
/** Monday 5 January 2026, 09:00 UTC. */
const START = Date.UTC(2026, 0, 5, 9);
const code = (d: ReturnType<Simulator['act']>) => (d.ok ? undefined : d.rejection.code);

function project(template: Template = miniTemplate): Simulator {
  return new Simulator(template, { participants: miniParticipants, ...unitProject, now: START });
}

/** Sets a target date and a budget; in 2026-01-07 at the latest, 100 000 EUR. */
function measured(sim: Simulator, targetDate = '2026-01-07'): void {
  sim.must('pat', {
    type: 'setMetrics',
    delivery: { targetDate, budget: 100_000, currency: 'EUR' },
  });
}

/** The plan stage done and the approval gate passed: the mini template's handover. */
function handOver(sim: Simulator): void {
  toApproval(sim);
  passApproval(sim);
}

/** Hypercare accepted early, then the PIR signed off. */
function signPir(sim: Simulator): void {
  sim.must('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
  for (const user of ['sam', 'olga']) {
    sim.must(user, { type: 'signoff', nodeId: 'pir', decision: 'go' });
  }
}

const cost = (spent: number, extra: Partial<Extract<SimCommand, { type: 'recordCost' }>> = {}) =>
  ({ type: 'recordCost', spent, ...extra }) as const;

describe('the handover node', () => {
  it('defaults to the node entering hypercare; the template may name another', () => {
    expect(handoverNode(miniTemplate)?.id).toBe('approval');
    expect(handoverNode(opsIntegratedDelivery)?.id).toBe('handoff');
    expect(handoverNode({ ...miniTemplate, delivery: { handover: 'pir' } })?.id).toBe('pir');
    const noHypercare: Template = {
      ...miniTemplate,
      nodes: miniTemplate.nodes.filter((n) => n.type !== 'hypercare'),
    };
    expect(handoverNode(noHypercare)).toBeUndefined();
  });

  it('is validated: it must exist and be passable; cost recorders must be roles', () => {
    expect(validateTemplate(miniTemplate).errors).toEqual([]);
    const bad = (delivery: Template['delivery']) =>
      validateTemplate({ ...miniTemplate, delivery }).errors.map((e) => [e.path.join('.'), e.code]);
    expect(bad({ handover: 'ghost' })).toEqual([['delivery.handover', 'unknown_node']]);
    expect(bad({ handover: 'done' })).toEqual([['delivery.handover', 'outcome_not_produced']]);
    expect(bad({ costBy: ['pm', 'cfo'] })).toEqual([['delivery.costBy.1', 'unknown_role']]);
    expect(bad({ handover: 'hypercare', costBy: ['steering'] })).toEqual([]);
  });

  it('passing it delivers the project: late against the target date by whole UTC days', () => {
    const sim = project();
    measured(sim);
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toEqual({
      handover: { nodeId: 'approval', name: 'Plan approval' },
      targetDate: '2026-01-07',
      schedule: 'due',
      budget: 100_000,
      currency: 'EUR',
      costFinal: false,
    });
    sim.advance(2 * DAY); // 7 January: the target day itself is not late yet.
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now).schedule).toBe('due');
    sim.advance(2 * DAY); // 9 January, not delivered: overdue by 2 days.
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      schedule: 'overdue',
      daysLate: 2,
    });
    handOver(sim);
    const delivered = sim.now;
    sim.advance(30 * DAY);
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      deliveredAt: delivered,
      schedule: 'late',
      daysLate: 2,
    });
  });

  it('on or before the target date is on time', () => {
    const sim = project();
    measured(sim, '2026-01-05');
    handOver(sim);
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      schedule: 'on_time',
      daysLate: 0,
    });
    const early = project();
    measured(early, '2026-02-01');
    handOver(early);
    expect(deliveryStanding(early.machine.template, early.state, early.now)).toMatchObject({
      schedule: 'on_time',
      daysLate: -27,
    });
  });

  it('a template without a handover node is delivered when it completes', () => {
    const t: Template = {
      ...miniTemplate,
      start: 'plan',
      nodes: [
        miniTemplate.nodes.find((n) => n.id === 'plan')!,
        miniTemplate.nodes.find((n) => n.id === 'done')!,
      ],
      edges: [{ from: 'plan', to: 'done', on: 'done' }],
    };
    expect(validateTemplate(t).errors).toEqual([]);
    const sim = project(t);
    expect(deliveryStanding(t, sim.state, sim.now).deliveredAt).toBeUndefined();
    sim.must('pat', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'r' });
    sim.must('pat', { type: 'complete', nodeId: 'plan' });
    expect(sim.state.status).toBe('completed');
    expect(deliveryStanding(t, sim.state, sim.now).deliveredAt).toBe(sim.now);
  });
});

describe('the actual cost', () => {
  it('the start node’s owner and the PMO record it; spent against budget, audited', () => {
    const sim = project();
    expect(costRecorderRoles(miniTemplate)).toEqual(['pm']);
    measured(sim);
    sim.must('pat', cost(60_000, { comment: 'Invoices to March' }));
    expect(sim.state.actualCost).toEqual({ spent: 60_000, currency: 'EUR', at: START, by: 'pat' });
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      spent: 60_000,
      cost: 'within',
      variance: -0.4,
    });
    // The PMO need not take part; the recorded cost replaces the one before.
    sim.must('pmo-1', cost(112_500, { currency: 'EUR' }), true);
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      spent: 112_500,
      cost: 'over',
      variance: 0.125,
    });
    const audits = sim.audits.filter((a) => a.action === 'delivery.cost-recorded');
    expect(audits.map((a) => [a.actor, a.reason, a.detail])).toEqual([
      ['pat', 'Invoices to March', { spent: 60_000, currency: 'EUR' }],
      ['pmo-1', undefined, { spent: 112_500, currency: 'EUR', previous: 60_000 }],
    ]);
  });

  it.each([
    ['an operations participant', 'olga', cost(1, { currency: 'EUR' }), 'not_allowed', undefined],
    ['a stranger', 'stranger', cost(1, { currency: 'EUR' }), 'not_participant', undefined],
    [
      'another currency than the budget’s',
      'pat',
      cost(1, { currency: 'USD' }),
      'invalid_input',
      ['currency'],
    ],
  ] as const)('is refused for %s, changing nothing', (_what, user, command, rejection, path) => {
    const sim = project();
    measured(sim);
    const before = JSON.stringify(sim.machine);
    expect(sim.act(user, command)).toMatchObject({
      ok: false,
      rejection: { code: rejection, ...(path && { path }) },
    });
    expect(JSON.stringify(sim.machine)).toBe(before);
  });

  it('needs a currency while no budget names one; the budget then keeps to it', () => {
    const sim = project();
    expect(sim.act('pat', cost(10))).toMatchObject({
      ok: false,
      rejection: { code: 'invalid_input', path: ['currency'] },
    });
    sim.must('pat', cost(10, { currency: 'CHF' }));
    expect(
      sim.act('pat', { type: 'setMetrics', delivery: { budget: 50, currency: 'EUR' } }),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'invalid_input', path: ['delivery', 'currency'] },
    });
    sim.must('pat', { type: 'setMetrics', delivery: { budget: 50, currency: 'CHF' } });
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      currency: 'CHF',
      cost: 'within',
    });
  });

  it('is fixed once the PIR is signed off (409), also for the PMO', () => {
    const sim = project();
    measured(sim);
    handOver(sim);
    sim.must('pat', cost(90_000));
    signPir(sim);
    expect(sim.state.current).toEqual(['monitor']);
    expect(code(sim.act('pat', cost(95_000)))).toBe('cost_locked');
    expect(code(sim.act('pmo-1', cost(95_000), true))).toBe('cost_locked');
    expect(deliveryStanding(sim.machine.template, sim.state, sim.now)).toMatchObject({
      spent: 90_000,
      costFinal: true,
    });
  });

  it('a template names its own cost recorders', () => {
    const t: Template = { ...miniTemplate, delivery: { costBy: ['steering'] } };
    const sim = project(t);
    expect(code(sim.act('pat', cost(5, { currency: 'EUR' })))).toBe('not_allowed');
    sim.must('sam', cost(5, { currency: 'EUR' }));
  });
});
