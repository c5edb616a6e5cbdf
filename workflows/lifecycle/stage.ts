/** Stages and deliverables: submissions by participants, completion by the stage owner. */
import { missingDeliverables } from '../model/deliverables';
import { ownersOf } from '../model/duty';
import type { CommandOf, Node } from '../model';
import { type Step, refuse } from './context';
import { follow } from './navigation';

export function submitDeliverable(step: Step, cmd: CommandOf<'deliverable'>): string {
  const node = step.node(cmd.nodeId);
  if (node.type !== 'stage' && node.type !== 'gate') {
    refuse('unknown_deliverable', `"${node.name}" takes no deliverables`, ['deliverableId']);
  }
  const deliverable = (node.deliverables ?? []).find((d) => d.id === cmd.deliverableId);
  if (!deliverable) {
    refuse('unknown_deliverable', `"${node.name}" has no deliverable "${cmd.deliverableId}"`, [
      'deliverableId',
    ]);
  }
  const rec = step.record(node.id);
  if (step.state.status === 'on_hold') refuse('on_hold', 'the project is on hold');
  if (rec.status !== 'active') refuse('not_active', `"${node.name}" is not open`, ['nodeId']);
  if (cmd.url === undefined && cmd.text === undefined) {
    refuse('invalid_input', 'give a url or a text', ['url']);
  }
  rec.deliverables[deliverable.id] = {
    by: cmd.actor.userId,
    at: step.now,
    ...(cmd.url !== undefined && { urlRef: step.storeText(cmd.url) }),
    ...(cmd.text !== undefined && { textRef: step.storeText(cmd.text) }),
  };
  step.audit('deliverable.submitted', {
    nodeId: node.id,
    detail: { deliverableId: deliverable.id, ...(cmd.url !== undefined && { url: cmd.url }) },
  });
  return node.id;
}

export function completeStage(step: Step, cmd: CommandOf<'complete'>): string {
  const node = step.node(cmd.nodeId);
  if (node.type !== 'stage')
    refuse('not_active', `"${node.name}" is a ${node.type}, not a stage`, ['nodeId']);
  const rec = step.record(node.id);
  if (step.state.status === 'on_hold') refuse('on_hold', 'the project is on hold');
  if (rec.status !== 'active') refuse('not_active', `"${node.name}" is not open`, ['nodeId']);
  const owners = ownersOf(node);
  const held = step.rolesOf(cmd.actor.userId);
  if (owners.length > 0 && !owners.some((r) => held.includes(r))) {
    const who = owners.map((r) => step.roleName(r)).join(' or the ');
    refuse('not_owner', `only the ${who} completes "${node.name}"`);
  }
  requireDeliverables(step, node);
  follow(step, node.id, 'done');
  return node.id;
}

/** Refuses while a required deliverable of `node` is missing (a stage's completion, a go). */
export function requireDeliverables(step: Step, node: Node): void {
  const missing = missingDeliverables(node, step.record(node.id));
  if (missing.length > 0) {
    refuse(
      'missing_deliverable',
      `required deliverables missing: ${missing.map((d) => d.name).join(', ')}`,
      ['deliverables', missing[0]!.id],
    );
  }
}
