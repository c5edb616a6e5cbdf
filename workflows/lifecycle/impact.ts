/**
 * Template change impact (issue 15): what a candidate version would do to a running project.
 * The project's recorded inputs (its start, its accepted Updates, the times its workflow tasks
 * ran) are replayed through this interpreter twice: under the versions it ran (where it stands
 * today) and under the candidate (where it would stand). Whether it can move at all is the
 * interpreter's own `migrate` rule asked of today's machine, so the analysis never promises
 * what a migration refuses. Pure: the history is read elsewhere (server/impact).
 */
import { INPUT_REVISION } from '../model/commands';
import { missingDeliverables } from '../model/deliverables';
import { ruleTallies, isSignable } from '../model/signers';
import { migrateState } from '../model/state-migrations';
import type {
  ActionInput,
  ActionName,
  Command,
  Deadline,
  Difference,
  ImpactSummary,
  ProjectImpact,
  ProjectInput,
  ProjectState,
  StoredProjectState,
  Template,
} from '../model';
import {
  decide,
  isClosed,
  nextDeadline,
  startProject,
  tick,
  type DecideOptions,
  type Decision,
  type Machine,
} from './machine';
import { commandOf, legacyState, legacyTemplate } from './legacy';

/** The workflow input of a project's first recorded run (continued state when it is all we have). */
export type StartInput = ProjectInput & { continued?: StoredProjectState };

/**
 * How the workflow decided: the options the patches its history records gave it (`legacy`
 * aside: `commandOf` tells it from the input). Absent, today's code decides.
 */
export type RecordedOptions = Omit<DecideOptions, 'legacy'>;

/** What a run's timers fire with: patches it asks once, when it begins. */
export type RunOptions = Pick<
  DecideOptions,
  'reusedFollowUpIds' | 'legacyRevisitCounts' | 'legacyExitNotices'
>;

/**
 * One input the workflow received: an accepted Update, at the time its workflow task ran
 * (the `Date.now()` its handler saw). Timers are not inputs: the replay fires each deadline
 * of its own state at its time, so a candidate's other deadlines fire where they would.
 */
export interface HistoryInput {
  kind: 'update';
  at: number;
  name: ActionName;
  args: ActionInput;
  /** How the workflow decided it (its run's patches and its own). */
  options?: RecordedOptions;
}

/** One workflow run read. */
export interface HistoryRun {
  /** When its last event was recorded; absent for the newest run. */
  endedAt?: number;
  options: RunOptions;
}

/** A project's inputs, rebuilt from its workflow history (every run, oldest first). */
export interface ProjectHistory {
  projectId: string;
  start: StartInput;
  /** When the project started: its input's time, or when its first workflow task ran. */
  startedAt: number;
  inputs: HistoryInput[];
  /** Workflow runs read, oldest first (continue-as-new starts a run). */
  runs: HistoryRun[];
}

/** The version a project would move to. */
export interface Candidate {
  template: Template;
  version: number;
}

/** Cap on differences listed per project (the count of the rest is the last entry). */
const DIFFERENCES_SHOWN = 30;
/** Deadlines fired per replay step at most: a runaway schedule is a bug, not a loop. */
const TICKS_PER_STEP = 10_000;

interface Replayed {
  machine: Machine;
  /**
   * Index in `inputs` → an Update this replay refused: why, and whether the vote itself was
   * refused (its node stood open, or is gone) rather than the project not being there yet.
   */
  refused: Map<number, { command: Command; message: string; voided: boolean }>;
}

/**
 * Replays a project's inputs under the versions it ran (`candidate` absent: its start input,
 * then its own migrations) or under `candidate` from its start (its own migrations skipped: it
 * already runs the candidate). Deadlines fire at their own times; `now` ends the replay.
 *
 * Each input is decided, and each deadline fired, with the options the workflow had then
 * (the patches its history records), under the candidate too: the code that decided the
 * project's past is a fact of that past, as its inputs are, so the two replays differ by the
 * template alone. Today's options would re-decide an Update recorded before a patch as no
 * worker ever did, in both replays, and call that where the project stands.
 * `observe` sees each input's decision (tests compare it with the answer recorded).
 */
