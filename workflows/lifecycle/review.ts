/**
 * A post-implementation review that is a review (SPEC §3 "Review"): while it is current, its
 * reviewers (signers and owners) record decisions and set follow-up actions. Each action is an
 * obligation of its owner — a role, or one participant — reminded half-way to its due date and
 * escalated when missed, like a Conditional Go condition; its owner completes it with a note.
 */
import { LIMITS } from '../model/commands';
import { addDuration } from '../model/duration';
import { reviewerRoles } from '../model/duty';
import type { CommandOf, NodeOf, Obligation, ReviewDecisionRecord, RoleKey } from '../model';
import { type Step, refuse, when } from './context';
import { addObligation, checkConditions, ownerAudience, settle } from './conditions';

/** The review `nodeId`, current and open, and the caller one of its reviewers; else a refusal. */
function currentReview(step: Step, nodeId: string, userId: string): NodeOf<'review'> {
  const node = step.node(nodeId);
  if (node.type !== 'review') {
    refuse('not_active', `"${node.name}" is a ${node.type}, not a review`, ['nodeId']);
  }
  if (step.state.status === 'on_hold') refuse('on_hold', 'the project is on hold', ['nodeId']);
  if (step.record(node.id).status !== 'active' || !step.state.current.includes(node.id)) {
    refuse('not_active', `"${node.name}" is not the current review`, ['nodeId']);
  }
  const held = step.rolesOf(userId);
  if (!reviewerRoles(node).some((r) => held.includes(r))) {
    refuse('not_signer', `only a reviewer of "${node.name}" records its decisions and actions`);
  }
  return node;
}

export function reviewDecision(
  step: Step,
  cmd: CommandOf<'reviewDecision'>,
): { nodeId: string; id: string } {
  const node = currentReview(step, cmd.nodeId, cmd.actor.userId);
  const rec = step.record(node.id);
  const review = (rec.review ??= { decisions: [] });
  const counted = step.revisitCounts
    ? review.decisions.filter((d) => d.visit === rec.visits)
    : review.decisions;
  if (counted.length >= LIMITS.reviewDecisions) {
    const cap = LIMITS.reviewDecisions;
    const message = step.revisitCounts
      ? `a review takes at most ${cap} decisions per visit`
      : `a review keeps at most ${cap} decisions`;
    refuse('limit_reached', message, ['text']);
  }
  const n = step.revisitCounts ? nextDecisionNumber(review.decisions) : review.decisions.length + 1;
  const id = `${node.id}-${rec.visits}-d${n}`;
  review.decisions.push({
    id,
    text: cmd.text,
    by: cmd.actor.userId,
    at: step.now,
    visit: rec.visits,
  });
  if (step.revisitCounts) dropEarlierDecisions(review.decisions, rec.visits);
  step.audit('review.decision', { nodeId: node.id, reason: cmd.text, detail: { decisionId: id } });
  return { nodeId: node.id, id };
}

/**
 * The number a review's next decision takes: one past its newest (its id ends in `-d<n>`), so
 * that numbers never repeat, also once older decisions left the record.
 */
function nextDecisionNumber(decisions: readonly ReviewDecisionRecord[]): number {
  const newest = decisions[decisions.length - 1];
  const n = newest === undefined ? 0 : Number(/-d(\d+)$/.exec(newest.id)?.[1]);
  return Number.isSafeInteger(n) ? n + 1 : decisions.length + 1;
}

/**
 * Keeps a review record bounded across visits: the current visit's decisions (at most the
 * cap) and the newest cap's worth of earlier visits' (the audit trail keeps all).
 */
function dropEarlierDecisions(decisions: ReviewDecisionRecord[], visit: number): void {
  const earlier = decisions.filter((d) => d.visit !== visit).length;
  // Decisions are kept oldest first: the earlier visits' come before this visit's.
  decisions.splice(0, Math.max(0, earlier - LIMITS.reviewDecisions));
}

export function reviewAction(
  step: Step,
  cmd: CommandOf<'reviewAction'>,
): { nodeId: string; id: string } {
  const node = currentReview(step, cmd.nodeId, cmd.actor.userId);
  const owner = ownerRole(step, cmd);
  checkConditions(step, [{ owner }]);
  const dueAt = dueAtOf(step, cmd.due);
  const rec = step.record(node.id);
  const n = step.state.conditions.filter(
    (c) => c.kind === 'review-action' && c.nodeId === node.id,
  ).length;
  const action = addObligation(step, {
    id: reviewActionId(node.id, rec.visits, n + 1),
    nodeId: node.id,
    text: cmd.text,
    due: cmd.due,
    dueAt,
    owner,
    setBy: cmd.actor.userId,
    kind: 'review-action',
    ...(cmd.assignee !== undefined && { assignee: cmd.assignee }),
  });
  step.audit('review.action-set', {
    nodeId: node.id,
    detail: {
      actionId: action.id,
      text: action.text,
      owner,
      ...(action.assignee !== undefined && { assignee: action.assignee }),
      dueAt,
    },
  });
  step.notify(
    'action-required',
    ownerAudience(action),
    `follow-up action due ${when(dueAt)}`,
    `"${node.name}" asks: ${action.text} (due ${when(dueAt)}).`,
    node.id,
  );
  return { nodeId: node.id, id: action.id };
}

