/**
 * The actions that take a project through a template along its happy path, derived from the
 * template itself (no hand-coded node ids): required deliverables, `go` from `min` distinct
 * signers of every rule with full marks, stage completion by the owner, a minor hypercare
 * issue raised and resolved, the early hypercare exit, the PIR and retiring the monitor.
 * Pure: it imports the model and the interpreter only, so a plan can be rehearsed offline.
 */
import { decide, startProject, type Machine } from '../workflows/lifecycle';
import {
  fullMarks,
  signerRules,
  type ActionResult,
  type Command,
  type Node,
  type NodeOf,
  type Outcome,
  type Participants,
  type ProjectInput,
  type Template,
} from '../workflows/model';

/** Yields commands one by one and is handed each one's result (the issue id, for one). */
export type Drive = Generator<Command, void, ActionResult>;

/** One user per seat the template needs (the model's `seatParticipants`). */
export { seatParticipants } from '../workflows/model';

/** The happy path from `template.start` to an `end` node, acted by `participants`. */
export function* happyPath(template: Template, participants: Participants): Drive {
  const seen = new Set<string>();
  let nodeId = template.start;
  for (;;) {
    if (seen.has(nodeId)) throw new Error(`the happy path loops back to "${nodeId}"`);
    seen.add(nodeId);
    const node = nodeOf(template, nodeId);
    if (node.type === 'end') return;
    const outcome = yield* actOn(template, node, participants);
    const edge = template.edges.find((e) => e.from === nodeId && e.on === outcome);
    if (!edge) throw new Error(`"${nodeId}" has no "${outcome}" edge`);
    nodeId = edge.to;
  }
}

/** Runs the plan through the pure interpreter and returns its commands; throws on a refusal. */
export function rehearse(input: ProjectInput, now = Date.now()): Command[] {
  let machine: Machine = startProject(input, now).machine;
  const commands: Command[] = [];
  const drive = happyPath(input.template, input.participants);
  for (let next = drive.next(); !next.done;) {
    const command = next.value;
    const decision = decide(machine, command, now);
    if (!decision.ok) {
      const { code, message } = decision.rejection;
      throw new Error(
        `plan step ${commands.length + 1} (${command.type}) refused: ${code}: ${message}`,
      );
    }
    commands.push(command);
    machine = decision.machine;
    next = drive.next(decision.result);
  }
  if (machine.state.status !== 'completed') {
    throw new Error(`the plan leaves the project ${machine.state.status}, not completed`);
  }
  return commands;
}

function* actOn(
  template: Template,
  node: Node,
  people: Participants,
): Generator<Command, Outcome, ActionResult> {
  const nodeId = node.id;
  // The owner submits the deliverables (any participant may) and completes a stage.
  const owner = () => actor(people, node.owner ?? signerRules(node)[0]?.role);
  switch (node.type) {
    case 'stage':
      yield* submitRequired(node, owner());
      yield { type: 'complete', actor: owner(), nodeId };
      return 'done';
    case 'gate':
      if (node.decisions && !node.decisions.includes('go')) {
        throw new Error(`gate "${nodeId}" does not allow go`);
      }
      yield* submitRequired(node, owner());
      yield* signAll(node, people);
      return 'go';
    case 'hypercare': {
      // A minor issue, so the early exit is allowed once it is resolved.
      const ops = actor(people, template.roles.find((r) => r.operations)?.key);
      const raised = yield { type: 'raiseIssue', actor: ops, severity: 3, title: 'Label typo' };
      if (raised.id === undefined) throw new Error('raising an issue returned no issue id');
      yield { type: 'resolveIssue', actor: ops, issueId: raised.id, note: 'fixed' };
      yield* signAll(node, people);
      return 'done';
    }
    case 'review':
      yield* signAll(node, people);
      return 'done';
    case 'monitor':
      yield {
        type: 'retire',
        actor: actor(people, node.reviewers[0]),
        reason: 'steady state reached',
      };
      return 'done';
    case 'notify':
      return 'done';
    case 'end':
      throw new Error(`"${nodeId}" is an end node`);
  }
}

function* submitRequired(
  node: NodeOf<'stage'> | NodeOf<'gate'>,
  by: Command['actor'],
): Generator<Command, void, ActionResult> {
  for (const d of (node.deliverables ?? []).filter((x) => x.required)) {
    yield {
      type: 'deliverable',
      actor: by,
      nodeId: node.id,
      deliverableId: d.id,
      url: `https://docs.example.test/${d.id}`,
    };
  }
}

/** `go` from `min` distinct users of every rule; a gate's criteria answered with full marks. */
function* signAll(node: Node, people: Participants): Generator<Command, void, ActionResult> {
  const signed = new Set<string>();
  const criteria = node.type === 'gate' ? fullMarks(node) : undefined;
  for (const rule of signerRules(node)) {
    const users = (people[rule.role] ?? []).filter((u) => !signed.has(u)).slice(0, rule.min);
    if (users.length < rule.min) throw new Error(`too few "${rule.role}" users for "${node.id}"`);
    for (const userId of users) {
      signed.add(userId);
      yield {
        type: 'signoff',
        actor: { userId },
        nodeId: node.id,
        decision: 'go',
        role: rule.role,
        ...(criteria && { criteria }),
        comment: 'agreed',
      };
    }
  }
}

function actor(people: Participants, role: string | undefined): Command['actor'] {
  const userId = role === undefined ? undefined : people[role]?.[0];
  if (userId === undefined) throw new Error(`no participant for role "${role ?? '(none)'}"`);
  return { userId };
}

function nodeOf(template: Template, id: string): Node {
  const node = template.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node "${id}" in template "${template.key}"`);
  return node;
}
