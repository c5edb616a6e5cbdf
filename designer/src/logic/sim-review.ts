/**
 * The simulation's post-implementation review actions: while a review is current its reviewers
 * record a decision and set a follow-up action; an open follow-up action's owner completes it.
 * Offered from `nextActions` like every other simulated action, so the simulation refuses what
 * the workflow would.
 */
import type { NextAction, NextActionKind } from '../../../workflows/lifecycle';
import { reviewerRoles, type Node as TemplateNode } from '../../../workflows/model';
import { stepOf, type Offer, type SimAction, type SimInputs } from './sim-actions';
import type { SimSession } from './simulation';

/** A current review's decision and follow-up action, by one of its reviewers. */
export function reviewActions(
  node: TemplateNode,
  inputs: SimInputs,
  offer: (kind: NextActionKind, prefer: readonly string[]) => Offer | undefined,
): SimAction[] {
  if (node.type !== 'review') return [];
  const actions: SimAction[] = [];
  const decide = offer('review-decision', reviewerRoles(node));
  if (decide) {
    const text = inputs.reviewDecision ?? 'Keep the result as it runs';
    actions.push({
      id: `review-decision-${node.id}`,
      kind: 'review-decision',
      label: `Record decision "${text}"`,
      nodeId: node.id,
      steps: [stepOf(decide, { type: 'reviewDecision', nodeId: node.id, text })],
    });
  }
  const set = offer('review-action', reviewerRoles(node));
  if (set) {
    const followUp = inputs.followUp ?? {
      text: 'Refresher training',
      due: 'P30D',
      owner: node.owner ?? set.action.roles[0]!,
    };
    actions.push({
      id: `review-action-${node.id}`,
      kind: 'review-action',
      label: `Set follow-up "${followUp.text}" (${followUp.owner}, due ${followUp.due})`,
      nodeId: node.id,
      steps: [stepOf(set, { type: 'reviewAction', nodeId: node.id, ...followUp })],
    });
  }
  return actions;
}

/** Each open follow-up action of a review, done by its owner. */
export function followUpDoneActions(
  session: SimSession,
  offer: (match: (a: NextAction) => boolean) => Offer | undefined,
): SimAction[] {
  return session.machine.state.conditions.flatMap((c) => {
    const done = offer((a) => a.action === 'complete-review-action' && a.itemId === c.id);
    if (!done) return [];
    return [
      {
        id: `review-action-done-${c.id}`,
        kind: 'review-action-done' as const,
        label: `Mark follow-up done: ${c.text}`,
        nodeId: c.nodeId,
        steps: [stepOf(done, { type: 'reviewActionDone', actionId: c.id, note: 'Done' })],
      },
    ];
  });
}
