/**
 * A decision shares what it does not change with the state it came from (`copyState`: the
 * node records it does not take in hand, the timeline's entries, the keys). Shared parts must
 * never change in place: a state once published (to the outbox, to a query, to the previous
 * answer) stays what it was. Each walk below acts on a deeply frozen state, so any change in
 * place throws, and beside a twin that acts on a fresh copy each time, so sharing can never
 * make a decision differ from one on a private copy.
 */
import fc from 'fast-check';
import { nextActions } from '../../workflows/lifecycle';
import { SIM_PMO, Simulator } from '../../workflows/lifecycle/simulation';
import { opsIntegratedDelivery, seatParticipants, type Template } from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';
import { commandOf, postsFeedback, waitsForWork } from '../fixtures/offered-commands';
import { unitProject } from '../fixtures/unit-project';

const HOUR = 3_600_000;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}

/** The twin's state, copied afresh: nothing it holds is shared with an earlier state. */
function unshare(sim: Simulator): void {
  const { machine } = sim.session;
  sim.session = {
    ...sim.session,
    machine: { ...machine, state: JSON.parse(JSON.stringify(machine.state)) },
  };
}

/** Acts on `frozen` and its twin alike; both must agree after every step. */
function walk(template: Template, choices: readonly number[]): void {
  const participants = seatParticipants(template);
  const options = { participants, ...unitProject, startedBy: SIM_PMO };
  const [frozen, twin] = [new Simulator(template, options), new Simulator(template, options)];
  const users = [...new Set(Object.values(participants).flat())];
  const same = () => expect(JSON.stringify(frozen.state)).toBe(JSON.stringify(twin.state));
  for (const choice of choices) {
    if (frozen.state.status !== 'active' && frozen.state.status !== 'on_hold') break;
    deepFreeze(frozen.state);
    unshare(twin);
    // Now and then time passes: the deadlines due fire on the frozen state too.
    if (choice % 11 === 5) {
      const by = (choice % 5) * 24 * HOUR + HOUR;
      frozen.advance(by);
      twin.advance(by);
      same();
      continue;
    }
    const post = postsFeedback(choice, users);
    const offers = [
      ...users.flatMap((u) =>
        nextActions(frozen.state, template, u).map((a) => ({ user: u, pmo: false, a })),
      ),
      ...nextActions(frozen.state, template, SIM_PMO, { pmo: true }).map((a) => ({
        user: SIM_PMO,
        pmo: true,
        a,
      })),
    ].filter((o) => o.a.action !== 'cancel' || choice % 17 === 0);
    const picked = offers[choice % Math.max(offers.length, 1)];
    const act = post
      ? { user: post.user, pmo: false, command: post.command }
      : picked && {
          user: picked.user,
          pmo: picked.pmo,
          command: commandOf(template, picked.a, choice),
        };
    if (!act?.command || (picked && !post && waitsForWork(frozen, picked.a, act.command))) {
      continue;
    }
    const decision = frozen.act(act.user, act.command, act.pmo);
    expect(decision).toEqual(twin.act(act.user, act.command, act.pmo));
    same();
  }
}

describe('decisions on shared state', () => {
  it('property: never change a state in place, and decide as on a private copy (built-in)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 80, maxLength: 80 }), (choices) => {
        walk(opsIntegratedDelivery, choices);
      }),
      { numRuns: 30 },
    );
  });

  it('property: the same on any valid template', () => {
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
