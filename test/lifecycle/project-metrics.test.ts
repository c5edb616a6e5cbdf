/**
 * Co-created metrics (issue 13 item 1): participants set the project's own baselines and targets
 * within the template's range until the first gate passes, operations agree them, a gate may
 * wait for that agreement, and the monitor and the PIR read the project's values.
 */
import { nextActions, pendingActions, plannedVsActual } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import {
  checkParticipants,
  gateMetrics,
  metricsGate,
  validateTemplate,
  type Template,
} from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';
import { approvalGo, passApproval, toApproval } from './in-hypercare';

const S = 1000;

/** The mini lifecycle whose adoption target may lie within 50..95 and whose gate waits for ops. */
const agreedTemplate: Template = {
  ...miniTemplate,
  metrics: miniTemplate.metrics!.map((m) => (m.key === 'adoption' ? { ...m, min: 0, max: 95 } : m)),
  nodes: miniTemplate.nodes.map((n) => (n.id === 'approval' ? { ...n, metricsAgreed: true } : n)),
};

function project(template: Template = agreedTemplate): Simulator {
  return new Simulator(template, { participants: miniParticipants, ...unitProject });
}

describe('co-created metrics', () => {
  it('a participant sets baselines, targets and delivery measures, audited', () => {
    const sim = project();
    sim.must('pat', {
      type: 'setMetrics',
      metrics: { adoption: { baseline: 20, target: 90 } },
      delivery: { targetDate: '2026-09-30', budget: 250_000, currency: 'EUR' },
    });
    sim.must('olga', { type: 'setMetrics', metrics: { tickets: { target: 15 } } });
    expect(sim.state.metrics).toMatchObject({
      values: { adoption: { baseline: 20, target: 90 }, tickets: { target: 15 } },
      delivery: { targetDate: '2026-09-30', budget: 250_000, currency: 'EUR' },
      changedBy: 'olga',
    });
    const set = sim.audits.filter((a) => a.action === 'metrics.set');
    expect(set.map((a) => [a.actor, a.detail])).toEqual([
      [
        'pat',
        {
          metrics: { adoption: { baseline: 20, target: 90 } },
          delivery: { targetDate: '2026-09-30', budget: 250_000, currency: 'EUR' },
        },
      ],
      ['olga', { metrics: { tickets: { target: 15 } } }],
    ]);
  });

  it.each([
    [
      'a target above the range',
      { metrics: { adoption: { target: 99 } } },
      'out_of_range',
      ['metrics', 'adoption', 'target'],
    ],
    [
      'a baseline below the range',
      { metrics: { adoption: { baseline: -1 } } },
      'out_of_range',
      ['metrics', 'adoption', 'baseline'],
    ],
    [
      'an unknown metric',
      { metrics: { nps: { target: 1 } } },
      'unknown_metric',
      ['metrics', 'nps'],
    ],
    [
      'a budget without currency',
      { delivery: { budget: 10 } },
      'invalid_input',
      ['delivery', 'currency'],
    ],
    ['nothing to set', {}, 'invalid_input', ['metrics']],
  ] as const)('refuses %s, naming the field, and changes nothing', (_what, body, code, path) => {
    const sim = project();
    const before = JSON.stringify(sim.machine);
    expect(sim.act('pat', { type: 'setMetrics', ...body })).toMatchObject({
      ok: false,
      rejection: { code, path },
    });
    expect(JSON.stringify(sim.machine)).toBe(before);
  });

  it('refuses a non-participant', () => {
    const sim = project();
    expect(
      sim.act('stranger', { type: 'setMetrics', metrics: { adoption: { target: 60 } } }),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'not_participant' },
    });
  });

  it('only an operations participant agrees; a later change withdraws the agreement', () => {
    const sim = project();
    expect(sim.act('pat', { type: 'agreeMetrics' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_allowed' },
    });
    sim.must('olga', { type: 'agreeMetrics', comment: 'as discussed with the service desk' });
    expect(sim.state.metrics!.agreed).toEqual({ by: 'olga', role: 'ops', at: sim.now });
    expect(sim.act('omar', { type: 'agreeMetrics' })).toMatchObject({
      ok: false,
      rejection: { code: 'already_agreed' },
    });
    sim.must('pat', { type: 'setMetrics', metrics: { adoption: { target: 70 } } });
    expect(sim.state.metrics!.agreed).toBeUndefined();
    expect(sim.audits.at(-1)!.detail).toMatchObject({ agreementWithdrawn: true });
  });

  it('a gate asking for it waits for operations to agree, and the inbox says so', () => {
    const sim = project();
    toApproval(sim);
    const pending = (user: string) =>
      pendingActions(sim.state, sim.machine.template, user).map((p) => p.action);
    expect(pending('olga')).toEqual(expect.arrayContaining(['signoff', 'agree-metrics']));
    expect(pending('pat')).not.toContain('agree-metrics');
    expect(sim.act('pat', approvalGo)).toMatchObject({
      ok: false,
      rejection: { code: 'metrics_not_agreed', path: ['decision'] },
    });
    sim.must('omar', { type: 'agreeMetrics' });
    expect(pending('olga')).not.toContain('agree-metrics');
    passApproval(sim);
    expect(sim.state.current).toEqual(['hypercare']);
  });

  it('the metrics are fixed once the first gate passed', () => {
    const sim = project(miniTemplate);
    expect(metricsGate(miniTemplate)?.id).toBe('approval');
    toApproval(sim);
    // Without `metricsAgreed` the gate does not wait for an agreement.
    passApproval(sim);
    expect(
      sim.act('pat', { type: 'setMetrics', metrics: { adoption: { target: 60 } } }),
    ).toMatchObject({
      ok: false,
      rejection: { code: 'metrics_locked' },
    });
    expect(sim.act('olga', { type: 'agreeMetrics' })).toMatchObject({
      ok: false,
      rejection: { code: 'metrics_locked' },
    });
    const offered = nextActions(sim.state, sim.machine.template, 'olga').map((a) => a.action);
    expect(offered).not.toContain('set-metrics');
    expect(offered).not.toContain('agree-metrics');
  });

  it('the monitor and the PIR read the project’s own targets', () => {
    const sim = project(miniTemplate);
    sim.must('pat', { type: 'setMetrics', metrics: { adoption: { baseline: 30, target: 50 } } });
    toApproval(sim);
    passApproval(sim);
    sim.must('olga', { type: 'recordKpi', metric: 'adoption', value: 55 });
    // 55 meets the project's target of 50 (the template's is 80): celebrated.
    expect(sim.notified('celebration').at(-1)!.text).toContain('target of 50');
    const pir = plannedVsActual(sim.machine.template, sim.state.kpis, undefined, sim.state.metrics);
    expect(pir[0]).toMatchObject({
      key: 'adoption',
      baseline: 30,
      target: 50,
      actual: 55,
      met: true,
    });
    expect(pir[1]).toMatchObject({ key: 'tickets', baseline: 50, target: 20 });
    sim.must('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
    sim.must('sam', { type: 'signoff', nodeId: 'pir', decision: 'go' });
    sim.must('omar', { type: 'signoff', nodeId: 'pir', decision: 'go' });
    sim.advance(10 * S);
    expect(sim.notified('kpi-review').at(-1)!.text).toContain('Adoption rate: 55 vs target 50 ✓');
  });
});

