/**
 * What a user can do next in a project, with its target: the one "next actions" function.
 * The inbox and the designer's "your turn" take the actions marked `pending` (`pendingActions`);
 * the designer's simulation, the bench plan and the test drivers pick their steps from all of
 * them. Derived from state and template with the rules the handlers enforce, never a throw.
 */
import { missingDeliverables } from '../model/deliverables';
import { feedbackStewardRoles, issueResponderRoles, ownersOf, reviewerRoles } from '../model/duty';
import { metricsLocked } from '../model/project-metrics';
import { readinessOf } from '../model/readiness';
import { allowedDecisions, signerRoles } from '../model/signers';
import type {
  Decision,
  Node,
  NodeOf,
  NodeRecord,
  ProjectStateData,
  RoleKey,
  Template,
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
  'agree-metrics',
  'record-readiness',
  'acknowledge-issue',
  'resolve-issue',
  'complete-review-action',
  'answer-feedback',
] as const;

export const NEXT_ACTIONS = [
  ...PENDING_ACTIONS,
  'raise-issue',
  'respond-issue',
  'review-decision',
  'review-action',
  'extend-hypercare',
  'retire',
  'record-kpi',
  'set-metrics',
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
  state: ProjectStateData,
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
    if (node && rec) out.push(...onNode(state, template, node, rec, userId, held, pmo));
  }
  for (const c of state.conditions) {
    if (c.status === 'met' || !template.nodes.some((n) => n.id === c.nodeId)) continue;
    if (c.kind === 'review-action') {
      // A review's follow-up action is its owner's alone: the assignee, else the role.
      const owns = c.assignee !== undefined ? c.assignee === userId : held.includes(c.owner);
      if (!owns) continue;
      const { nodeId, id: itemId, text: detail, dueAt } = c;
      const roles = held.includes(c.owner) ? [c.owner] : [];
      out.push({
        action: 'complete-review-action',
        nodeId,
        roles,
        itemId,
        detail,
        dueAt,
        pending: true,
      });
      continue;
    }
    if (!held.includes(c.owner) && !pmo) continue;
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
  out.push(...onFeedback(state, template, userId, held, pmo));
  if (held.length > 0 && (template.metrics ?? []).length > 0) {
    out.push({ action: 'record-kpi', roles: held, pending: false });
  }
  out.push(...onMetrics(state, template, held));
  const signsCurrent = state.current.some((id) => {
    const node = template.nodes.find((n) => n.id === id);
    return node !== undefined && node.type !== 'hypercare' && mine(held, signerRoles(node)).length;
  });
  if (pmo || signsCurrent) out.push({ action: 'cancel', roles: [], pending: false });
  return out;
}

