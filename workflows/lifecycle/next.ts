/**
 * What a user can do next in a project, with its target: the one "next actions" function.
 * The inbox and the designer's "your turn" take the actions marked `pending` (`pendingActions`);
 * the designer's simulation, the bench plan and the test drivers pick their steps from all of
 * them. Derived from state and template with the rules the handlers enforce, never a throw.
 */
import {
  allowedDecisions,
  missingDeliverables,
  signerRoles,
  type Decision,
  type Node,
  type NodeRecord,
  type ProjectState,
  type RoleKey,
  type Template,
} from '../model';

/** Actions that make an inbox item: the project waits for them. */
export const PENDING_ACTIONS = [
  'signoff',
  'accept-hypercare',
  'submit-deliverable',
  'complete-stage',
  'resume',
  'meet-condition',
  'kpi-review',
] as const;

export const NEXT_ACTIONS = [
  ...PENDING_ACTIONS,
  'raise-issue',
  'resolve-issue',
  'extend-hypercare',
  'retire',
  'record-kpi',
  'cancel',
] as const;
export type NextActionKind = (typeof NEXT_ACTIONS)[number];

export interface NextAction {
  action: NextActionKind;
  /** The node acted on; absent for project-wide actions (record a KPI, cancel). */
  nodeId?: string;
  /** Roles of the user that allow it (empty when only the PMO's standing does). */
  roles: RoleKey[];
  /** When it is due (SLA, condition or hypercare expiry), epoch ms. */
  dueAt?: number;
  /** The deliverable, condition or issue concerned. */
  itemId?: string;
  detail?: string;
  /** A sign-off's allowed decisions. */
  decisions?: Decision[];
  /** A deliverable the node requires. */
  required?: boolean;
  /** The project waits for it: an item of the user's inbox. */
  pending: boolean;
}

export interface NextOptions {
  /** The user acts as the PMO (resume, retire, mark a condition met, cancel). */
  pmo?: boolean;
}

/** Everything `userId` can do in the project now, node by node, then conditions, then the rest. */
export function nextActions(
  state: ProjectState,
  template: Template,
  userId: string,
  options: NextOptions = {},
): NextAction[] {
  if (state.status !== 'active' && state.status !== 'on_hold') return [];
  const pmo = options.pmo ?? false;
  const held = Object.entries(state.participants)
    .filter(([, users]) => users.includes(userId))
    .map(([role]) => role);
  const out: NextAction[] = [];
  for (const id of state.current) {
    const node = template.nodes.find((n) => n.id === id);
    const rec = state.nodes[id];
    if (node && rec) out.push(...onNode(state, node, rec, userId, held, pmo));
  }
  for (const c of state.conditions) {
    if (c.status === 'met' || (!held.includes(c.owner) && !pmo)) continue;
    if (!template.nodes.some((n) => n.id === c.nodeId)) continue;
    const owns = held.includes(c.owner);
    out.push({
      action: 'meet-condition',
      nodeId: c.nodeId,
      roles: owns ? [c.owner] : [],
      itemId: c.id,
      detail: c.text,
      dueAt: c.dueAt,
      pending: owns,
    });
  }
  if (held.length > 0 && (template.metrics ?? []).length > 0) {
    out.push({ action: 'record-kpi', roles: held, pending: false });
  }
  const signsCurrent = state.current.some((id) => {
    const node = template.nodes.find((n) => n.id === id);
    return node !== undefined && node.type !== 'hypercare' && mine(held, signerRoles(node)).length;
  });
  if (pmo || signsCurrent) out.push({ action: 'cancel', roles: [], pending: false });
  return out;
}

function onNode(
  state: ProjectState,
  node: Node,
  rec: NodeRecord,
  userId: string,
  held: RoleKey[],
  pmo: boolean,
): NextAction[] {
  const out: NextAction[] = [];
  const at = { nodeId: node.id };
  const due = rec.dueAt !== undefined ? { dueAt: rec.dueAt } : {};
  if (rec.status === 'on_hold') {
    // Only a gate is held (a `hold` decision); its signers or the PMO resume it.
    const roles = node.type === 'gate' ? mine(held, signerRoles(node)) : [];
    if (roles.length > 0 || pmo)
      out.push({ action: 'resume', ...at, roles, pending: roles.length > 0 });
    return out;
  }
  const signers = mine(held, signerRoles(node));
  if (signers.length > 0 && !rec.votes.some((v) => v.userId === userId)) {
    const decisions = allowedDecisions(node);
    if (node.type === 'hypercare') {
      const awaiting = rec.hypercare?.phase === 'awaiting_exit';
      out.push({ action: 'accept-hypercare', ...at, roles: signers, decisions, pending: awaiting });
    } else {
      out.push({ action: 'signoff', ...at, roles: signers, decisions, ...due, pending: true });
    }
  }
  if ((node.type === 'stage' || node.type === 'gate') && held.length > 0) {
    const owner = node.owner;
    const owns = owner === undefined || held.includes(owner);
    const roles = owner !== undefined && owns ? [owner] : held;
    for (const d of missingDeliverables(node, rec, 'all')) {
      out.push({
        action: 'submit-deliverable',
        ...at,
        roles,
        itemId: d.id,
        detail: d.name,
        required: d.required,
        ...due,
        pending: d.required && owns,
      });
    }
    if (node.type === 'stage' && owns && missingDeliverables(node, rec).length === 0) {
      out.push({ action: 'complete-stage', ...at, roles, ...due, pending: owner !== undefined });
    }
  }
  if (node.type === 'hypercare' && rec.hypercare) {
    if (held.length > 0) {
      out.push({ action: 'raise-issue', ...at, roles: held, pending: false });
      for (const issue of state.issues) {
        if (issue.nodeId !== node.id || issue.status !== 'open') continue;
        const resolve = { itemId: issue.id, detail: issue.title };
        out.push({ action: 'resolve-issue', ...at, roles: held, ...resolve, pending: false });
      }
    }
    if (
      signers.length > 0 &&
      node.extendBy &&
      rec.hypercare.extensions < (node.maxExtensions ?? 0)
    ) {
      out.push({ action: 'extend-hypercare', ...at, roles: signers, pending: false });
    }
  }
  if (node.type === 'monitor') {
    const roles = mine(held, node.reviewers);
    if (roles.length > 0 && rec.monitor) {
      out.push({
        action: 'kpi-review',
        ...at,
        roles,
        dueAt: rec.monitor.nextReviewAt,
        pending: true,
      });
    }
    if (roles.length > 0 || pmo) out.push({ action: 'retire', ...at, roles, pending: false });
  }
  return out;
}

/** The roles of `roles` the user holds. */
function mine(held: readonly RoleKey[], roles: readonly RoleKey[]): RoleKey[] {
  return roles.filter((role) => held.includes(role));
}
