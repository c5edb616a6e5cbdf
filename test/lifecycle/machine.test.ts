/**
 * The interpreter up to the handoff: starting, stages, gates and their votes, conditions and
 * deadlines; idempotency, cancel and migration. After the handoff (hypercare, the review, the
 * KPI monitor): machine-after-handoff.test.ts.
 */
import { decide, recordedState, startProject, tick, type Machine } from '../../workflows/lifecycle';
import type { Template } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { unitProject } from '../fixtures/unit-project';
import { approvalGo, approveCriteria, atApproval, passApproval } from './in-hypercare';

const S = 1000;

describe('starting a project', () => {
  it('enters the start node and tells its owner', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    expect(sim.state.current).toEqual(['plan']);
    expect(sim.state.nodes.plan!.status).toBe('active');
    expect(sim.state.nodes.approval!.status).toBe('pending');
    const [first] = sim.notified('action-required');
    expect(first!.recipients).toEqual(['pat']);
    expect(sim.audits.map((a) => a.action)).toEqual(['project.started', 'node.entered']);
  });
});

describe('stage', () => {
  it('completes only with required deliverables, by its owner', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const early = sim.act('pat', { type: 'complete', nodeId: 'plan' });
    expect(early).toMatchObject({ ok: false, rejection: { code: 'missing_deliverable' } });
    sim.must('olga', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'v1' });
    expect(sim.act('olga', { type: 'complete', nodeId: 'plan' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_owner' },
    });
    expect(sim.act('stranger', { type: 'complete', nodeId: 'plan' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_participant' },
    });
    sim.must('pat', { type: 'complete', nodeId: 'plan' });
    expect(sim.state.current).toEqual(['approval']);
  });

  it('reminds before due, warns when overdue and escalates by its SLA', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    sim.advance(30 * 60 * S);
    expect(sim.notified('reminder')).toHaveLength(1);
    sim.advance(30 * 60 * S);
    expect(sim.notified('reminder')).toHaveLength(2);
    const [escalation] = sim.notified('escalation');
    expect(escalation!.recipients).toEqual(expect.arrayContaining(['sam', 'pmo-1']));
    expect(sim.state.deadlines).toHaveLength(0);
  });
});

