/**
 * The simulation's hypercare actions: raise an issue (with the severity and title of the
 * inputs), take an open issue on, respond to it and resolve it, extend hypercare. Offered from
 * `nextActions` like every other simulated action, so the simulation refuses what the workflow
 * would.
 */
import type { NextActionKind } from '../../../workflows/lifecycle';
import type { Node as TemplateNode } from '../../../workflows/model';
import { stepOf, type Offer, type SimAction, type SimInputs } from './sim-actions';
import type { SimSession } from './simulation';

/** A current hypercare node's actions, each by whoever `offer` finds it offered to. */
export function hypercareActions(
  session: SimSession,
  node: TemplateNode,
  inputs: SimInputs,
  offer: (kind: NextActionKind, itemId?: string) => Offer | undefined,
): SimAction[] {
  if (node.type !== 'hypercare') return [];
  const actions: SimAction[] = [];
  const issue = inputs.issue ?? { severity: 2, title: 'Simulated issue' };
  const raise = offer('raise-issue');
  if (raise) {
    actions.push({
      id: 'raise-issue',
      kind: 'raise-issue',
      label: `Raise S${issue.severity} issue "${issue.title}"`,
      nodeId: node.id,
      steps: [stepOf(raise, { type: 'raiseIssue', severity: issue.severity, title: issue.title })],
    });
  }
  for (const open of session.machine.state.issues) {
    const acknowledge = offer('acknowledge-issue', open.id);
    if (acknowledge) {
      actions.push({
        id: `acknowledge-${open.id}`,
        kind: 'acknowledge-issue',
        label: `Take on S${open.severity} "${open.title}"`,
        nodeId: node.id,
        steps: [stepOf(acknowledge, { type: 'acknowledgeIssue', issueId: open.id })],
      });
    }
    const respond = offer('respond-issue', open.id);
    if (respond) {
      actions.push({
        id: `respond-${open.id}`,
        kind: 'respond-issue',
        label: `Respond to S${open.severity} "${open.title}"`,
        nodeId: node.id,
        steps: [
          stepOf(respond, {
            type: 'respondToIssue',
            issueId: open.id,
            text: 'Simulated response',
          }),
        ],
      });
    }
    const resolve = offer('resolve-issue', open.id);
    if (!resolve) continue;
    actions.push({
      id: `resolve-${open.id}`,
      kind: 'resolve-issue',
      label: `Resolve S${open.severity} "${open.title}"`,
      nodeId: node.id,
      steps: [stepOf(resolve, { type: 'resolveIssue', issueId: open.id })],
    });
  }
  const extend = offer('extend-hypercare');
  if (extend) {
    actions.push({
      id: 'extend',
      kind: 'extend',
      label: `Extend by ${node.extendBy ?? ''}`,
      nodeId: node.id,
      steps: [stepOf(extend, { type: 'extendHypercare', reason: 'Simulated extension' })],
    });
  }
  return actions;
}
