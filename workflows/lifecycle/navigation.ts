/**
 * Moving through the template graph: entering a node (notify who must act, start its SLA
 * and type-specific timers), leaving it with an outcome and following that outcome's edge.
 */
import { addDuration, subtractDuration } from '../model/duration';
import { ownersOf } from '../model/duty';
import { signerRoles } from '../model/signers';
import type { Node, Outcome, RoleKey } from '../model';
import { type Step, refuse, when } from './context';
import { startHypercare } from './hypercare';
import { startMonitor } from './monitor';

/** Decided visits a node record keeps (a gate recycled again and again stays small). */
export const DECISIONS_KEPT = 50;

/** Who is expected to act on a node: its signers, else its owner, else everyone. */
export function actorsOf(node: Node): { roles?: RoleKey[]; everyone?: boolean } {
  const signers = signerRoles(node);
  if (signers.length > 0) return { roles: signers };
  if (node.type === 'monitor') return { roles: node.reviewers };
  const owners = ownersOf(node);
  if (owners.length > 0) return { roles: owners };
  return { everyone: true };
}

export function enter(step: Step, nodeId: string, from?: string): void {
  const node = step.node(nodeId);
  const rec = step.record(nodeId);
  rec.status = 'active';
  rec.visits += 1;
  rec.enteredAt = step.now;
  delete rec.leftAt;
  delete rec.outcome;
  rec.votes = [];
  if (!step.state.current.includes(nodeId)) step.state.current.push(nodeId);
  step.audit('node.entered', {
    nodeId,
    actor: step.actor,
    detail: { type: node.type, visit: rec.visits, ...(from !== undefined && { from }) },
  });
  startSla(step, node);

  switch (node.type) {
    case 'stage':
      step.notify(
        'action-required',
        actorsOf(node),
        `stage "${node.name}" is open`,
        describeDeliverables(node.name, node.deliverables),
        nodeId,
      );
      return;
    case 'gate':
      step.notify(
        'action-required',
        actorsOf(node),
        `gate "${node.name}" awaits your sign-off`,
        `Gate "${node.name}" is open for sign-off by ${node.signoff.rules
          .map((r) => `${r.min} × ${step.roleName(r.role)}`)
          .join(', ')}.` +
          (node.deliverables?.length
            ? `\n${describeDeliverables(node.name, node.deliverables)}`
            : ''),
        nodeId,
      );
      return;
    case 'review':
      step.notify(
        'action-required',
        actorsOf(node),
        `post-implementation review "${node.name}" awaits your sign-off`,
        `Compare planned and actual benefits and sign "${node.name}" off.`,
        nodeId,
      );
      return;
    case 'hypercare':
      startHypercare(step, node);
      return;
    case 'monitor':
      startMonitor(step, node);
      return;
    case 'notify':
      step.notify('message', { roles: node.to }, node.name, node.message, nodeId);
      follow(step, nodeId, 'done');
      return;
    case 'end':
      finish(step, node.result, nodeId, `reached "${node.name}"`);
      return;
  }
}

function describeDeliverables(name: string, deliverables: { name: string; required: boolean }[]) {
  if (deliverables.length === 0) return `"${name}" has no deliverables.`;
  return `Deliverables:\n${deliverables
    .map((d) => `- ${d.name}${d.required ? ' (required)' : ''}`)
    .join('\n')}`;
}

/** Closes a node with an outcome and drops its timers. */
export function leave(step: Step, nodeId: string, outcome: Outcome): void {
  const rec = step.record(nodeId);
  rec.status = 'done';
  rec.outcome = outcome;
  rec.leftAt = step.now;
  rec.decisions.push({ visit: rec.visits, outcome, at: step.now });
  rec.decisions.splice(0, Math.max(0, rec.decisions.length - DECISIONS_KEPT));
  step.state.current = step.state.current.filter((id) => id !== nodeId);
  // Obligations outlive their node: their due dates and reminders stay.
  step.cancelDeadlines(
    (d) => d.nodeId === nodeId && d.kind !== 'condition-due' && d.kind !== 'condition-remind',
  );
  step.audit('node.completed', { nodeId, detail: { outcome } });
}

