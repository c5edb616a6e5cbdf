/**
 * The actions that take a project through a template along its happy path, chosen among the
 * interpreter's next actions (no hand-coded node ids): required deliverables, `go` from `min`
 * distinct signers of every rule with full marks, stage completion by the owner, a minor
 * hypercare issue raised and resolved, the early hypercare exit, the PIR and retiring the
 * monitor.
 * Pure: it imports the model and the interpreter only, so a plan can be rehearsed offline.
 */
import {
  decide,
  nextActions,
  startProject,
  type Machine,
  type NextAction,
} from '../workflows/lifecycle';
import { Simulator } from '../workflows/lifecycle/simulation';
import {
  fullMarks,
  readinessItemInput,
  ruleTallies,
  type ActionResult,
  type Command,
  type Participants,
  type ProjectInput,
  type Template,
} from '../workflows/model';

/** Yields commands one by one and is handed each one's result (the issue id, for one). */
export type Drive = Generator<Command, void, ActionResult>;

/**
 * The happy path to an `end` node, acted by `participants`: at each step, the first of the
 * interpreter's next actions (`nextActions`) along it, mirrored on a simulated project.
 */
export function* happyPath(template: Template, participants: Participants): Drive {
  const sim = new Simulator(template, { participants, projectId: 'plan', name: 'Plan' });
  const raised = new Set<string>();
  for (let steps = 0; sim.state.status === 'active'; steps++) {
    if (steps > 10_000) throw new Error('the happy path does not end');
    const command = nextCommand(sim, participants, raised);
    if (command === undefined) {
      throw new Error(`the happy path is stuck at ${sim.state.current.join(', ')}`);
    }
    const answered = yield command;
    const { actor, ...rest } = command;
    const mirrored = sim.must(actor.userId, rest, actor.pmo);
    // The plan names what the mirror created (an issue): the project must have created the same.
    if (mirrored.id !== answered.id) {
      throw new Error(
        `${command.type} created "${answered.id}", the plan expected "${mirrored.id}"`,
      );
    }
  }
}

/**
 * The next command along the happy path: required deliverables by their owner, a stage's
 * completion, a minor hypercare issue raised and resolved (so the early exit is allowed), a
 * `go` from `min` distinct signers of every rule with full marks, retiring the monitor.
 */
function nextCommand(
  sim: Simulator,
  people: Participants,
  raised: Set<string>,
): Command | undefined {
  const { state, template } = sim.machine;
  const users = [...new Set(Object.values(people).flat())];
  const offers = users.map((userId) => ({
    actor: { userId },
    next: nextActions(state, template, userId),
  }));
  const first = (match: (a: NextAction) => boolean, roles: readonly string[] = []) => {
    const preferred = offers.filter((o) => roles.some((r) => people[r]?.includes(o.actor.userId)));
    for (const o of [...preferred, ...offers]) {
      const action = o.next.find(match);
      if (action) return { actor: o.actor, action };
    }
    return undefined;
  };
  const deliver = first((a) => a.action === 'submit-deliverable' && a.pending);
  if (deliver) {
    const { itemId = '', nodeId = '' } = deliver.action;
    const url = `https://docs.example.test/${itemId}`;
    return { type: 'deliverable', actor: deliver.actor, nodeId, deliverableId: itemId, url };
  }
  const complete = first((a) => a.action === 'complete-stage');
  if (complete)
    return { type: 'complete', actor: complete.actor, nodeId: complete.action.nodeId ?? '' };

  // A gate waiting for operations to agree the project's metrics: the inbox lists it pending.
  const agree = first((a) => a.action === 'agree-metrics' && a.pending);
  if (agree) return { type: 'agreeMetrics', actor: agree.actor };
  // A gate's readiness checklist: each open item recorded as met by whoever it waits for.
  const ready = first((a) => a.action === 'record-readiness' && a.pending);
  const gate = template.nodes.find((n) => n.id === ready?.action.nodeId);
  if (ready && gate?.type === 'gate') {
    const input = readinessItemInput(gate, ready.action.itemId);
    return { type: 'recordReadiness', actor: ready.actor, nodeId: gate.id, ...input };
  }

  const ops = template.roles.filter((r) => r.operations).map((r) => r.key);
  const raise = first((a) => a.action === 'raise-issue' && !raised.has(a.nodeId ?? ''), ops);
  if (raise) {
    raised.add(raise.action.nodeId ?? '');
    return { type: 'raiseIssue', actor: raise.actor, severity: 3, title: 'Label typo' };
  }
  const resolve = first((a) => a.action === 'resolve-issue', ops);
  if (resolve) {
    const issueId = resolve.action.itemId ?? '';
    return { type: 'resolveIssue', actor: resolve.actor, issueId, note: 'fixed' };
  }
  for (const id of state.current) {
    const node = template.nodes.find((n) => n.id === id);
    if (!node) continue;
    for (const tally of ruleTallies(node, state.nodes[id]?.votes ?? [])) {
      if (tally.met) continue;
      const sign = first(
        (a) =>
          (a.action === 'signoff' || a.action === 'accept-hypercare') &&
          a.nodeId === id &&
          a.roles.includes(tally.role),
        [tally.role],
      );
      if (!sign) throw new Error(`too few "${tally.role}" users for "${id}"`);
      if (!sign.action.decisions?.includes('go')) throw new Error(`"${id}" does not allow go`);
      return {
        type: 'signoff',
        actor: sign.actor,
        nodeId: id,
        decision: 'go',
        role: tally.role,
        ...(node.type === 'gate' && { criteria: fullMarks(node) }),
        comment: 'agreed',
      };
    }
  }
  const retire = first((a) => a.action === 'retire');
  if (retire) return { type: 'retire', actor: retire.actor, reason: 'steady state reached' };
  return undefined;
}

/** One step of a rehearsed plan: the command and what the interpreter answered. */
export interface Rehearsed {
  command: Command;
  result: ActionResult;
}

/** Runs the plan through the pure interpreter and returns its steps; throws on a refusal. */
export function rehearse(input: ProjectInput, now = Date.now()): Rehearsed[] {
  let machine: Machine = startProject(input, now).machine;
  const steps: Rehearsed[] = [];
  const drive = happyPath(input.template, input.participants);
  for (let next = drive.next(); !next.done;) {
    const command = next.value;
    const decision = decide(machine, command, now);
    if (!decision.ok) {
      const { code, message } = decision.rejection;
      throw new Error(
        `plan step ${steps.length + 1} (${command.type}) refused: ${code}: ${message}`,
      );
    }
    steps.push({ command, result: decision.result });
    machine = decision.machine;
    next = drive.next(decision.result);
  }
  if (machine.state.status !== 'completed') {
    throw new Error(`the plan leaves the project ${machine.state.status}, not completed`);
  }
  return steps;
}
