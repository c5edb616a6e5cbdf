/**
 * Conditional Go (SPEC §3): conditions a `go` sign-off of a gate, review or hypercare exit
 * carries become obligations when the node passes, each with a durable timer; the owner (or
 * the PMO) marks one met; a missed due date notifies the node's signers and the PMO.
 */
import { addDuration, LIMITS, signerRoles, type CommandOf, type Node } from '../model';
import { type Step, refuse, when } from './context';

/**
 * Conditions a sign-off may add: each owner role must be held by someone (or nobody could
 * meet it), and a project holds at most LIMITS.conditionsPerProject of them.
 */
export function checkConditions(
  step: Step,
  conditions: NonNullable<CommandOf<'signoff'>['conditions']>,
): void {
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
      const dueAt = addDuration(step.now, c.due);
      step.state.conditions.push({
        id,
        nodeId: node.id,
        text: c.text,
        due: c.due,
        dueAt,
        owner: c.owner,
        setBy: vote.userId,
        status: 'open',
        escalated: false,
      });
      step.schedule({
        id: `condition:${id}`,
        at: dueAt,
        kind: 'condition-due',
        nodeId: node.id,
        conditionId: id,
      });
      step.audit('condition.set', {
        nodeId: node.id,
        detail: { conditionId: id, text: c.text, owner: c.owner, dueAt },
      });
      step.notify(
        'action-required',
        { roles: [c.owner] },
        `condition to meet by ${when(dueAt)}`,
        `"${node.name}" passed on condition: ${c.text} (due ${when(dueAt)}).`,
        node.id,
      );
    }),
  );
  // They live on as obligations now: the votes need not carry them twice.
  for (const vote of rec.votes) delete vote.conditions;
}

export function conditionMet(step: Step, cmd: CommandOf<'conditionMet'>): string {
  const condition = step.state.conditions.find((c) => c.id === cmd.conditionId);
  if (!condition) refuse('unknown_condition', `no condition "${cmd.conditionId}"`, ['conditionId']);
  if (!cmd.actor.pmo && !step.rolesOf(cmd.actor.userId).includes(condition.owner)) {
    refuse('not_owner', `only the ${step.roleName(condition.owner)} marks this condition met`);
  }
  if (condition.status === 'met') refuse('already_met', 'the condition is already met');
  const late = condition.status === 'missed';
  condition.status = 'met';
  condition.metAt = step.now;
  condition.metBy = cmd.actor.userId;
  if (cmd.note !== undefined) condition.noteRef = step.storeText(cmd.note);
  step.cancelDeadlines((d) => d.conditionId === condition.id);
  step.audit('condition.met', {
    nodeId: condition.nodeId,
    ...(cmd.note !== undefined && { reason: cmd.note }),
    detail: { conditionId: condition.id, late },
  });
  return condition.nodeId;
}

/** A Conditional Go obligation passed its due date unmet: tell the gate's signers and the PMO. */
export function onConditionDue(step: Step, conditionId: string): void {
  const condition = step.state.conditions.find((c) => c.id === conditionId);
  if (!condition || condition.status !== 'open') return;
  condition.status = 'missed';
  condition.escalated = true;
  const node = step.node(condition.nodeId);
  const signers = signerRoles(node);
  step.audit('condition.missed', {
    nodeId: node.id,
    actor: 'system',
    detail: { conditionId, dueAt: condition.dueAt },
  });
  step.notify(
    'condition-missed',
    { roles: [...signers, condition.owner], pmo: true },
    `condition of "${node.name}" missed its due date`,
    `"${condition.text}" (owner: ${step.roleName(condition.owner)}) was due ${when(condition.dueAt)} and is not met.`,
    node.id,
  );
}