describe('gate', () => {
  it('passes when every rule has min distinct go signers (two ops users)', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    sim.must('pat', approvalGo);
    sim.must('olga', approvalGo);
    expect(sim.state.current).toEqual(['approval']);
    const result = sim.must('omar', approvalGo);
    expect(result.current).toEqual(['hypercare']);
    expect(sim.state.nodes.approval!.outcome).toBe('go');
    expect(sim.notified('celebration')[0]!.recipients).toEqual(
      expect.arrayContaining(['pat', 'olga', 'omar', 'sam', 'pmo-1']),
    );
  });

  it.each([
    ['stranger', { decision: 'go', criteria: approveCriteria }, 'not_signer'],
    ['sam', { decision: 'go', criteria: approveCriteria }, 'not_signer'],
    ['pat', { decision: 'go', criteria: { training: 8, comms: 5 } }, 'unmet_criterion'],
    [
      'pat',
      { decision: 'go', criteria: { 'support-ready': true, training: 3, comms: 3 } },
      'score_below_pass',
    ],
    ['pat', { decision: 'go', criteria: { 'support-ready': true, training: 8 } }, 'missing_score'],
    ['pat', { decision: 'go', criteria: { ...approveCriteria, bogus: 1 } }, 'unknown_criterion'],
    ['pat', { decision: 'go', role: 'ops', criteria: approveCriteria }, 'not_signer'],
  ] as const)('refuses %s signing %j with %s and changes nothing', (user, body, code) => {
    const sim = atApproval(miniTemplate, miniParticipants);
    const before = JSON.stringify(sim.machine);
    const decision = sim.act(user, { type: 'signoff', nodeId: 'approval', ...body });
    expect(decision).toMatchObject({ ok: false, rejection: { code } });
    expect(JSON.stringify(sim.machine)).toBe(before);
  });

  it('refuses a go without the required deliverable and a second vote by the same user', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    sim.must('pat', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'x' });
    sim.must('pat', { type: 'complete', nodeId: 'plan' });
    const noCharter = sim.act('pat', approvalGo);
    expect(noCharter).toMatchObject({ ok: false, rejection: { code: 'missing_deliverable' } });
    sim.must('pat', {
      type: 'deliverable',
      nodeId: 'approval',
      deliverableId: 'charter',
      text: 'x',
    });
    sim.must('pat', approvalGo);
    const again = sim.act('pat', approvalGo);
    expect(again).toMatchObject({ ok: false, rejection: { code: 'already_signed' } });
    const closed = sim.act('pat', { type: 'signoff', nodeId: 'plan', decision: 'go' });
    expect(closed).toMatchObject({ ok: false, rejection: { code: 'not_active' } });
  });

  it('recycles back to its stage and starts a fresh vote on the next visit', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    sim.must('pat', approvalGo);
    sim.must('olga', {
      type: 'signoff',
      nodeId: 'approval',
      decision: 'recycle',
      comment: 'training plan thin',
    });
    expect(sim.state.current).toEqual(['plan']);
    expect(sim.state.nodes.plan!.visits).toBe(2);
    sim.must('pat', { type: 'complete', nodeId: 'plan' });
    expect(sim.state.nodes.approval!.votes).toEqual([]);
    expect(sim.state.nodes.approval!.visits).toBe(2);
    passApproval(sim);
    expect(sim.state.current).toEqual(['hypercare']);
  });

  it('holds the project until resumed, then votes afresh', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    sim.must('pat', approvalGo);
    sim.must('olga', {
      type: 'signoff',
      nodeId: 'approval',
      decision: 'hold',
      comment: 'budget freeze',
    });
    expect(sim.state.status).toBe('on_hold');
    expect(sim.act('omar', approvalGo)).toMatchObject({
      ok: false,
      rejection: { code: 'on_hold' },
    });
    expect(sim.act('sam', { type: 'resume', reason: 'x' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_allowed' },
    });
    sim.must('pmo-1', { type: 'resume', reason: 'budget released' }, true);
    expect(sim.state.status).toBe('active');
    expect(sim.state.nodes.approval!.votes).toEqual([]);
    passApproval(sim);
    expect(sim.state.current).toEqual(['hypercare']);
  });

  it('kills the project through its kill edge', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    sim.must('omar', {
      type: 'signoff',
      nodeId: 'approval',
      decision: 'kill',
      comment: 'no business case',
    });
    expect(sim.state.status).toBe('killed');
    expect(sim.state.current).toEqual(['killed']);
    expect(sim.state.deadlines).toEqual([]);
    expect(sim.act('pat', { type: 'feedback', kind: 'lesson', text: 'x' })).toMatchObject({
      ok: false,
      rejection: { code: 'project_closed' },
    });
  });

  it('turns Conditional Go conditions into obligations that escalate when missed', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    sim.must('pat', {
      type: 'signoff',
      nodeId: 'approval',
      decision: 'go',
      criteria: approveCriteria,
      conditions: [{ text: 'Hire a second support agent', due: 'PT5S', owner: 'ops' }],
    });
    sim.must('olga', approvalGo);
    sim.must('omar', approvalGo);
    expect(sim.state.conditions).toMatchObject([{ status: 'open', owner: 'ops' }]);
    sim.advance(6 * S);
    expect(sim.state.conditions[0]!.status).toBe('missed');
    const [missed] = sim.notified('condition-missed');
    expect(missed!.recipients).toEqual(expect.arrayContaining(['pat', 'olga', 'omar', 'pmo-1']));
    const id = sim.state.conditions[0]!.id;
    expect(sim.act('pat', { type: 'conditionMet', conditionId: id })).toMatchObject({
      ok: false,
      rejection: { code: 'not_owner' },
    });
    sim.must('omar', { type: 'conditionMet', conditionId: id, note: 'hired' });
    expect(sim.state.conditions[0]!.status).toBe('met');
  });

  it('escalates a missed condition whose gate a migration removed, instead of failing', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    for (const [user, conditions] of [
      ['pat', [{ text: 'Hire a second support agent', due: 'PT5S', owner: 'ops' }]],
      ['olga', undefined],
      ['omar', undefined],
    ] as const) {
      sim.must(user, {
        type: 'signoff',
        nodeId: 'approval',
        decision: 'go',
        criteria: approveCriteria,
        ...(conditions && { conditions: [...conditions] }),
      });
    }
    // Version 2 renames the gate that set the condition; the project stands past it.
    const rename = (id: string) => (id === 'approval' ? 'sign-off' : id);
    const v2: Template = {
      ...miniTemplate,
      nodes: miniTemplate.nodes.map((n) => ({ ...n, id: rename(n.id) })),
      edges: miniTemplate.edges.map((e) => ({ ...e, from: rename(e.from), to: rename(e.to) })),
      layout: Object.fromEntries(
        Object.entries(miniTemplate.layout ?? {}).map(([id, at]) => [rename(id), at]),
      ),
    };
    sim.must('pmo-1', { type: 'migrate', version: 2, template: v2 }, true);
    sim.advance(6 * S);
    expect(sim.state.conditions[0]!.status).toBe('missed');
    const [missed] = sim.notified('condition-missed');
    expect(missed!.recipients).toEqual(expect.arrayContaining(['omar', 'pmo-1']));
  });
});

it('drops a deadline of a node the template no longer has, with an audit entry, and fires the rest', () => {
  const now = Date.now();
  const { machine } = startProject(
    { ...unitProject, template: miniTemplate, version: 1, participants: miniParticipants },
    now,
  );
  const orphan = { id: 'orphan', at: now + 1, kind: 'monitor-review' as const, nodeId: 'gone' };
  const broken: Machine = {
    ...machine,
    state: { ...machine.state, deadlines: [orphan, ...machine.state.deadlines] },
  };
  const fired = tick(broken, now + 1);
  expect(fired.machine.state.deadlines.map((d) => d.id)).not.toContain('orphan');
  expect(fired.effects.audits).toEqual([
    expect.objectContaining({
      action: 'deadline.dropped',
      nodeId: 'gone',
      actor: 'system',
      reason: 'no node "gone" in this template',
      detail: { kind: 'monitor-review' },
    }),
  ]);
});

