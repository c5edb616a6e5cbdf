/**
 * Obligations (SPEC §3 "Conditional Go"): conditions a `go` sign-off of a gate, review or
 * hypercare exit carries become obligations when the node passes, each with a durable timer;
 * the owner (or the PMO) marks one met; a missed due date notifies the node's signers and the
 * PMO. KPI reviews' and post-implementation reviews' follow-up actions are obligations too.
 */
import { LIMITS } from '../model/commands';
import { addDuration } from '../model/duration';
import { signerRoles } from '../model/signers';
import type { CommandOf, Node, Obligation, RoleKey } from '../model';
import { type Audience, type Step, refuse, when } from './context';

/**
 * Conditions a sign-off may add: each owner role must be held by someone (or nobody could
 * meet it), and a project holds at most LIMITS.conditionsPerProject of them.
 */
export function checkConditions(step: Step, conditions: readonly { owner: RoleKey }[]): void {
  conditions.forEach((c, i) => {
    if ((step.state.participants[c.owner] ?? []).length === 0) {
      refuse(
        'invalid_participants',
        `nobody in this project holds the role "${c.owner}", so nobody could meet the condition`,
        ['conditions', i, 'owner'],
      );
    }
  });
  const pending = Object.values(step.state.nodes).reduce(
    (n, rec) => n + rec.votes.reduce((m, v) => m + (v.conditions?.length ?? 0), 0),
    0,
  );
  const held = step.state.conditions.length + pending;
  if (held + conditions.length > LIMITS.conditionsPerProject) {
    refuse(
      'limit_reached',
      `a project holds at most ${LIMITS.conditionsPerProject} conditions (${held} so far)`,
      ['conditions'],
    );
  }
}

/** Every condition of the node's deciding votes becomes an obligation (the votes drop it). */
export function takeConditions(step: Step, node: Node): void {
  const rec = step.record(node.id);
  rec.votes.forEach((vote) =>
    vote.conditions?.forEach((c) => {
      const id = `${node.id}-${rec.visits}-${step.state.conditions.length + 1}`;
      const obligation = addObligation(step, { id, nodeId: node.id, setBy: vote.userId, ...c });
      step.audit('condition.set', {
        nodeId: node.id,
        detail: { conditionId: id, text: c.text, owner: c.owner, dueAt: obligation.dueAt },
      });
      step.notify(
        'action-required',
        { roles: [c.owner] },
        `condition to meet by ${when(obligation.dueAt)}`,
        `"${node.name}" passed on condition: ${c.text} (due ${when(obligation.dueAt)}).`,
        node.id,
      );
    }),
  );
  // They live on as obligations now: the votes need not carry them twice.
  for (const vote of rec.votes) delete vote.conditions;
}

/** What a new obligation is: the rest (status, timers) is the same for every kind. */
type NewObligation = Pick<Obligation, 'id' | 'nodeId' | 'text' | 'due' | 'owner' | 'setBy'> &
  Partial<Pick<Obligation, 'dueAt' | 'assignee' | 'kind'>>;

/**
 * Adds an open obligation (a condition, a KPI follow-up or a review's follow-up action) with
 * its due-date timer; a review's action also gets a reminder half-way to its due date.
 */
export function addObligation(step: Step, fields: NewObligation): Obligation {
  const obligation: Obligation = {
    ...fields,
    dueAt: fields.dueAt ?? addDuration(step.now, fields.due),
    status: 'open',
    escalated: false,
  };
  step.state.conditions.push(obligation);
  const { id, nodeId, dueAt } = obligation;
  step.schedule({
    id: `condition:${id}`,
    at: dueAt,
    kind: 'condition-due',
    nodeId,
    conditionId: id,
  });
  if (obligation.kind === 'review-action') {
    const at = step.now + Math.floor((dueAt - step.now) / 2);
    step.schedule({ id: `remind:${id}`, at, kind: 'condition-remind', nodeId, conditionId: id });
  }
  return obligation;
}

