/**
 * A PIR that is a review (issue 13, item 3) on the pure interpreter: review criteria scored
 * like a gate's, decisions and follow-up actions recorded by the reviewers, each action an
 * obligation of its owner (a role or one participant) that is reminded, escalates when missed,
 * sits in its owner's inbox and is completed by its owner alone; refusals say why.
 */
import { nextActions, pendingActions } from '../../workflows/lifecycle';
import { Simulator, type SimCommand } from '../../workflows/lifecycle/simulation';
import {
  criteriaOf,
  opsIntegratedDelivery,
  reviewerRoles,
  scorecard,
  validateTemplate,
  type NodeOf,
} from '../../workflows/model';
import { pirParticipants, pirTemplate } from '../fixtures/pir-template';
import { unitProject } from '../fixtures/unit-project';

type SimCommandOf<T extends SimCommand['type']> = Extract<SimCommand, { type: T }>;

const DAY = 24 * 3600 * 1000;
const code = (d: ReturnType<Simulator['act']>) => (d.ok ? undefined : d.rejection.code);
const atPir = () => new Simulator(pirTemplate(), { participants: pirParticipants, ...unitProject });
const action = (
  extra: Partial<SimCommandOf<'reviewAction'>> = {},
): SimCommandOf<'reviewAction'> => ({
  type: 'reviewAction',
  nodeId: 'pir',
  text: 'Refresher training for the night shift',
  due: 'P10D',
  owner: 'support',
  ...extra,
});
const kinds = (sim: Simulator, user: string) =>
  nextActions(sim.state, sim.machine.template, user).map((a) => a.action);

describe('review criteria', () => {
  it('score a review sign-off the way they score a gate', () => {
    const sim = atPir();
    const sign = (user: string, criteria: Record<string, boolean | number>) =>
      sim.act(user, { type: 'signoff', nodeId: 'pir', decision: 'go', criteria });
    expect(code(sign('stan', { 'training-support': 8, 'strategic-fit': 8 }))).toBe(
      'unmet_criterion',
    );
    expect(code(sign('stan', { 'benefits-measured': true, 'training-support': 8 }))).toBe(
      'missing_score',
    );
    const low = { 'benefits-measured': true, 'training-support': 2, 'strategic-fit': 2 };
    expect(code(sign('stan', low))).toBe('score_below_pass');
    expect(code(sign('stan', { nope: true }))).toBe('unknown_criterion');
    const fair = { 'benefits-measured': true, 'training-support': 8, 'strategic-fit': 5 };
    expect(sign('stan', fair).ok).toBe(true);
    expect(sim.state.nodes.pir!.votes[0]).toMatchObject({ criteria: fair, score: 0.7 });
    expect(sim.audits.find((a) => a.action === 'signoff')?.detail).toMatchObject({ score: 0.7 });
  });

  it('are optional: a review without them signs as before, and answers are refused', () => {
    const t = pirTemplate();
    const pir = t.nodes[0] as NodeOf<'review'>;
    delete pir.criteria;
    delete pir.passScore;
    expect(validateTemplate(t).errors).toEqual([]);
    const sim = new Simulator(t, { participants: pirParticipants, ...unitProject });
    const go = { type: 'signoff', nodeId: 'pir', decision: 'go' } as const;
    expect(code(sim.act('stan', { ...go, criteria: { x: true } }))).toBe('unknown_criterion');
    sim.must('stan', go);
    sim.must('olga', go);
    expect(sim.state.current).toEqual(['monitoring']);
  });

  it('are validated like a gate’s (one id once) and the built-in PIR has its three', () => {
    const t = pirTemplate();
    const pir = t.nodes[0] as NodeOf<'review'>;
    pir.criteria!.push({ ...pir.criteria![0]! });
    expect(validateTemplate(t).errors.map((e) => e.path.join('.'))).toContain(
      'nodes.0.criteria.3.id',
    );
    const builtin = opsIntegratedDelivery.nodes.find((n) => n.id === 'pir')!;
    expect(criteriaOf(builtin).map((c) => c.id)).toEqual([
      'training-support',
      'benefits-realised',
      'strategic-fit',
    ]);
    expect(scorecard(builtin, {}).passes).toBe(true);
    expect(scorecard(builtin, { 'benefits-realised': 6, 'strategic-fit': 9 }).score).toBe(0.675);
  });
});