function onNode(
  state: ProjectStateData,
  template: Template,
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
      // Once hypercare expired, accepting its end is overdue: due since the expiry, so the exit
      // signer's to-do list says how late it is and puts it first, as its escalations climb.
      const expiredAt = awaiting ? rec.hypercare?.expiredAt : undefined;
      out.push({
        action: 'accept-hypercare',
        ...at,
        roles: signers,
        decisions,
        ...(expiredAt !== undefined && { dueAt: expiredAt }),
        pending: awaiting,
      });
    } else {
      out.push({ action: 'signoff', ...at, roles: signers, decisions, ...due, pending: true });
    }
  }
  if (node.type === 'review') {
    const roles = mine(held, reviewerRoles(node));
    if (roles.length > 0) {
      out.push({ action: 'review-decision', ...at, roles, pending: false });
      out.push({ action: 'review-action', ...at, roles, pending: false });
    }
  }
  if ((node.type === 'stage' || node.type === 'gate') && held.length > 0) {
    const owners = ownersOf(node);
    const owned = mine(held, owners);
    const owns = owners.length === 0 || owned.length > 0;
    const roles = owned.length > 0 ? owned : held;
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
      out.push({ action: 'complete-stage', ...at, roles, ...due, pending: owners.length > 0 });
    }
    if (node.type === 'gate') out.push(...onReadiness(template, node, rec, held, owned, due));
  }
  if (node.type === 'hypercare' && rec.hypercare) {
    if (held.length > 0) {
      out.push({ action: 'raise-issue', ...at, roles: held, pending: false });
      out.push(...onIssues(state, template, node, held));
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
    // A monitor with `reviewWithin` waits for the open review only; one without it has no
    // review to do, and its reviewers are reminded of the next one.
    const open = rec.monitor?.open;
    if (roles.length > 0 && node.reviewWithin !== undefined && open) {
      const item = { itemId: String(open.number), dueAt: open.dueAt };
      out.push({ action: 'kpi-review', ...at, roles, ...item, pending: true });
    } else if (roles.length > 0 && node.reviewWithin === undefined && rec.monitor) {
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

/**
 * A current gate's readiness checklist: each gap is an item of the owners' inbox (the support
 * model of its operations participants'); anyone taking part records readiness while it is open.
 */
function onReadiness(
  template: Template,
  node: NodeOf<'gate'>,
  rec: NodeRecord,
  held: RoleKey[],
  owned: RoleKey[],
  due: { dueAt?: number },
): NextAction[] {
  const view = readinessOf(node, rec);
  if (!view) return [];
  const ops = template.roles.filter((r) => r.operations && held.includes(r.key)).map((r) => r.key);
  const at = { action: 'record-readiness' as const, nodeId: node.id };
  const out: NextAction[] = [];
  for (const gap of view.gaps) {
    const support = gap.path[0] === 'supportModel';
    // The support model is for operations to confirm: nobody else is offered it.
    if (support && ops.length === 0) continue;
    const roles = support ? ops : owned.length > 0 ? owned : held;
    const itemId = gap.path.join(':');
    out.push({
      ...at,
      roles,
      itemId,
      detail: gap.message,
      ...due,
      pending: support || owned.length > 0,
    });
  }
  if (out.length === 0) out.push({ ...at, roles: held, pending: false });
  return out;
}

/**
 * Co-created metrics while they are open: any participant sets them (when the template has
 * metrics); an operations participant agrees them, which the project waits for while a current
 * gate needs that agreement.
 */
function onMetrics(state: ProjectStateData, template: Template, held: RoleKey[]): NextAction[] {
  if (held.length === 0 || metricsLocked(template, state)) return [];
  const out: NextAction[] = [];
  if ((template.metrics ?? []).length > 0) {
    out.push({ action: 'set-metrics', roles: held, pending: false });
  }
  const ops = template.roles.filter((r) => r.operations && held.includes(r.key)).map((r) => r.key);
  if (ops.length > 0 && !state.metrics?.agreed) {
    const gate = template.nodes.find(
      (n) => n.type === 'gate' && n.metricsAgreed === true && state.current.includes(n.id),
    );
    out.push({
      action: 'agree-metrics',
      ...(gate && { nodeId: gate.id }),
      roles: ops,
      pending: gate !== undefined,
    });
  }
  return out;
}

/**
 * Answering feedback and lessons (issue 13, item 6). Who may answer an item: the stewards of
 * the node it was posted at (`feedbackStewardRoles`), its owner and the PMO. Whose inbox it is
 * in (`pending`):
 * - an `open` item: every steward's (the poster too, if a steward), and its owner's if it has
 *   one; nobody has taken it on yet, so everyone expected to answer it sees it;
 * - an `acknowledged` item: its owner's alone, who closes it as acted on or declined; the
 *   stewards may still answer it from the project view. An owner no longer taking part leaves
 *   it to the stewards' inboxes again.
 * An item posted where the template has no node (or none any more) is nobody's inbox item: it is
 * answered from the project view. The PMO's standing never makes it pending. `detail` is the
 * item's status (`open` or `acknowledged`).
 */
function onFeedback(
  state: ProjectStateData,
  template: Template,
  userId: string,
  held: RoleKey[],
  pmo: boolean,
): NextAction[] {
  const out: NextAction[] = [];
  const takesPart = (user: string) =>
    Object.values(state.participants).some((users) => users.includes(user));
  for (const f of state.feedback) {
    if (f.status === 'acted_on' || f.status === 'declined') continue;
    const stewards = mine(held, feedbackStewardRoles(template, f.nodeId));
    // The handler takes answers from participants only: a former owner is offered nothing.
    const owns = f.owner === userId && held.length > 0;
    if (stewards.length === 0 && !owns && !pmo) continue;
    const status = f.status ?? 'open';
    const ownerAnswers = status === 'acknowledged' && f.owner !== undefined && takesPart(f.owner);
    const expected = ownerAnswers ? owns : owns || stewards.length > 0;
    const onNode = template.nodes.some((n) => n.id === f.nodeId);
    out.push({
      action: 'answer-feedback',
      ...(f.nodeId !== undefined && { nodeId: f.nodeId }),
      roles: stewards,
      itemId: f.id,
      detail: status,
      pending: expected && onNode,
    });
  }
  return out;
}

/**
 * What a participant can do about the open issues of hypercare `node`: anyone resolves; its
 * responders take an issue on and respond. An issue with response and resolution times is
 * in their inbox: to take on until someone has, then to resolve.
 */
function onIssues(
  state: ProjectStateData,
  template: Template,
  node: NodeOf<'hypercare'>,
  held: RoleKey[],
): NextAction[] {
  const out: NextAction[] = [];
  const responder = mine(held, issueResponderRoles(template, node));
  for (const issue of state.issues) {
    if (issue.nodeId !== node.id || issue.status !== 'open') continue;
    const on = { nodeId: node.id, itemId: issue.id, detail: issue.title };
    const timed = issue.resolveBy !== undefined;
    const taken = issue.acknowledgedAt !== undefined;
    if (responder.length > 0 && !taken) {
      const due = issue.respondBy !== undefined ? { dueAt: issue.respondBy } : {};
      out.push({ action: 'acknowledge-issue', ...on, roles: responder, ...due, pending: timed });
    }
    if (responder.length > 0) {
      out.push({ action: 'respond-issue', ...on, roles: responder, pending: false });
    }
    const pending = timed && taken && responder.length > 0;
    const due = pending ? { dueAt: issue.resolveBy! } : {};
    const roles = pending ? responder : held;
    out.push({ action: 'resolve-issue', ...on, roles, ...due, pending });
  }
  return out;
}

/** The roles of `roles` the user holds. */
function mine(held: readonly RoleKey[], roles: readonly RoleKey[]): RoleKey[] {
  return roles.filter((role) => held.includes(role));
}
