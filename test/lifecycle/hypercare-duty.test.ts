/**
 * Hypercare as a joint duty (issue 13, item 2) on the pure interpreter: who hears of the start
 * and of issues, joint owners, each issue's own response and resolution clock with its ladder,
 * the answers (take on, respond, resolve) as actions with their refusals, and the inbox.
 */
import { pendingActions, nextActions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import {
  checkParticipants,
  hypercareStartRoles,
  issueResponderRoles,
  opsIntegratedDelivery,
  ownersOf,
  validateTemplate,
  type NodeOf,
} from '../../workflows/model';
import { jointTemplate } from '../fixtures/joint-hypercare';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';
import { inHypercare } from './in-hypercare';

const S = 1000;

const last = (sim: Simulator) => sim.notifications[sim.notifications.length - 1]!;

describe('the template fields', () => {
  it('validate their role references and one entry per severity', () => {
    const t = jointTemplate();
    expect(validateTemplate(t).errors).toEqual([]);
    const hc = t.nodes.find((n) => n.type === 'hypercare') as NodeOf<'hypercare'>;
    hc.owners = ['ghost'];
    hc.notifyIssues = ['nobody'];
    hc.issueSla!.push({ ...hc.issueSla![0]!, escalate: [{ after: 'PT0S', notify: ['who'] }] });
    const errors = validateTemplate(t).errors.map((e) => [e.code, e.path.join('.')]);
    expect(errors).toEqual(
      expect.arrayContaining([
        ['unknown_role', 'nodes.2.owners.0'],
        ['unknown_role', 'nodes.2.notifyIssues.0'],
        ['unknown_role', 'nodes.2.issueSla.1.escalate.0.notify.0'],
        ['duplicate_id', 'nodes.2.issueSla.1.severity'],
      ]),
    );
  });

  it('default to what hypercare did before: operations and the exit signers', () => {
    const hc = miniTemplate.nodes.find((n) => n.type === 'hypercare') as NodeOf<'hypercare'>;
    expect(hypercareStartRoles(miniTemplate, hc)).toEqual(['ops']);
    expect(issueResponderRoles(miniTemplate, hc)).toEqual(['ops']);
    expect(ownersOf(hc)).toEqual([]);
  });

  it('give the built-in joint owners as practice has them, and the project team the news', () => {
    const node = (id: string) => opsIntegratedDelivery.nodes.find((n) => n.id === id)!;
    const hc = node('hypercare') as NodeOf<'hypercare'>;
    expect(ownersOf(hc)).toEqual(['pm', 'ops-lead']);
    expect(ownersOf(node('pir'))).toEqual(['steering']);
    expect(hypercareStartRoles(opsIntegratedDelivery, hc)).toEqual(
      expect.arrayContaining(['pm', 'ops-lead', 'ops-manager', 'support']),
    );
    expect(issueResponderRoles(opsIntegratedDelivery, hc)).toContain('pm');
    expect(hc.issueSla?.map((s) => s.severity)).toEqual([1, 2, 3]);
  });
});

describe('joint owners of a stage', () => {
  it('let any owner complete it, and staffing needs one of them held', () => {
    const t = structuredClone(miniTemplate);
    t.nodes[0] = { ...(t.nodes[0] as NodeOf<'stage'>), owners: ['ops'] };
    const sim = new Simulator(t, { participants: miniParticipants, ...unitProject });
    sim.must('olga', { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'v1' });
    expect(sim.act('sam', { type: 'complete', nodeId: 'plan' })).toMatchObject({
      ok: false,
      rejection: { code: 'not_owner', message: expect.stringContaining('Operations lead') },
    });
    expect(pendingActions(sim.state, t, 'olga').map((a) => a.action)).toContain('complete-stage');
    sim.must('olga', { type: 'complete', nodeId: 'plan' });
    expect(sim.state.current).toEqual(['approval']);
    const staffing = checkParticipants(t, { ...miniParticipants, pm: [], ops: [] });
    expect(staffing.map((e) => e.code)).toContain('no_stage_owner');
  });
});

describe('hypercare as a joint duty', () => {
  it('tells the roles the template names of the start and of each issue', () => {
    const sim = inHypercare();
    const start = sim.notified('action-required').find((n) => n.subject.includes('started'))!;
    expect(start.recipients.sort()).toEqual(['fran', 'olga', 'omar', 'pat']);
    sim.must('fran', { type: 'raiseIssue', severity: 1, title: 'Till freezes' });
    const told = last(sim);
    expect(told.recipients.sort()).toEqual(['olga', 'omar', 'pat']);
    expect(told.text).toContain('First response due');
  });

  it('keeps an issue without times on no clock', () => {
    const sim = inHypercare();
    sim.must('fran', { type: 'raiseIssue', severity: 3, title: 'Typo' });
    expect(sim.state.issues[0]).not.toHaveProperty('resolveBy');
    expect(sim.state.deadlines.filter((d) => d.issueId)).toEqual([]);
    // Still answerable, but nobody's inbox waits for it.
    expect(pendingActions(sim.state, sim.machine.template, 'pat')).toEqual([]);
  });

  it('escalates a missed response, reminds, escalates the missed resolution up its ladder', () => {
    const sim = inHypercare();
    const raisedAt = sim.now;
    sim.must('fran', { type: 'raiseIssue', severity: 1, title: 'Till freezes' });
    expect(sim.state.issues[0]).toMatchObject({
      respondBy: raisedAt + 2 * S,
      resolveBy: raisedAt + 6 * S,
    });
    sim.advance(2 * S);
    const [noResponse] = sim.notified('escalation');
    expect(noResponse!.subject).toContain('no response');
    expect(noResponse!.recipients.sort()).toEqual(['olga', 'omar', 'pat', 'pmo-1']);
    sim.advance(2 * S);
    const [reminder] = sim.notified('reminder');
    expect(reminder!.recipients.sort()).toEqual(['olga', 'omar', 'pat']);
    sim.advance(2 * S);
    expect(sim.notified('escalation')[1]!.subject).toContain('past its resolution time');
    sim.advance(1 * S);
    const level = sim.notified('escalation')[2]!;
    expect(level.recipients).toEqual(['sam']);
    expect(sim.state.issues[0]!.overdue).toEqual(['respond', 'resolve', 'escalate:0']);
    expect(sim.audits.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'issue.response-overdue',
        'issue.reminder',
        'issue.overdue',
        'issue.escalated',
      ]),
    );
  });

  it('stops the response clock when taken on and every clock when resolved', () => {
    const sim = inHypercare();
    sim.must('fran', { type: 'raiseIssue', severity: 1, title: 'Till freezes' });
    expect(pendingActions(sim.state, sim.machine.template, 'pat')).toMatchObject([
      { action: 'acknowledge-issue', itemId: 'issue-1', roles: ['pm'] },
    ]);
    const taken = sim.must('pat', { type: 'acknowledgeIssue', issueId: 'issue-1', note: 'On it' });
    expect(taken).toMatchObject({ id: 'issue-1', nodeId: 'hypercare' });
    expect(last(sim)).toMatchObject({ recipients: ['fran'], kind: 'message' });
    expect(sim.state.deadlines.some((d) => d.kind === 'issue-respond')).toBe(false);
    // Taken on: every responder's inbox holds it to resolve, due at its resolution time.
    const [toResolve] = pendingActions(sim.state, sim.machine.template, 'olga');
    expect(toResolve).toMatchObject({
      action: 'resolve-issue',
      itemId: 'issue-1',
      dueAt: sim.state.issues[0]!.resolveBy,
    });
    sim.advance(2 * S);
    expect(sim.notified('escalation')).toEqual([]);
    sim.must('omar', { type: 'respondToIssue', issueId: 'issue-1', text: 'Restart the till' });
    expect(sim.state.issues[0]).toMatchObject({ respondedBy: 'omar', acknowledgedBy: 'pat' });
    sim.must('fran', { type: 'resolveIssue', issueId: 'issue-1' });
    expect(sim.state.deadlines.filter((d) => d.issueId)).toEqual([]);
    expect(pendingActions(sim.state, sim.machine.template, 'olga')).toEqual([]);
  });

  it('takes a response as the first response', () => {
    const sim = inHypercare();
    sim.must('fran', { type: 'raiseIssue', severity: 1, title: 'Till freezes' });
    sim.must('olga', { type: 'respondToIssue', issueId: 'issue-1', text: 'Looking' });
    expect(sim.state.issues[0]).toMatchObject({ acknowledgedBy: 'olga', respondedBy: 'olga' });
    expect(sim.audits.find((a) => a.action === 'issue.responded')!.detail).toMatchObject({
      late: false,
    });
  });

  it('refuses answers with reasons: not a responder, twice, resolved, unknown', () => {
    const sim = inHypercare();
    sim.must('fran', { type: 'raiseIssue', severity: 1, title: 'Till freezes' });
    const refused = (user: string, command: Parameters<Simulator['act']>[1]) => {
      const d = sim.act(user, command);
      return d.ok ? undefined : d.rejection.code;
    };
    expect(refused('fran', { type: 'acknowledgeIssue', issueId: 'issue-1' })).toBe(
      'not_responsible',
    );
    expect(refused('sam', { type: 'respondToIssue', issueId: 'issue-1', text: 'x' })).toBe(
      'not_responsible',
    );
    expect(refused('stranger', { type: 'acknowledgeIssue', issueId: 'issue-1' })).toBe(
      'not_participant',
    );
    expect(refused('pat', { type: 'acknowledgeIssue', issueId: 'issue-9' })).toBe('unknown_issue');
    sim.must('pat', { type: 'acknowledgeIssue', issueId: 'issue-1' });
    expect(refused('olga', { type: 'acknowledgeIssue', issueId: 'issue-1' })).toBe(
      'already_acknowledged',
    );
    sim.must('olga', { type: 'resolveIssue', issueId: 'issue-1' });
    expect(refused('olga', { type: 'respondToIssue', issueId: 'issue-1', text: 'x' })).toBe(
      'already_resolved',
    );
  });

  it('offers responders to take on and respond, everyone else only to resolve', () => {
    const sim = inHypercare();
    sim.must('fran', { type: 'raiseIssue', severity: 1, title: 'Till freezes' });
    const kinds = (user: string) =>
      nextActions(sim.state, sim.machine.template, user)
        .filter((a) => a.itemId === 'issue-1')
        .map((a) => a.action);
    expect(kinds('pat')).toEqual(['acknowledge-issue', 'respond-issue', 'resolve-issue']);
    expect(kinds('fran')).toEqual(['resolve-issue']);
  });

  it('drops the issue clocks when hypercare ends', () => {
    const t = jointTemplate();
    const hc = t.nodes.find((n) => n.type === 'hypercare') as NodeOf<'hypercare'>;
    hc.issueSla!.push({ severity: 3, respond: 'PT30S', resolve: 'PT50S' });
    const sim = inHypercare(t);
    sim.must('fran', { type: 'raiseIssue', severity: 3, title: 'Colour' });
    expect(sim.state.deadlines.filter((d) => d.issueId)).toHaveLength(2);
    sim.must('olga', { type: 'signoff', nodeId: 'hypercare', decision: 'go' });
    expect(sim.state.current).toEqual(['pir']);
    expect(sim.state.deadlines.filter((d) => d.issueId)).toEqual([]);
  });
});
