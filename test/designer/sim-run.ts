/**
 * What the simulation tests share: run one action of those the simulation panel offers, as a
 * user clicking it would, failing the test with what was offered or why it was refused; and
 * walk the happy path to a node.
 */
import {
  availableActions,
  happyPathAction,
  type SimInputs,
} from '../../designer/src/logic/sim-actions';
import { runSteps, type SimSession } from '../../designer/src/logic/simulation';

export function runAction(session: SimSession, id: string, inputs: SimInputs = {}): SimSession {
  const action = availableActions(session, inputs).find((a) => a.id === id);
  if (!action) {
    const offered = availableActions(session, inputs).map((a) => a.id);
    throw new Error(`no action ${id}: ${offered.join(', ')}`);
  }
  const { session: next, rejection } = runSteps(session, action.steps);
  if (rejection) throw new Error(`${id} refused: ${rejection.message}`);
  return next;
}

/** Happy-path steps until the project stands in `node`. */
export function walkTo(session: SimSession, node: string): SimSession {
  for (let i = 0; i < 200 && !session.machine.state.current.includes(node); i++) {
    session = runSteps(session, happyPathAction(session)!.steps).session;
  }
  expect(session.machine.state.current).toContain(node);
  return session;
}