describe('template ranges', () => {
  it('refuses a range that does not hold the template’s own values', () => {
    const broken: Template = {
      ...miniTemplate,
      metrics: [
        { key: 'a', name: 'A', target: 5, direction: 'increase', min: 10, max: 1 },
        { key: 'b', name: 'B', baseline: 0, target: 200, direction: 'increase', min: 0, max: 100 },
      ],
    };
    expect(validateTemplate(broken).errors).toEqual([
      expect.objectContaining({ path: ['metrics', 0, 'min'], code: 'metric_out_of_range' }),
      expect.objectContaining({ path: ['metrics', 1, 'target'], code: 'metric_out_of_range' }),
    ]);
    expect(validateTemplate(agreedTemplate).valid).toBe(true);
  });
});

describe('pilot review', () => {
  /** The mini lifecycle whose approval gate shows the adoption metric (a pilot review). */
  const pilot: Template = {
    ...miniTemplate,
    nodes: miniTemplate.nodes.map((n) =>
      n.id === 'approval' ? { ...n, metrics: ['adoption'] } : n,
    ),
  };

  it('shows the values measured until its decision against the project’s baseline and target', () => {
    const sim = project(pilot);
    sim.must('pat', { type: 'setMetrics', metrics: { adoption: { baseline: 15 } } });
    expect(gateMetrics(pilot, sim.state, 'approval')).toEqual([
      {
        key: 'adoption',
        name: 'Adoption rate',
        unit: '%',
        direction: 'increase',
        baseline: 15,
        target: 80,
      },
    ]);
    sim.must('olga', { type: 'recordKpi', metric: 'adoption', value: 84 });
    toApproval(sim);
    expect(gateMetrics(pilot, sim.state, 'approval')[0]).toMatchObject({ value: 84, met: true });
    passApproval(sim);
    sim.advance(S);
    sim.must('olga', { type: 'recordKpi', metric: 'adoption', value: 20 });
    // After the decision, later readings do not change what the gate was shown.
    expect(gateMetrics(pilot, sim.state, 'approval')[0]).toMatchObject({ value: 84, met: true });
    expect(gateMetrics(pilot, sim.state, 'plan')).toEqual([]);
  });

  it('refuses a gate naming a metric the template does not define', () => {
    const broken: Template = {
      ...pilot,
      nodes: pilot.nodes.map((n) => (n.id === 'approval' ? { ...n, metrics: ['nps'] } : n)),
    };
    expect(validateTemplate(broken).errors).toEqual([
      expect.objectContaining({ path: ['nodes', 1, 'metrics', 0], code: 'unknown_metric' }),
    ]);
    expect(validateTemplate(pilot).valid).toBe(true);
  });
});

describe('staffing for the agreement', () => {
  it('a gate waiting for operations needs an operations role, and someone holding it', () => {
    const noOps: Template = {
      ...agreedTemplate,
      roles: agreedTemplate.roles.map(({ operations: _o, ...r }) => r),
      nodes: agreedTemplate.nodes.map((n) => (n.type === 'gate' ? { ...n, opsOptional: true } : n)),
    };
    expect(validateTemplate(noOps).errors).toContainEqual(
      expect.objectContaining({ path: ['nodes', 1, 'metricsAgreed'], code: 'no_operations_role' }),
    );
    expect(checkParticipants(agreedTemplate, { pm: ['pat'], steering: ['sam'] })).toContainEqual(
      expect.objectContaining({
        path: ['participants', 'ops'],
        nodeId: 'approval',
        code: 'missing_participants',
      }),
    );
  });
});