/** A follow-up action's id: its review, the visit that set it and its number in the review. */
function reviewActionId(nodeId: string, visit: number, n: number): string {
  return `${nodeId}-${visit}-a${n}`;
}

/** The visit of its review a follow-up action was set in, read from its id (reviewActionId). */
export function reviewActionVisit(action: Obligation): number | undefined {
  const visit = /-(\d+)-a\d+$/.exec(action.id)?.[1];
  return visit === undefined ? undefined : Number(visit);
}

/** The owner of a review's follow-up action completes it, with a note. */
export function reviewActionDone(
  step: Step,
  cmd: CommandOf<'reviewActionDone'>,
): { nodeId: string; id: string } {
  const action = step.state.conditions.find(
    (c) => c.id === cmd.actionId && c.kind === 'review-action',
  );
  if (!action) refuse('unknown_action', `no follow-up action "${cmd.actionId}"`, ['actionId']);
  const userId = cmd.actor.userId;
  const responsible =
    action.assignee !== undefined
      ? action.assignee === userId
      : step.rolesOf(userId).includes(action.owner);
  if (!responsible) {
    const who = action.assignee ?? `the ${step.roleName(action.owner)}`;
    refuse('not_responsible', `only ${who} completes this follow-up action`);
  }
  if (action.status === 'met') refuse('already_done', 'the follow-up action is already done');
  settle(step, action, userId, cmd.note, 'review.action-done');
  return { nodeId: action.nodeId, id: action.id };
}

/**
 * `reassign`: a follow-up action given to the leaving participant in the role they leave goes
 * to their successor. Answers the actions moved.
 */
export function handOverActions(step: Step, cmd: CommandOf<'reassign'>): Obligation[] {
  const moved: Obligation[] = [];
  for (const c of step.state.conditions) {
    if (c.assignee !== cmd.from || c.owner !== cmd.role || c.status === 'met') continue;
    c.assignee = cmd.to;
    moved.push(c);
  }
  return moved;
}

/** The audit entry of an action handed over, and its new owner told where to act. */
export function announceActionHandover(
  step: Step,
  cmd: CommandOf<'reassign'>,
  action: Obligation,
): void {
  step.audit('review.action-handed-over', {
    nodeId: action.nodeId,
    ...(cmd.reason !== undefined && { reason: cmd.reason }),
    detail: { actionId: action.id, role: cmd.role, from: cmd.from, to: cmd.to },
  });
  const node = step.template.nodes.find((n) => n.id === action.nodeId);
  step.notify(
    'action-required',
    ownerAudience(action),
    `follow-up action handed over to you, due ${when(action.dueAt)}`,
    `The PMO gave you ${cmd.from}'s follow-up action` +
      `${node ? ` of "${node.name}"` : ''}: ${action.text} (due ${when(action.dueAt)}).`,
    action.nodeId,
  );
}

/**
 * The role an action is owned in: the named role (which the assignee must hold), else the
 * assignee's first role. The refine of the body asks for one of them; an Update checks again.
 */
function ownerRole(step: Step, cmd: CommandOf<'reviewAction'>): RoleKey {
  if (cmd.owner !== undefined && !step.template.roles.some((r) => r.key === cmd.owner)) {
    refuse('unknown_role', `no role "${cmd.owner}" in this template`, ['owner']);
  }
  if (cmd.assignee === undefined) {
    if (cmd.owner === undefined) {
      refuse('invalid_input', 'name an owner role or a participant (assignee)', ['owner']);
    }
    return cmd.owner;
  }
  const held = step.rolesOf(cmd.assignee);
  if (held.length === 0) {
    refuse('invalid_participants', `${cmd.assignee} is not a participant of this project`, [
      'assignee',
    ]);
  }
  if (cmd.owner !== undefined && !held.includes(cmd.owner)) {
    refuse('invalid_participants', `${cmd.assignee} does not hold the role "${cmd.owner}" here`, [
      'assignee',
    ]);
  }
  return cmd.owner ?? held[0]!;
}

/** A due date: an ISO duration from now, or the end (UTC) of a calendar date still ahead. */
function dueAtOf(step: Step, due: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(due)) return addDuration(step.now, due);
  const at = Date.parse(`${due}T23:59:59.999Z`);
  if (at <= step.now) refuse('out_of_range', `${due} has passed`, ['due']);
  return at;
}
