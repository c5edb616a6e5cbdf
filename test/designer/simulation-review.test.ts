/**
 * The simulation records a PIR's decisions and follow-up actions (issue 13, item 3): walked to
 * the built-in's post-implementation review, its reviewers decide and set an action for the
 * support role, whose virtual participant completes it, while the project moves on.
 */
import { availableActions, happyPathAction } from '../../designer/src/logic/sim-actions';
import { runSteps, startSimulation } from '../../designer/src/logic/simulation';
import { opsIntegratedDelivery } from '../../workflows/model';
import { runAction, walkTo } from './sim-run';

/** What the reviewers decide and the follow-up action they set. */
const review = {
  reviewDecision: 'Extend the rollout to region B',
  followUp: { text: 'Refresher training for the night shift', due: 'P14D', owner: 'support' },
};

it('records a PIR decision and a follow-up action, which its owner completes', () => {
  let session = startSimulation(opsIntegratedDelivery);
  session = walkTo(session, 'pir');
  expect(session.machine.state.current).toEqual(['pir']);
  session = runAction(session, 'review-decision-pir', review);
  session = runAction(session, 'review-action-pir', review);
  const { state } = session.machine;
  expect(state.nodes.pir!.review!.decisions).toEqual([
    expect.objectContaining({ text: 'Extend the rollout to region B', by: 'steering-1' }),
  ]);
  expect(state.conditions.at(-1)).toMatchObject({
    id: 'pir-1-a1',
    kind: 'review-action',
    owner: 'support',
    setBy: 'steering-1',
  });
  // The happy path signs the review (its criteria at full marks) and monitoring begins.
  session = runSteps(session, happyPathAction(session)!.steps).session;
  expect(session.machine.state.current).toEqual(['kpi-monitoring']);
  const done = availableActions(session).find((a) => a.id === 'review-action-done-pir-1-a1');
  expect(done?.steps.map((s) => s.actor)).toEqual(['support-1']);
  session = runAction(session, 'review-action-done-pir-1-a1', review);
  expect(session.machine.state.conditions.at(-1)).toMatchObject({
    status: 'met',
    metBy: 'support-1',
  });
  expect(availableActions(session).map((a) => a.kind)).not.toContain('review-action-done');
});