describe('idempotency, cancel and migration', () => {
  it('replays the first result for a repeated idempotency key without new effects', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const first = sim.must('pat', {
      type: 'feedback',
      kind: 'feedback',
      text: 'Kick-off went well',
      idempotencyKey: 'k1',
    });
    const audits = sim.audits.length;
    const again = sim.act('pat', {
      type: 'feedback',
      kind: 'feedback',
      text: 'Kick-off went well',
      idempotencyKey: 'k1',
    });
    expect(again).toMatchObject({ ok: true, replayed: true, result: { ...first, replayed: true } });
    expect(sim.audits.length).toBe(audits);
    expect(sim.state.feedback).toHaveLength(1);
    // The same key with another body: refused, nothing recorded.
    expect(
      sim.act('pat', { type: 'feedback', kind: 'feedback', text: 'Other', idempotencyKey: 'k1' }),
    ).toMatchObject({ ok: false, rejection: { code: 'idempotency_key_reused' } });
    // Another caller's key, another action's key: never the same entry.
    sim.must('olga', { type: 'feedback', kind: 'feedback', text: 'Other', idempotencyKey: 'k1' });
    expect(
      sim.act('pat', { type: 'raiseIssue', severity: 1, title: 'x', idempotencyKey: 'k1' }),
    ).toMatchObject({ ok: false, rejection: { code: 'not_in_hypercare' } });
    expect(sim.state.feedback).toHaveLength(2);
  });

  it('matches keys of Updates recorded before keys were scoped by key and action only', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const body = { type: 'feedback', kind: 'feedback', text: 'x', idempotencyKey: 'k1' } as const;
    const first = decide(sim.machine, { ...body, actor: { userId: 'pat' } }, sim.now, {
      legacy: true,
    });
    if (!first.ok) throw new Error('refused');
    // Another user's Update with the same key answered the first result then, and still does.
    const other = decide(first.machine, { ...body, actor: { userId: 'olga' } }, sim.now, {
      legacy: true,
    });
    expect(other).toMatchObject({ ok: true, replayed: true, result: { id: 'feedback-1' } });
    expect(first.machine.state.idempotency['k:k1']).toEqual({
      type: 'feedback',
      result: expect.not.objectContaining({ node: expect.anything() }),
    });
  });

  it('records the state without its keys, legacy or scoped (only the workflow reads them)', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const body = { type: 'feedback', kind: 'feedback', text: 'x', idempotencyKey: 'k1' } as const;
    const legacy = decide(sim.machine, { ...body, actor: { userId: 'pat' } }, sim.now, {
      legacy: true,
    });
    if (!legacy.ok) throw new Error('refused');
    const scoped = decide(
      legacy.machine,
      { ...body, idempotencyKey: 'k2', actor: { userId: 'pat' } },
      sim.now,
    );
    if (!scoped.ok) throw new Error('refused');
    const { state } = scoped.machine;
    expect(Object.keys(state.idempotency)).toEqual(['k:k1']);
    expect(Object.keys(state.keys)).toHaveLength(1);
    const { keys, idempotency, ...data } = recordedState(state);
    expect({ keys, idempotency }).toEqual({ keys: {}, idempotency: {} });
    const { keys: _k, idempotency: _i, ...expected } = state;
    expect(data).toEqual(expected);
  });

  it('cancels only by the PMO or a current signer', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    expect(sim.act('pat', { type: 'cancel', reason: 'x' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_allowed' },
    });
    sim.must('pmo-1', { type: 'cancel', reason: 'strategy changed' }, true);
    expect(sim.state).toMatchObject({ status: 'cancelled', current: [], deadlines: [] });
  });

  it('migrates to a version that has the current node and refuses one that lacks it', () => {
    const sim = atApproval(miniTemplate, miniParticipants);
    const v2 = { ...miniTemplate, name: 'Mini v2' };
    expect(sim.act('pat', { type: 'migrate', version: 2, template: v2 })).toMatchObject({
      ok: false,
      rejection: { code: 'not_allowed' },
    });
    sim.must('pmo-1', { type: 'migrate', version: 2, template: v2 }, true);
    expect(sim.state.template).toEqual({ key: 'mini', version: 2 });
    expect(sim.machine.template.name).toBe('Mini v2');

    const v3 = {
      ...miniTemplate,
      nodes: miniTemplate.nodes.map((n) => (n.id === 'approval' ? { ...n, id: 'approval-2' } : n)),
      edges: miniTemplate.edges.map((e) => ({
        ...e,
        from: e.from === 'approval' ? 'approval-2' : e.from,
        to: e.to === 'approval' ? 'approval-2' : e.to,
      })),
    };
    const refused = sim.act('pmo-1', { type: 'migrate', version: 3, template: v3 }, true);
    expect(refused).toMatchObject({ ok: false, rejection: { code: 'incompatible_version' } });
    if (!refused.ok) expect(refused.rejection.message).toContain('"approval" does not exist');
  });
});