describe('decisions and follow-up actions', () => {
  it('are recorded by the reviewers while the review is current, audited', () => {
    const sim = atPir();
    expect(reviewerRoles(pirTemplate().nodes[0] as NodeOf<'review'>)).toEqual(['steering', 'ops']);
    expect(kinds(sim, 'stan')).toEqual(
      expect.arrayContaining(['review-decision', 'review-action']),
    );
    expect(kinds(sim, 'pat')).not.toContain('review-action');
    const decided = sim.must('stan', {
      type: 'reviewDecision',
      nodeId: 'pir',
      text: 'Roll out to the second region next quarter',
    });
    expect(decided.id).toBe('pir-1-d1');
    expect(sim.state.nodes.pir!.review!.decisions).toEqual([
      {
        id: 'pir-1-d1',
        text: 'Roll out to the second region next quarter',
        by: 'stan',
        at: sim.now,
        visit: 1,
      },
    ]);
    const set = sim.must('olga', action());
    expect(set.id).toBe('pir-1-a1');
    expect(sim.state.conditions[0]).toMatchObject({
      id: 'pir-1-a1',
      kind: 'review-action',
      owner: 'support',
      status: 'open',
      dueAt: sim.now + 10 * DAY,
      setBy: 'olga',
    });
    expect(sim.audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['review.decision', 'review.action-set']),
    );
    // Every holder of the owner role hears of it, and has it in the inbox.
    expect(sim.notified('action-required').at(-1)!.recipients).toEqual(['sue', 'sid']);
    for (const user of ['sue', 'sid']) {
      expect(pendingActions(sim.state, sim.machine.template, user)).toEqual([
        expect.objectContaining({
          action: 'complete-review-action',
          nodeId: 'pir',
          itemId: 'pir-1-a1',
          dueAt: sim.now + 10 * DAY,
        }),
      ]);
    }
  });

  it('may name one participant as owner, or a date as the due date', () => {
    const sim = atPir();
    sim.must('stan', action({ owner: undefined, assignee: 'sid', due: '2026-02-15' }));
    const [a] = sim.state.conditions;
    expect(a).toMatchObject({ owner: 'support', assignee: 'sid', due: '2026-02-15' });
    expect(a!.dueAt).toBe(Date.parse('2026-02-15T23:59:59.999Z'));
    expect(kinds(sim, 'sue')).not.toContain('complete-review-action');
    expect(kinds(sim, 'sid')).toContain('complete-review-action');
    expect(sim.notified('action-required').at(-1)!.recipients).toEqual(['sid']);
    const by = (user: string) =>
      code(sim.act(user, { type: 'reviewActionDone', actionId: a!.id, note: 'Done' }));
    expect(by('sue')).toBe('not_responsible');
    expect(by('stan')).toBe('not_responsible');
    expect(by('sid')).toBeUndefined();
  });

  it('remind their owner half-way, escalate when missed, and may still be done late', () => {
    const sim = atPir();
    sim.must('stan', action());
    const start = sim.now;
    sim.advance(5 * DAY);
    const reminder = sim.notified('reminder').at(-1)!;
    expect(reminder).toMatchObject({ recipients: ['sue', 'sid'], at: start + 5 * DAY });
    expect(reminder.subject).toMatch(/follow-up action due/);
    sim.advance(5 * DAY);
    expect(sim.state.conditions[0]).toMatchObject({ status: 'missed', escalated: true });
    const missed = sim.notified('condition-missed').at(-1)!;
    expect(missed.subject).toMatch(/follow-up action of "Post-implementation review" missed/);
    expect(missed.recipients).toEqual(expect.arrayContaining(['stan', 'olga', 'sue', 'pmo-1']));
    // Still in the owner's inbox, overdue; done late, it says so.
    expect(kinds(sim, 'sue')).toContain('complete-review-action');
    sim.must('sue', { type: 'reviewActionDone', actionId: 'pir-1-a1', note: 'Trained all' });
    expect(sim.state.conditions[0]).toMatchObject({ status: 'met', metBy: 'sue' });
    expect(sim.audits.at(-1)).toMatchObject({
      action: 'review.action-done',
      actor: 'sue',
      reason: 'Trained all',
      detail: { conditionId: 'pir-1-a1', late: true },
    });
    expect(kinds(sim, 'sue')).not.toContain('complete-review-action');
  });

  it('outlive the review: done by the owner while the project monitors', () => {
    const sim = atPir();
    sim.must('stan', action());
    const marks = { 'benefits-measured': true, 'training-support': 9, 'strategic-fit': 9 };
    sim.must('stan', { type: 'signoff', nodeId: 'pir', decision: 'go', criteria: marks });
    sim.must('olga', { type: 'signoff', nodeId: 'pir', decision: 'go', criteria: marks });
    expect(sim.state.current).toEqual(['monitoring']);
    expect(pendingActions(sim.state, sim.machine.template, 'sue').map((a) => a.action)).toEqual([
      'complete-review-action',
    ]);
    // Its timers outlive the review too: the reminder comes half-way, while monitoring.
    sim.advance(5 * DAY);
    expect(sim.notified('reminder').at(-1)!.recipients).toEqual(['sue', 'sid']);
    sim.must('sue', { type: 'reviewActionDone', actionId: 'pir-1-a1' });
    expect(sim.state.deadlines.filter((d) => d.conditionId === 'pir-1-a1')).toEqual([]);
  });

  it('refuse with reasons, changing nothing', () => {
    const sim = atPir();
    expect(code(sim.act('pat', action()))).toBe('not_signer');
    expect(code(sim.act('sue', { type: 'reviewDecision', nodeId: 'pir', text: 'x' }))).toBe(
      'not_signer',
    );
    expect(code(sim.act('stan', action({ owner: 'ghost' })))).toBe('unknown_role');
    expect(code(sim.act('stan', action({ owner: undefined })))).toBe('invalid_input');
    expect(code(sim.act('stan', action({ owner: undefined, assignee: 'nobody' })))).toBe(
      'invalid_participants',
    );
    expect(code(sim.act('stan', action({ owner: 'pm', assignee: 'sid' })))).toBe(
      'invalid_participants',
    );
    expect(code(sim.act('stan', action({ due: '2025-12-31' })))).toBe('out_of_range');
    expect(code(sim.act('stan', action({ nodeId: 'monitoring' })))).toBe('not_active');
    const done = (user: string, actionId: string) =>
      code(sim.act(user, { type: 'reviewActionDone', actionId }));
    expect(done('sue', 'pir-1-a9')).toBe('unknown_action');
    expect(sim.state.conditions).toEqual([]);
    expect(sim.audits.map((a) => a.action)).toEqual(['project.started', 'node.entered']);

    sim.must('stan', action());
    // A review action is no Conditional Go condition: `conditionMet` does not know it.
    expect(code(sim.act('sue', { type: 'conditionMet', conditionId: 'pir-1-a1' }, true))).toBe(
      'unknown_condition',
    );
    expect(code(sim.act('pmo-1', { type: 'reviewActionDone', actionId: 'pir-1-a1' }, true))).toBe(
      'not_responsible',
    );
    expect(done('sue', 'pir-1-a1')).toBeUndefined();
    expect(done('sid', 'pir-1-a1')).toBe('already_done');
    // Once the review is over, nothing more is recorded on it.
    const marks = { 'benefits-measured': true, 'training-support': 9, 'strategic-fit': 9 };
    sim.must('stan', { type: 'signoff', nodeId: 'pir', decision: 'go', criteria: marks });
    sim.must('olga', { type: 'signoff', nodeId: 'pir', decision: 'go', criteria: marks });
    expect(code(sim.act('stan', action()))).toBe('not_active');
    expect(code(sim.act('stan', { type: 'reviewDecision', nodeId: 'pir', text: 'late' }))).toBe(
      'not_active',
    );
  });

  it('keep at most their caps', () => {
    const sim = atPir();
    for (let i = 0; i < 20; i++) {
      sim.must('stan', { type: 'reviewDecision', nodeId: 'pir', text: `decision ${i}` });
    }
    expect(code(sim.act('stan', { type: 'reviewDecision', nodeId: 'pir', text: 'one more' }))).toBe(
      'limit_reached',
    );
    for (let i = 0; i < 30; i++) sim.must('stan', action({ text: `action ${i}` }));
    expect(code(sim.act('stan', action()))).toBe('limit_reached');
  });

  it('go with the participant when the PMO reassigns the role', () => {
    const sim = atPir();
    sim.must('stan', action({ assignee: 'sid' }));
    sim.must('pmo-1', { type: 'reassign', role: 'support', from: 'sid', to: 'sam' }, true);
    expect(sim.state.conditions[0]!.assignee).toBe('sam');
    expect(kinds(sim, 'sam')).toContain('complete-review-action');
  });
});
