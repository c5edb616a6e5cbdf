/** The in-browser simulation: the same interpreter, driven to the end of the built-in template. */
import { fullMarks, opsIntegratedDelivery, seatParticipants } from '../../workflows/model';
import { availableActions, happyPathAction } from '../../designer/src/logic/sim-actions';
import {
  SIM_EPOCH,
  advanceBy,
  advanceToNextDeadline,
  nodeStatuses,
  runSteps,
  startSimulation,
  takenEdges,
} from '../../designer/src/logic/simulation';
import { runAction, walkTo } from './sim-run';

const DAY = 86_400_000;

describe('simulation', () => {
  it('creates one virtual participant per role (more when a quorum needs them)', () => {
    expect(seatParticipants(opsIntegratedDelivery)).toEqual({
      pm: ['pm-1'],
      'ops-lead': ['ops-lead-1'],
      'ops-manager': ['ops-manager-1'],
      support: ['support-1'],
      steering: ['steering-1'],
      // Frontline staff sign nothing: one virtual participant all the same.
      frontline: ['frontline-1'],
    });
    const two = {
      ...opsIntegratedDelivery,
      nodes: opsIntegratedDelivery.nodes.map((n) =>
        n.type === 'review'
          ? {
              ...n,
              signoff: {
                rules: [
                  { role: 'steering', min: 2 },
                  { role: 'ops-manager', min: 1 },
                ],
              },
            }
          : n,
      ),
    };
    expect(seatParticipants(two).steering).toEqual(['steering-1', 'steering-2']);
  });

  it('runs the built-in template to its end along the happy path', () => {
    let session = startSimulation(opsIntegratedDelivery);
    const path: string[] = [];
    for (let guard = 0; guard < 100 && session.machine.state.status === 'active'; guard++) {
      const action = happyPathAction(session);
      if (!action) {
        session = advanceToNextDeadline(session);
        continue;
      }
      path.push(action.id);
      const { session: next, rejection } = runSteps(session, action.steps);
      if (rejection) throw new Error(`${action.id} refused: ${rejection.message}`);
      session = next;
    }
    expect(session.machine.state.status).toBe('completed');
    expect(path).toEqual([
      'deliver-all-inception',
      'agree-metrics',
      'signoff-all-inception',
      'deliver-all-operationalization-plan',
      'complete-operationalization-plan',
      'signoff-all-plan-approval',
      'deliver-all-pilot',
      'complete-pilot',
      'signoff-all-pilot-review',
      'deliver-all-handoff',
      'ready-handoff',
      'signoff-all-handoff',
      'signoff-all-hypercare',
      'signoff-all-pir',
      'retire',
    ]);
    const kinds = new Set(
      session.events.map((e) => (e.kind === 'audit' ? e.audit.action : e.notification.kind)),
    );
    expect([...kinds]).toEqual(
      expect.arrayContaining(['project.started', 'gate.decided', 'celebration', 'project.ended']),
    );
    expect(availableActions(session)).toEqual([]);
  });

  it('fires SLA reminders and escalations at their virtual instants', () => {
    let session = startSimulation(opsIntegratedDelivery);
    // Inception's SLA is P10D with reminders 3 and 1 days before: the first fires on day 7.
    session = advanceToNextDeadline(session);
    expect(session.now).toBe(SIM_EPOCH + 7 * DAY);
    const reminder = session.events.find(
      (e) => e.kind === 'notification' && e.notification.kind === 'reminder',
    );
    expect(reminder?.at).toBe(SIM_EPOCH + 7 * DAY);
    session = advanceBy(session, 'P20D')!;
    expect(session.now).toBe(SIM_EPOCH + 27 * DAY);
    const escalations = session.events.filter(
      (e) => e.kind === 'notification' && e.notification.kind === 'escalation',
    );
    expect(escalations.map((e) => (e.at - SIM_EPOCH) / DAY)).toEqual([11, 13]);
    expect(advanceBy(session, 'not a duration')).toBeUndefined();
  });

  it('reports a refusal without changing the project, and honours own scores', () => {
    let session = startSimulation(opsIntegratedDelivery);
    const before = session;
    const sign = availableActions(session).find((a) => a.id === 'signoff-inception-go-pm-1')!;
    const refused = runSteps(session, sign.steps);
    expect(refused.rejection?.code).toBe('missing_deliverable');
    expect(refused.session).toBe(before);
    session = runAction(session, 'deliver-all-inception');
    const node = opsIntegratedDelivery.nodes[0]!;
    const low = { ...fullMarks(node), 'frontline-voice': 2, 'business-case': 2 };
    const lowSign = availableActions(session, { scores: { inception: low } }).find(
      (a) => a.id === 'signoff-inception-go-pm-1',
    )!;
    expect(runSteps(session, lowSign.steps).rejection?.code).toBe('score_below_pass');
    session = runAction(session, 'signoff-inception-kill-ops-lead-1');
    expect(session.machine.state.status).toBe('killed');
  });

  it('offers hypercare issues, KPI readings and hold/resume', () => {
    let session = startSimulation(opsIntegratedDelivery);
    session = runAction(session, 'deliver-all-inception');
    session = runAction(session, 'signoff-inception-hold-pm-1');
    expect(session.machine.state.status).toBe('on_hold');
    session = runAction(session, 'resume');
    expect(session.machine.state.status).toBe('active');
    const kpi = availableActions(session, { kpi: { metric: 'adoption-rate', value: 85 } }).find(
      (a) => a.id === 'record-kpi',
    )!;
    session = runSteps(session, kpi.steps).session;
    expect(session.machine.state.kpis).toHaveLength(1);
    // Jump to hypercare with the happy path, then raise and resolve an issue.
    session = walkTo(session, 'hypercare');
    session = runAction(session, 'raise-issue');
    expect(availableActions(session).map((a) => a.id)).toEqual(
      expect.arrayContaining(['resolve-issue-1', 'extend']),
    );
    session = runAction(session, 'extend');
    session = runAction(session, 'resolve-issue-1');
    expect(session.machine.state.issues[0]!.status).toBe('resolved');
  });
});