export function replayProject(
  history: ProjectHistory,
  now: number,
  candidate?: Candidate,
  observe?: (index: number, decision: Decision) => void,
): Replayed {
  let machine = boot(history, candidate);
  const refused: Replayed['refused'] = new Map();
  history.inputs.forEach((input, index) => {
    machine = advance(machine, input.at, history.runs);
    const { command, legacy } = commandOf(input.name, input.args);
    if (candidate && command.type === 'migrate') return;
    const decision = decide(machine, command, input.at, { ...input.options, legacy });
    observe?.(index, decision);
    if (decision.ok) machine = decision.machine;
    else {
      const nodeId = 'nodeId' in command ? command.nodeId : undefined;
      const voided =
        nodeId !== undefined &&
        (machine.state.current.includes(nodeId) ||
          !machine.template.nodes.some((n) => n.id === nodeId));
      refused.set(index, { command, message: decision.rejection.message, voided });
    }
  });
  return { machine: advance(machine, now, history.runs), refused };
}

function boot(history: ProjectHistory, candidate: Candidate | undefined): Machine {
  const { start } = history;
  const legacy = start.rev === undefined;
  const template = legacy ? legacyTemplate(start.template) : start.template;
  if (start.continued) {
    // The runs before this one are gone (retention): replay from the state it carried over.
    const carried = migrateState(start.continued);
    const state = legacy ? legacyState(carried, template) : carried;
    if (!candidate) return { state, template };
    return {
      state: { ...state, template: { key: candidate.template.key, version: candidate.version } },
      template: candidate.template,
    };
  }
  const input = candidate
    ? { ...start, template: candidate.template, version: candidate.version }
    : { ...start, template };
  return startProject(input, history.startedAt).machine;
}

/**
 * Fires every deadline due by `at`, each at its own time, as the workflow's timers would:
 * in the run that was running then, with its options.
 */
function advance(machine: Machine, at: number, runs: readonly HistoryRun[]): Machine {
  for (let n = 0; n < TICKS_PER_STEP; n++) {
    const due = nextDeadline(machine.state);
    if (due === undefined || due > at || isClosed(machine.state)) return machine;
    const { legacyRevisitCounts, legacyExitNotices } = runAt(runs, due);
    machine = tick(machine, due, { legacyRevisitCounts, legacyExitNotices }).machine;
  }
  return machine;
}

/** The options of the run that was running at `at` (the newest run's from its start on). */
function runAt(runs: readonly HistoryRun[], at: number): RunOptions {
  const run = runs.find((r) => r.endedAt === undefined || r.endedAt >= at) ?? runs.at(-1);
  return run?.options ?? {};
}

/**
 * Classifies one project against `candidate`: `blocked` when today's machine refuses the move
 * (the migration rule), else `unchanged` when a replay under the candidate stands where today's
 * does with the same votes counted and deadlines, else `differs` with what differs.
 */
export function analyseProject(
  history: ProjectHistory,
  candidate: Candidate,
  now: number,
  actor = 'impact-analysis',
): ProjectImpact {
  const today = replayProject(history, now);
  const state = today.machine.state;
  const base = {
    projectId: history.projectId,
    name: history.start.name,
    version: state.template.version,
    current: [...state.current],
  };
  const move = decide(
    today.machine,
    {
      type: 'migrate',
      actor: { userId: actor, pmo: true },
      version: candidate.version,
      template: candidate.template,
      rev: INPUT_REVISION,
    },
    now,
    // The migration would be an Update to the run now running: decided with its options.
    runAt(history.runs, now),
  );
  if (!move.ok) {
    const reasons = move.rejection.errors?.length
      ? move.rejection.errors.map((e) => ({
          kind: 'participants' as const,
          message: e.message,
        }))
      : [{ kind: 'blocked' as const, message: move.rejection.message }];
    return { ...base, class: 'blocked', wouldStand: [...state.current], differences: reasons };
  }
  const would = replayProject(history, now, candidate);
  const differences = compare(history, today, would, candidate.template);
  const shown = differences.slice(0, DIFFERENCES_SHOWN);
  if (differences.length > shown.length) {
    shown.push({
      kind: 'action_refused',
      message: `and ${differences.length - shown.length} more differences`,
    });
  }
  return {
    ...base,
    class: differences.length === 0 ? 'unchanged' : 'differs',
    wouldStand: [...would.machine.state.current],
    differences: shown,
  };
}

