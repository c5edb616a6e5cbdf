/**
 * The one "next actions" function: what it offers, the interpreter accepts; what the inbox
 * shows (`pendingActions`) is its pending part.
 */
import fc from 'fast-check';
import { nextActions, pendingActions, type NextAction } from '../../workflows/lifecycle';
import { SIM_PMO, Simulator, type SimCommand } from '../../workflows/lifecycle/simulation';
import {
  blocksExit,
  fullMarks,
  missingDeliverables,
  opsIntegratedDelivery,
  seatParticipants,
  type Template,
} from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

/** The command a participant sends for an offered action (undefined: no command of its own). */
function commandOf(template: Template, a: NextAction, choice: number): SimCommand | undefined {
  const nodeId = a.nodeId ?? '';
  const node = template.nodes.find((n) => n.id === nodeId);
  switch (a.action) {
    case 'signoff':
    case 'accept-hypercare': {
      const decisions = a.decisions ?? [];
      const decision = decisions[choice % decisions.length]!;
      const criteria = node && decision === 'go' ? fullMarks(node) : {};
      return { type: 'signoff', nodeId, decision, role: a.roles[0]!, criteria };
    }
    case 'submit-deliverable':
      return { type: 'deliverable', nodeId, deliverableId: a.itemId ?? '', text: 'done' };
    case 'complete-stage':
      return { type: 'complete', nodeId };
    case 'resume':
      return { type: 'resume', reason: 'again' };
    case 'meet-condition':
      return { type: 'conditionMet', conditionId: a.itemId ?? '' };
    case 'raise-issue':
      return { type: 'raiseIssue', severity: 1 + (choice % 3), title: 'an issue' };
    case 'resolve-issue':
      return { type: 'resolveIssue', issueId: a.itemId ?? '' };
    case 'extend-hypercare':
      return { type: 'extendHypercare', reason: 'more time' };
    case 'retire':
      return { type: 'retire', reason: 'steady' };
    case 'record-kpi':
      return { type: 'recordKpi', metric: template.metrics![0]!.key, value: choice };
    case 'cancel':
      return { type: 'cancel', reason: 'stop' };
    case 'kpi-review':
      return undefined;
  }
}

/** Offers the interpreter refuses by design: a sign-off it lists before the work is in. */
function waitsForWork(sim: Simulator, a: NextAction, command: SimCommand): boolean {
  if (command.type !== 'signoff' || command.decision !== 'go') return false;
  const node = sim.machine.template.nodes.find((n) => n.id === a.nodeId);
  const rec = sim.state.nodes[a.nodeId ?? ''];
  if (node?.type === 'gate') {
    return missingDeliverables(node, rec).length > 0;
  }
  if (node?.type === 'hypercare' && rec?.hypercare?.phase === 'running') {
    return sim.state.issues.some(
      (i) =>
        i.nodeId === node.id &&
        i.status === 'open' &&
        blocksExit(i.severity, node.blockingSeverity),
    );
  }
  return false;
}

/** Acts `steps` times, each time one offered action chosen by `choices`; checks each one. */
function walk(template: Template, choices: readonly number[]): Simulator {
  const participants = seatParticipants(template);
  const sim = new Simulator(template, { participants, ...unitProject, startedBy: SIM_PMO });
  const users = [...new Set(Object.values(participants).flat())];
  for (const choice of choices) {
    if (sim.state.status !== 'active' && sim.state.status !== 'on_hold') break;
    const offers = [
      ...users.flatMap((u) =>
        nextActions(sim.state, template, u).map((a) => ({ user: u, pmo: false, a })),
      ),
      ...nextActions(sim.state, template, SIM_PMO, { pmo: true }).map((a) => ({
        user: SIM_PMO,
        pmo: true,
        a,
      })),
    ];
    for (const u of users) {
      const pending = pendingActions(sim.state, template, u);
      const offered = nextActions(sim.state, template, u).filter((a) => a.pending);
      expect(pending.map((p) => [p.action, p.nodeId, p.itemId])).toEqual(
        offered.map((a) => [a.action, a.nodeId, a.itemId]),
      );
    }
    // Cancelling ends every walk at once: take it only now and then.
    const usable = offers.filter((o) => o.a.action !== 'cancel' || choice % 17 === 0);
    if (usable.length === 0) break;
    const { user, pmo, a } = usable[choice % usable.length]!;
    const command = commandOf(template, a, choice);
    if (!command || waitsForWork(sim, a, command)) continue;
    const decision = sim.act(user, command, pmo);
    expect([a.action, decision.ok ? 'accepted' : decision.rejection]).toEqual([
      a.action,
      'accepted',
    ]);
  }
  return sim;
}

describe('next actions', () => {
  it('offers the stage owner the deliverables and the completion once they are in', () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const pm = miniParticipants.pm![0]!;
    const offered = () =>
      nextActions(sim.state, miniTemplate, pm).map((a) => [a.action, a.itemId, a.pending]);
    expect(offered()).toEqual([
      ['submit-deliverable', 'runbook', true],
      ['submit-deliverable', 'faq', false],
      ['record-kpi', undefined, false],
    ]);
    sim.must(pm, { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'r' });
    expect(offered()).toContainEqual(['complete-stage', undefined, true]);
    expect(
      nextActions(sim.state, miniTemplate, 'pmo-1', { pmo: true }).map((a) => a.action),
    ).toEqual(['cancel']);
  });

  it('property: every action offered is accepted, on the built-in template', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 60, maxLength: 60 }), (choices) => {
        walk(opsIntegratedDelivery, choices);
      }),
      { numRuns: 30 },
    );
  });

  it('property: every action offered is accepted, on any valid template', () => {
    fc.assert(
      fc.property(
        arbValidTemplate(),
        fc.array(fc.nat(), { minLength: 40, maxLength: 40 }),
        (t, c) => {
          walk(t, c);
        },
      ),
      { numRuns: 60 },
    );
  });
});