/** Who owns an obligation: its assignee, else whoever holds its owner role. */
export function ownerAudience(o: Obligation): Audience {
  return o.assignee !== undefined ? { users: [o.assignee] } : { roles: [o.owner] };
}

export function conditionMet(step: Step, cmd: CommandOf<'conditionMet'>): string {
  const condition = step.state.conditions.find(
    (c) => c.id === cmd.conditionId && c.kind === undefined,
  );
  if (!condition) refuse('unknown_condition', `no condition "${cmd.conditionId}"`, ['conditionId']);
  if (!cmd.actor.pmo && !step.rolesOf(cmd.actor.userId).includes(condition.owner)) {
    refuse('not_owner', `only the ${step.roleName(condition.owner)} marks this condition met`);
  }
  if (condition.status === 'met') refuse('already_met', 'the condition is already met');
  settle(step, condition, cmd.actor.userId, cmd.note, 'condition.met');
  return condition.nodeId;
}

/** Marks an obligation met (late when it was missed) and stops its timers; audited. */
export function settle(
  step: Step,
  obligation: Obligation,
  userId: string,
  note: string | undefined,
  action: string,
): void {
  const late = obligation.status === 'missed';
  obligation.status = 'met';
  obligation.metAt = step.now;
  obligation.metBy = userId;
  if (note !== undefined) obligation.noteRef = step.storeText(note);
  step.cancelDeadlines((d) => d.conditionId === obligation.id);
  step.audit(action, {
    nodeId: obligation.nodeId,
    ...(note !== undefined && { reason: note }),
    detail: { conditionId: obligation.id, late },
  });
}

/** An obligation passed its due date unmet: tell the node's signers, its owner and the PMO. */
export function onConditionDue(step: Step, conditionId: string): void {
  const condition = step.state.conditions.find((c) => c.id === conditionId);
  if (!condition || condition.status !== 'open') return;
  condition.status = 'missed';
  condition.escalated = true;
  // A timer must not refuse: a migration may have taken the node that set the condition out of
  // the template. Its signers are then unknown; the owner and the PMO still hear of it.
  const node = step.template.nodes.find((n) => n.id === condition.nodeId);
  const signers = node ? signerRoles(node) : [];
  const nodeName = node?.name ?? condition.nodeId;
  step.audit('condition.missed', {
    nodeId: condition.nodeId,
    actor: 'system',
    detail: { conditionId, dueAt: condition.dueAt },
  });
  const what = condition.kind === 'review-action' ? 'follow-up action' : 'condition';
  step.notify(
    'condition-missed',
    {
      roles: [...signers, condition.owner],
      ...(condition.assignee !== undefined && { users: [condition.assignee] }),
      pmo: true,
    },
    `${what} of "${nodeName}" missed its due date`,
    `"${condition.text}" (owner: ${ownerName(step, condition)}) was due ${when(condition.dueAt)} and is not met.`,
    condition.nodeId,
  );
}

/** A review's follow-up action is half-way to its due date and still open: remind its owner. */
export function onConditionRemind(step: Step, conditionId: string): void {
  const action = step.state.conditions.find((c) => c.id === conditionId);
  if (!action || action.status !== 'open') return;
  // A timer must not refuse: after a migration the review may be gone from the template.
  const name = step.template.nodes.find((n) => n.id === action.nodeId)?.name ?? action.nodeId;
  step.notify(
    'reminder',
    ownerAudience(action),
    `follow-up action due ${when(action.dueAt)}`,
    `"${name}" set you a follow-up action, due ${when(action.dueAt)}: ${action.text}`,
    action.nodeId,
  );
}

/** The owner as people read it: the assignee, or the role's name. */
function ownerName(step: Step, o: Obligation): string {
  return o.assignee !== undefined ? o.assignee : step.roleName(o.owner);
}