function compare(
  history: ProjectHistory,
  today: Replayed,
  would: Replayed,
  template: Template,
): Difference[] {
  const a = today.machine.state;
  const b = would.machine.state;
  const differences: Difference[] = [];
  const here = [...a.current].sort().join(', ');
  const there = [...b.current].sort().join(', ');
  if (here !== there) {
    differences.push({
      kind: 'node',
      ...(b.current[0] !== undefined && { nodeId: b.current[0] }),
      message: `would stand in ${there || 'no node'} instead of ${here || 'no node'}`,
    });
  }
  if (a.status !== b.status) {
    differences.push({ kind: 'status', message: `would be ${b.status} instead of ${a.status}` });
  }
  differences.push(...refusedHere(history, today, would));
  // What the candidate would still want that today's version does not already want.
  const wantedToday = new Set(missingAt(a, today.machine.template).map((d) => d.message));
  differences.push(...missingAt(b, template).filter((d) => !wantedToday.has(d.message)));
  differences.push(...movedDeadlines(a.deadlines, b.deadlines));
  return differences;
}

/**
 * Updates today's replay accepted that the candidate's refuses: each sign-off that would not
 * count, then the count of later actions the project would not have reached.
 */
function refusedHere(history: ProjectHistory, today: Replayed, would: Replayed): Difference[] {
  const signoffs: Difference[] = [];
  const others = new Map<string, number>();
  for (const [index, { command, message, voided }] of would.refused) {
    if (today.refused.has(index)) continue;
    const input = history.inputs[index]!;
    if (command.type === 'signoff' && voided) {
      signoffs.push({
        kind: 'signoff_void',
        nodeId: command.nodeId,
        message: `${command.decision} by ${command.actor.userId}${command.role ? ` as ${command.role}` : ''} on ${at(input.at)} would not count: ${message}`,
      });
    } else {
      others.set(input.name, (others.get(input.name) ?? 0) + 1);
    }
  }
  const rest = [...others].map(([name, count]) => `${name} ×${count}`).join(', ');
  return rest
    ? [...signoffs, { kind: 'action_refused', message: `later actions would be refused: ${rest}` }]
    : signoffs;
}

/** What the nodes it would stand in still lack for a `go`. */
function missingAt(state: ProjectState, template: Template): Difference[] {
  const differences: Difference[] = [];
  for (const nodeId of state.current) {
    const node = template.nodes.find((n) => n.id === nodeId);
    const rec = state.nodes[nodeId];
    if (!node || !rec) continue;
    if (isSignable(node)) {
      for (const tally of ruleTallies(node, rec.votes)) {
        if (tally.met) continue;
        differences.push({
          kind: 'signoff_missing',
          nodeId,
          message: `${nodeId} would need ${tally.min} go sign-off(s) of ${tally.role}, has ${tally.go}`,
        });
      }
    }
    for (const deliverable of missingDeliverables(node, rec)) {
      differences.push({
        kind: 'deliverable_missing',
        nodeId,
        message: `${nodeId} would lack the required deliverable "${deliverable.id}"`,
      });
    }
  }
  return differences;
}

/** Deadlines that move, appear or go, matched by what they are (not by their ids). */
function movedDeadlines(today: readonly Deadline[], would: readonly Deadline[]): Difference[] {
  const key = (d: Deadline) =>
    `${d.kind}|${d.nodeId ?? ''}|${d.index ?? ''}|${d.conditionId ?? ''}`;
  const byKey = (list: readonly Deadline[]) => new Map(list.map((d) => [key(d), d]));
  const a = byKey(today);
  const b = byKey(would);
  const differences: Difference[] = [];
  const label = (d: Deadline) =>
    `${d.kind}${d.nodeId ? ` of ${d.nodeId}` : ''}${d.index !== undefined ? ` #${d.index}` : ''}`;
  for (const [k, d] of a) {
    const moved = b.get(k);
    const nodeId = d.nodeId !== undefined ? { nodeId: d.nodeId } : {};
    if (!moved) {
      differences.push({
        kind: 'deadline',
        ...nodeId,
        message: `${label(d)} at ${at(d.at)} would not be set`,
      });
    } else if (moved.at !== d.at) {
      differences.push({
        kind: 'deadline',
        ...nodeId,
        message: `${label(d)} would move from ${at(d.at)} to ${at(moved.at)}`,
      });
    }
  }
  for (const [k, d] of b) {
    if (a.has(k)) continue;
    differences.push({
      kind: 'deadline',
      ...(d.nodeId !== undefined && { nodeId: d.nodeId }),
      message: `${label(d)} would be set for ${at(d.at)}`,
    });
  }
  return differences;
}

const at = (ms: number) => new Date(ms).toISOString();

/** Counts per class, every class present. */
export function summarise(impacts: readonly Pick<ProjectImpact, 'class'>[]): ImpactSummary {
  const summary: ImpactSummary = { unchanged: 0, differs: 0, blocked: 0 };
  for (const impact of impacts) summary[impact.class] += 1;
  return summary;
}
