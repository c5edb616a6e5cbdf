/**
 * What a user must act on in a project, derived from its state and template: the approver's
 * inbox and the designer's "your turn" markers use the same pure function.
 */
import type { Node, ProjectState, Template } from '../model';

export const PENDING_ACTIONS = [
  'signoff',
  'accept-hypercare',
  'submit-deliverable',
  'complete-stage',
  'resume',
  'meet-condition',
  'kpi-review',
] as const;

export interface PendingAction {
  projectId: string;
  projectName: string;
  nodeId: string;
  nodeName: string;
  action: (typeof PENDING_ACTIONS)[number];
  /** Roles of the user that make this theirs. */
  roles: string[];
  /** When it is due (SLA, condition or hypercare expiry), epoch ms. */
  dueAt?: number;
  /** The deliverable or condition concerned. */
  itemId?: string;
  detail?: string;
  /** Delegation: the participant the caller would act for (the API adds it). */
  onBehalfOf?: { id: string; name: string };
}

/** What a delegate may do for a participant: sign (every other action stays the participant's). */
export const DELEGABLE_ACTIONS: readonly PendingAction['action'][] = [
  'signoff',
  'accept-hypercare',
];

export function pendingActions(
  state: ProjectState,
  template: Template,
  userId: string,
): PendingAction[] {
  if (state.status !== 'active' && state.status !== 'on_hold') return [];
  const held = Object.entries(state.participants)
    .filter(([, users]) => users.includes(userId))
    .map(([role]) => role);
  const out: PendingAction[] = [];
  const add = (
    node: Node,
    action: PendingAction['action'],
    roles: string[],
    extra: Partial<PendingAction> = {},
  ) =>
    out.push({
      projectId: state.id,
      projectName: state.name,
      nodeId: node.id,
      nodeName: node.name,
      action,
      roles,
      ...extra,
    });

  for (const id of state.current) {
    const node = template.nodes.find((n) => n.id === id);
    const rec = state.nodes[id];
    if (!node || !rec) continue;
    const dueAt = rec.dueAt;
    if (rec.status === 'on_hold') {
      const rules = node.type === 'gate' ? node.signoff.rules : [];
      const roles = rules.map((r) => r.role).filter((r) => held.includes(r));
      if (roles.length) add(node, 'resume', roles);
      continue;
    }
    if (node.type === 'gate' || node.type === 'review' || node.type === 'hypercare') {
      const rules = node.type === 'hypercare' ? node.exit.rules : node.signoff.rules;
      const roles = rules.map((r) => r.role).filter((r) => held.includes(r));
      const signed = rec.votes.some((v) => v.userId === userId);
      if (roles.length && !signed) {
        if (node.type === 'hypercare') {
          if (rec.hypercare?.phase === 'awaiting_exit') add(node, 'accept-hypercare', roles);
        } else {
          add(node, 'signoff', roles, dueAt !== undefined ? { dueAt } : {});
        }
      }
    }
    if ((node.type === 'stage' || node.type === 'gate') && held.length > 0) {
      const owner = node.owner;
      if (!owner || held.includes(owner)) {
        for (const d of (node.deliverables ?? []).filter(
          (x) => x.required && !rec.deliverables[x.id],
        )) {
          add(node, 'submit-deliverable', owner ? [owner] : held, {
            itemId: d.id,
            detail: d.name,
            ...(dueAt !== undefined && { dueAt }),
          });
        }
      }
      if (node.type === 'stage' && owner && held.includes(owner)) {
        const ready = node.deliverables.every((d) => !d.required || rec.deliverables[d.id]);
        if (ready) add(node, 'complete-stage', [owner], dueAt !== undefined ? { dueAt } : {});
      }
    }
    if (node.type === 'monitor') {
      const roles = node.reviewers.filter((r) => held.includes(r));
      if (roles.length && rec.monitor)
        add(node, 'kpi-review', roles, { dueAt: rec.monitor.nextReviewAt });
    }
  }
  for (const c of state.conditions) {
    if (c.status === 'met' || !held.includes(c.owner)) continue;
    const node = template.nodes.find((n) => n.id === c.nodeId);
    if (node)
      add(node, 'meet-condition', [c.owner], { itemId: c.id, detail: c.text, dueAt: c.dueAt });
  }
  return out;
}