/** Leaves `nodeId` with `outcome` and enters the node its edge leads to. */
export function follow(step: Step, nodeId: string, outcome: Outcome): void {
  const edge = step.template.edges.find((e) => e.from === nodeId && e.on === outcome);
  // The validator guarantees an edge per producible outcome; a template that slipped past it
  // must not wedge the project silently.
  if (!edge) refuse('invalid_input', `node "${nodeId}" has no edge for "${outcome}"`);
  leave(step, nodeId, outcome);
  enter(step, edge.to, nodeId);
}

/** Ends the project: the workflow completes once the step is committed. */
export function finish(
  step: Step,
  status: 'completed' | 'killed' | 'cancelled',
  nodeId: string | undefined,
  why: string,
): void {
  const state = step.state;
  for (const id of state.current) {
    if (id === nodeId) continue;
    const rec = step.record(id);
    rec.status = 'done';
    rec.leftAt = step.now;
  }
  state.current = nodeId === undefined ? [] : [nodeId];
  if (nodeId !== undefined) {
    const rec = step.record(nodeId);
    rec.status = 'done';
    rec.leftAt = step.now;
  }
  state.status = status;
  state.endedAt = step.now;
  state.deadlines = [];
  for (const c of state.conditions) if (c.status === 'open') c.status = 'missed';
  step.audit('project.ended', { nodeId, detail: { status }, reason: why });
  step.notify(
    'project-closed',
    { everyone: true, pmo: true },
    `project ${status}`,
    `The project is ${status} (${why}).`,
    nodeId,
  );
}

function startSla(step: Step, node: Node): void {
  if (node.type !== 'stage' && node.type !== 'gate') return;
  const rec = step.record(node.id);
  if (!node.sla) {
    delete rec.dueAt;
    return;
  }
  const dueAt = addDuration(step.now, node.sla.due);
  rec.dueAt = dueAt;
  const base = `${node.id}:${rec.visits}`;
  node.sla.remind?.forEach((before, index) => {
    const at = subtractDuration(dueAt, before);
    if (at > step.now) {
      step.schedule({
        id: `${base}:remind:${index}`,
        at,
        kind: 'sla-remind',
        nodeId: node.id,
        index,
      });
    }
  });
  step.schedule({ id: `${base}:due`, at: dueAt, kind: 'sla-due', nodeId: node.id });
  node.sla.escalate?.forEach((level, index) => {
    const at = addDuration(dueAt, level.after);
    step.schedule({
      id: `${base}:escalate:${index}`,
      at,
      kind: 'sla-escalate',
      nodeId: node.id,
      index,
    });
  });
}

/** SLA timers of a stage or gate: reminders before due, overdue notice, escalation ladder. */
export function onSlaDeadline(
  step: Step,
  kind: 'sla-remind' | 'sla-due' | 'sla-escalate',
  nodeId: string,
  index: number,
): void {
  const node = step.node(nodeId);
  if ((node.type !== 'stage' && node.type !== 'gate') || !node.sla) return;
  const rec = step.record(nodeId);
  const due = rec.dueAt ?? step.now;
  if (kind === 'sla-remind') {
    step.notify(
      'reminder',
      actorsOf(node),
      `"${node.name}" is due ${when(due)}`,
      `Reminder: "${node.name}" is due ${when(due)}.`,
      nodeId,
    );
    step.audit('sla.reminder', { nodeId, actor: 'system', detail: { index, dueAt: due } });
  } else if (kind === 'sla-due') {
    step.notify(
      'reminder',
      actorsOf(node),
      `"${node.name}" is overdue`,
      `"${node.name}" was due ${when(due)} and is still open.`,
      nodeId,
    );
    step.audit('sla.overdue', { nodeId, actor: 'system', detail: { dueAt: due } });
  } else {
    const level = node.sla.escalate?.[index];
    if (!level) return;
    step.notify(
      'escalation',
      { roles: level.notify, pmo: true },
      `escalation: "${node.name}" is overdue`,
      `"${node.name}" was due ${when(due)} and is still open. Escalation level ${index + 1}.`,
      nodeId,
    );
    step.audit('sla.escalated', {
      nodeId,
      actor: 'system',
      detail: { level: index + 1, notify: level.notify },
    });
  }
}
