/**
 * The one "next actions" function: what it offers, the interpreter accepts; what the inbox
 * shows (`pendingActions`) is its pending part.
 */
import fc from 'fast-check';
import { nextActions, pendingActions } from '../../workflows/lifecycle';
import { SIM_PMO, Simulator } from '../../workflows/lifecycle/simulation';
import { opsIntegratedDelivery, seatParticipants, type Template } from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';
import { commandOf, postsFeedback, waitsForWork } from '../fixtures/offered-commands';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { unitProject } from '../fixtures/unit-project';

/** The actions that decide a node: the inbox lists them after the node's other work. */
const SIGNING: readonly string[] = ['signoff', 'accept-hypercare'];

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
      const key = (a: { action: string; nodeId?: string; itemId?: string }) =>
        JSON.stringify([a.action, a.nodeId, a.itemId]);
      // The same actions; all but the signing ones in the interpreter's order; a node's
      // signing after the node's other work.
      expect(pending.map(key).sort()).toEqual(offered.map(key).sort());
      const work = <T extends { action: string }>(list: T[]) =>
        list.filter((a) => !SIGNING.includes(a.action));
      expect(work(pending).map(key)).toEqual(work(offered).map(key));
      pending.forEach((a, i) => {
        if (!SIGNING.includes(a.action)) return;
        const after = pending.slice(i + 1).filter((b) => b.nodeId === a.nodeId);
        expect(after.map((b) => b.action).filter((b) => !SIGNING.includes(b))).toEqual([]);
      });
    }
    // Now and then someone posts feedback, which its stewards are then offered to answer.
    const post = postsFeedback(choice, users);
    if (post) {
      sim.must(post.user, post.command);
      continue;
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
      ['set-metrics', undefined, false],
    ]);
    sim.must(pm, { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'r' });
    expect(offered()).toContainEqual(['complete-stage', undefined, true]);
    expect(
      nextActions(sim.state, miniTemplate, 'pmo-1', { pmo: true }).map((a) => a.action),
    ).toEqual(['cancel']);
  });

  it("lists a gate's deliverables before its sign-off, which needs them", () => {
    const sim = new Simulator(miniTemplate, { participants: miniParticipants, ...unitProject });
    const pm = miniParticipants.pm![0]!;
    sim.must(pm, { type: 'deliverable', nodeId: 'plan', deliverableId: 'runbook', text: 'r' });
    sim.must(pm, { type: 'complete', nodeId: 'plan' });
    expect(pendingActions(sim.state, miniTemplate, pm).map((a) => [a.action, a.nodeId])).toEqual([
      ['submit-deliverable', 'approval'],
      ['signoff', 'approval'],
    ]);
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