describe('simulated hypercare', () => {
  it('extends over a blocking issue at expiry, then asks for exit and escalates', () => {
    let session = startSimulation(opsIntegratedDelivery);
    session = walkTo(session, 'hypercare');
    const entered = session.now;
    session = runAction(session, 'raise-issue');
    // The major issue's own clock runs first: no response in 4 h, no resolution in 2 days.
    session = advanceToNextDeadline(session);
    const actions = () =>
      session.events.flatMap((e) => (e.kind === 'audit' ? [e.audit.action] : []));
    expect(session.now).toBe(entered + DAY / 6);
    expect(actions()).toContain('issue.response-overdue');
    session = advanceBy(session, 'P28D')!;
    expect(session.now).toBe(entered + 28 * DAY + DAY / 6);
    expect(actions()).toEqual(expect.arrayContaining(['issue.overdue', 'issue.escalated']));
    expect(actions()).toContain('hypercare.extended');
    session = runAction(session, 'resolve-issue-1');
    session = advanceToNextDeadline(session);
    expect(session.now).toBe(entered + 35 * DAY);
    expect(actions().filter((a) => a === 'hypercare.expired')).toHaveLength(1);
    // Level 1 fires at expiry (PT0S), level 2 three days later.
    session = advanceBy(session, 'P3D')!;
    const levels = session.events.filter(
      (e) => e.kind === 'audit' && e.audit.action === 'hypercare.escalated',
    );
    expect(levels.map((e) => (e.at - entered) / DAY)).toEqual([35, 38]);
    session = runAction(session, 'signoff-all-hypercare');
    expect(session.machine.state.current).toEqual(['pir']);
  });
});

describe('simulation graph marks', () => {
  it('marks current, done and pending nodes and the edges taken', () => {
    let session = startSimulation(opsIntegratedDelivery);
    expect(nodeStatuses(session)).toMatchObject({ inception: 'current', pilot: 'pending' });
    session = runAction(session, 'deliver-all-inception');
    session = runAction(session, 'agree-metrics');
    session = runAction(session, 'signoff-all-inception');
    expect(nodeStatuses(session)).toMatchObject({
      inception: 'done',
      'operationalization-plan': 'current',
      killed: 'pending',
    });
    expect([...takenEdges(session)]).toEqual(['inception~operationalization-plan']);
  });
});

describe('simulation readiness', () => {
  it('records the handoff’s checklist by whoever each item waits for, and then it signs', () => {
    let session = startSimulation(opsIntegratedDelivery);
    for (let guard = 0; guard < 50; guard++) {
      const action = happyPathAction(session)!;
      if (action.id === 'ready-handoff') break;
      session = runSteps(session, action.steps).session;
    }
    const ready = availableActions(session).find((a) => a.id === 'ready-handoff')!;
    expect(ready.kind).toBe('record-readiness');
    expect(ready.label).toBe('Record "Formal handoff" ready (7 open items)');
    // Groups and training by the owner (pm), the support model by an operations participant.
    expect(ready.steps.map((s) => s.actor)).toEqual([...Array(6).fill('pm-1'), 'ops-lead-1']);
    // Before it, a go is refused with the reason.
    const refused = runSteps(
      session,
      availableActions(session).find((a) => a.id === 'signoff-all-handoff')!.steps,
    );
    expect(refused.rejection?.code).toBe('not_ready');
    session = runAction(session, 'ready-handoff');
    expect(session.machine.state.nodes.handoff?.readiness?.supportModel).toMatchObject({
      inPlace: true,
      role: 'ops-lead',
    });
    session = runAction(session, 'signoff-all-handoff');
    expect(session.machine.state.current).toEqual(['hypercare']);
  });
});
