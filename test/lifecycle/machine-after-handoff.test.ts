/**
 * The interpreter after the handoff: hypercare (issues, expiry, exit sign-off, extensions), the
 * post-implementation review and the KPI monitor with its review dates. Before the handoff and
 * idempotency, cancel and migration: machine.test.ts.
 */
import { startProject, tick, type Machine } from '../../workflows/lifecycle';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { unitProject } from '../fixtures/unit-project';
import { inHypercare } from './in-hypercare';

const S = 1000;

describe('hypercare', () => {
  it('extends itself at expiry while a blocking issue is open and escalates with the issue listed', () => {
    const sim = inHypercare(miniTemplate, miniParticipants);
    const raised = sim.must('olga', { type: 'raiseIssue', severity: 1, title: 'Invoices stuck' });
    expect(raised.id).toBe('issue-1');
    sim.advance(10 * S);
    const hc = sim.state.nodes.hypercare!.hypercare!;
    expect(hc).toMatchObject({ extensions: 1, phase: 'running' });
    const [escalation] = sim.notified('escalation');
    expect(escalation!.text).toContain('Invoices stuck');
    expect(escalation!.recipients).toEqual(expect.arrayContaining(['olga', 'omar', 'pat']));
    // Extensions used up: the next expiry asks for exit even though the issue is open.
    sim.advance(5 * S);
    expect(sim.state.nodes.hypercare!.hypercare!.phase).toBe('awaiting_exit');
  });

  it('asks the exit signers at expiry, fires each level at its offset and stops once accepted', () => {
    const sim = inHypercare(miniTemplate, miniParticipants);
    sim.must('olga', { type: 'raiseIssue', severity: 1, title: 'Blocker' });
    expect(sim.act('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' })).toMatchObject(
      {
        ok: false,
        rejection: { code: 'blocking_issues_open' },
      },
    );
    sim.must('omar', { type: 'resolveIssue', issueId: 'issue-1', note: 'fixed' });
    sim.must('olga', { type: 'raiseIssue', severity: 3, title: 'Typo' });
    sim.advance(10 * S);
    expect(sim.state.nodes.hypercare!.hypercare!.phase).toBe('awaiting_exit');
    expect(sim.notified('escalation')).toHaveLength(1); // level 1 at PT0S
    sim.advance(20 * S);
    const levels = sim.notified('escalation');
    expect(levels).toHaveLength(2);
    expect(levels[1]!.recipients).toEqual(['sam']);
    sim.must('omar', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
    expect(sim.state.current).toEqual(['pir']);
    sim.advance(60 * S);
    expect(sim.notified('escalation')).toHaveLength(2);
  });

  it('lets an exit signer extend with a reason, up to maxExtensions', () => {
    const sim = inHypercare(miniTemplate, miniParticipants);
    expect(sim.act('pat', { type: 'extendHypercare', reason: 'x' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_signer' },
    });
    sim.must('olga', { type: 'extendHypercare', reason: 'month-end close' });
    expect(sim.state.nodes.hypercare!.hypercare!.expiresAt).toBe(
      sim.state.nodes.hypercare!.enteredAt! + 15 * S,
    );
    expect(sim.act('olga', { type: 'extendHypercare', reason: 'again' })).toMatchObject({
      ok: false,
      rejection: { code: 'no_extensions_left' },
    });
  });

  it('refuses issues outside hypercare', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    expect(sim.act('olga', { type: 'raiseIssue', severity: 2, title: 'x' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_in_hypercare' },
    });
  });
});

describe('review and monitor', () => {
  function inMonitor(): Simulator {
    const sim = inHypercare(miniTemplate, miniParticipants);
    sim.must('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
    sim.must('sam', { type: 'signoff', nodeId: 'pir', decision: 'go' });
    expect(sim.act('sam', { type: 'signoff', nodeId: 'pir', decision: 'go' })).toMatchObject({
      ok: false,
      rejection: { code: 'already_signed' },
    });
    sim.must('omar', { type: 'signoff', nodeId: 'pir', decision: 'go' });
    return sim;
  }

  it('a review allows only go', () => {
    const sim = inHypercare(miniTemplate, miniParticipants);
    sim.must('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
    expect(sim.act('sam', { type: 'signoff', nodeId: 'pir', decision: 'kill' })).toMatchObject({
      ok: false,
      rejection: { code: 'decision_not_allowed' },
    });
  });

  it('escalates a KPI off target for two consecutive reviews and celebrates reaching a target', () => {
    const sim = inMonitor();
    expect(sim.state.current).toEqual(['monitor']);
    sim.must('olga', { type: 'recordKpi', metric: 'adoption', value: 40 });
    sim.advance(10 * S);
    expect(sim.notified('kpi-review')).toHaveLength(1);
    expect(sim.notified('kpi-alert')).toHaveLength(0);
    sim.advance(10 * S);
    const [alert] = sim.notified('kpi-alert');
    expect(alert!.text).toContain('Adoption rate');
    expect(alert!.recipients).toEqual(expect.arrayContaining(['sam', 'pmo-1']));
    sim.must('olga', { type: 'recordKpi', metric: 'adoption', value: 85 });
    expect(sim.notified('celebration').at(-1)!.subject).toContain('Adoption rate');
    sim.advance(10 * S);
    expect(sim.state.nodes.monitor!.monitor!.misses.adoption).toBe(0);
    expect(sim.act('olga', { type: 'recordKpi', metric: 'nope', value: 1 })).toMatchObject({
      ok: false,
      rejection: { code: 'unknown_metric', path: ['metric'] },
    });
    sim.must('olga', { type: 'retire', reason: 'steady state' });
    expect(sim.state.status).toBe('completed');
    expect(sim.state.current).toEqual(['done']);
  });
});

describe('monitor review dates', () => {
  /** The mini lifecycle started right in its monitor, reviewing monthly. */
  function monthly(start: number): Machine {
    const template: Template = {
      ...miniTemplate,
      start: 'monitor',
      nodes: miniTemplate.nodes.map((n) => (n.type === 'monitor' ? { ...n, every: 'P1M' } : n)),
    };
    const input = {
      projectId: 'monthly',
      name: 'Monthly',
      template,
      version: 1,
      participants: miniParticipants,
      startedBy: 'pmo-1',
    };
    return startProject(input, start).machine;
  }
  const nextReview = (machine: Machine) => machine.state.nodes.monitor!.monitor!.nextReviewAt;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

  /** The due dates of the next `count` reviews, each held when due. */
  function dues(machine: Machine, count: number): string[] {
    const days: string[] = [];
    for (let i = 0; i < count; i++) {
      const at = nextReview(machine);
      days.push(day(at));
      machine = tick(machine, at).machine;
    }
    return days;
  }

  it('counts monthly reviews from the start, so a month end stays a month end', () => {
    const machine = monthly(Date.parse('2025-01-31T09:00:00Z'));
    expect(dues(machine, 5)).toEqual([
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
      '2025-06-30',
    ]);
  });

  it('skips the periods a stopped worker missed, holding one review', () => {
    const machine = monthly(Date.parse('2025-01-31T09:00:00Z'));
    const late = tick(machine, Date.parse('2025-05-02T00:00:00Z'));
    expect(late.effects.notifications.filter((n) => n.kind === 'kpi-review')).toHaveLength(1);
    expect(day(nextReview(late.machine))).toBe('2025-05-31');
  });

  it('goes on chaining reviews for a monitor started before reviews were counted', () => {
    const machine = monthly(Date.parse('2025-01-31T09:00:00Z'));
    const { startedAt: _s, period: _p, ...before } = machine.state.nodes.monitor!.monitor!;
    machine.state.nodes.monitor!.monitor = before;
    expect(dues(machine, 3)).toEqual(['2025-02-28', '2025-03-28', '2025-04-28']);
  });
});
