/**
 * `projectLifecycle`: one workflow per project. It holds the interpreter's machine, turns each
 * Update into a command (validated first, so a refused action leaves no trace in history),
 * sleeps until the next durable deadline, and continues as new to keep history bounded.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { REVISIT_COUNTS } from './lifecycle/context';
import { RECORD_BATCH_BYTES } from './lifecycle/effects';
import { HYPERCARE_EXIT_NOTICES } from './lifecycle/exit-standing';
import { KPI_FOLLOW_UP_VISITS } from './lifecycle/kpi-review';
import { commandOf, fromLegacy, legacyState, legacyTemplate } from './lifecycle/legacy';
import {
  decide,
  INPUT_START_TIME,
  isClosed,
  nextDeadline,
  startProject,
  tick,
} from './lifecycle/machine';
import { updatePatches } from './lifecycle/update-patches';
import type { Decision, Effects, Machine } from './lifecycle';
import { actionUpdate, stateQuery } from './messages';
import { ACTION_NAMES, ACTIONS } from './model/actions';
import { INPUT_REVISION, ProjectInput } from './model/commands';
import { checkParticipants } from './model/staffing';
import { migrateState } from './model/state-migrations';
import { validateTemplate } from './model/validate';
import type { ActionInput, ActionName, ProjectState, Rejection, StoredProjectState } from './model';
import { DeadlineTimer } from './deadline-timer';
import { Outbox, OUTBOX_PUSH_WAKE } from './outbox';

/** Patch id: one timer per earliest deadline instead of one per wake-up. */
const SINGLE_DEADLINE_TIMER = 'single-deadline-timer';

// The per-Update patches, named where the impact analysis reads them too.
export {
  FEEDBACK_HANDOVER,
  ISSUE_RESOLVED_NOTICE,
  KPI_IN_RANGE,
  KPI_NOT_FUTURE,
  KPI_REVIEW_DELEGATION,
  METRICS_AS_SEEN,
  MIGRATION_DEADLINE,
} from './lifecycle/update-patches';

/** Default number of monitor reviews per run before continuing as new. */
const REVIEWS_PER_RUN = 24;

export interface LifecycleInput extends ProjectInput {
  /** State carried over by continue-as-new, in the shape of the code that continued. */
  continued?: StoredProjectState;
}

export async function projectLifecycle(input: LifecycleInput): Promise<ProjectState> {
  // Projects of this revision record in batches of bounded size; older histories recorded
  // everything queued at once, and replay must schedule the same activities.
  const outbox = new Outbox(
    input.rev === undefined ? undefined : RECORD_BATCH_BYTES,
    patched(OUTBOX_PUSH_WAKE),
  );
  // A run begun before this patch goes on naming the KPI follow-ups of a monitor entered again
  // as it did: the first visit's ids again (kpi-review.ts).
  const reusedFollowUpIds = !patched(KPI_FOLLOW_UP_VISITS);
  // Likewise a run begun before this patch numbers a monitor's reviews from #1 on each visit and
  // caps a review's decisions over all its visits (Step.revisitCounts). Asked once per run, as
  // both are decided when a node is entered and by Updates and timers alike.
  const legacyRevisitCounts = !patched(REVISIT_COUNTS);
  // A run begun before this patch words the escalations of an unaccepted hypercare exit as it
  // did (they are decided by timers: asked once per run, like the two above).
  const legacyExitNotices = !patched(HYPERCARE_EXIT_NOTICES);
  let machine = boot(input, outbox);
  let changed = false;

  const commit = (next: Machine, effects: Effects) => {
    machine = next;
    outbox.push(effects, next.state);
    changed = true;
  };

  const validated = new ValidatedDecision();

  setHandler(stateQuery, () => machine.state);
  // One handler per entry of the action table: validated first (a refusal leaves no trace in
  // the history), then applied with the validator's decision.
  const handle = (name: ActionName) =>
    setHandler(
      actionUpdate(name),
      (args: ActionInput) => {
        outbox.settleIfLoaded(machine.state);
        // Replaying an Update applied before a patch (by a worker of older code), its option
        // is false: decided as then. Live, it is true (the validator decided so) and the
        // marker is recorded with this Update.
        const patches = updatePatches(name, args, patched);
        let decision = validated.take(machine, name, args);
        if (!decision) {
          const { command, legacy } = commandOf(name, args);
          decision = decide(machine, command, Date.now(), {
            legacy,
            reusedFollowUpIds,
            legacyRevisitCounts,
            ...patches,
          });
        }
        if (!decision.ok) throw refusal(decision.rejection);
        if (!decision.replayed) commit(decision.machine, decision.effects);
        return decision.result;
      },
      {
        validator: (args: ActionInput) => {
          outbox.settleIfLoaded(machine.state);
          const parsed = ACTIONS[name].commandSchema.safeParse({
            ...args,
            type: ACTIONS[name].command,
          });
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            throw refusal({
              code: 'invalid_input',
              message: issue.message,
              path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
            });
          }
          const legacy = parsed.data.rev === undefined;
          const command = legacy ? fromLegacy(parsed.data) : parsed.data;
          // Validators run live only, where the patch is in effect (see the handler).
          const decision = decide(machine, command, Date.now(), {
            legacy,
            feedbackHandover: true,
            reusedFollowUpIds,
            legacyRevisitCounts,
            overBudgetAlert: true,
          });
          if (!decision.ok) throw refusal(decision.rejection);
          // A legacy input's handler converts it as it did when recorded: it decides anew.
          if (!legacy) validated.keep(machine, name, args, decision);
        },
      },
    );
  for (const name of ACTION_NAMES) handle(name);

  void outbox.run();

  const reviewsPerRun = input.options?.reviewsPerRun ?? REVIEWS_PER_RUN;
  const wantsNewRun = () =>
    machine.state.reviewsThisRun >= reviewsPerRun || workflowInfo().continueAsNewSuggested;

  // Runs started before the long-lived deadline timer restarted it on every wake-up; their
  // histories must replay as they were recorded.
  const timer = patched(SINGLE_DEADLINE_TIMER) ? new DeadlineTimer() : undefined;
  while (!isClosed(machine.state)) {
    outbox.settleIfLoaded(machine.state);
    if (wantsNewRun() && outbox.idle()) break;
    changed = false;
    const wake = () => changed || (wantsNewRun() && outbox.idle());
    const next = nextDeadline(machine.state);
    if (timer) {
      // Most Updates leave the earliest deadline where it was: the loop sleeps through them.
      timer.arm(next);
      await condition(
        () =>
          timer.fired() ||
          isClosed(machine.state) ||
          nextDeadline(machine.state) !== next ||
          (wantsNewRun() && outbox.idle()),
      );
    } else if (next === undefined) await condition(wake);
    else await condition(wake, Math.max(next - Date.now(), 1));
    const fired = tick(machine, Date.now(), { legacyRevisitCounts, legacyExitNotices });
    if (fired.machine !== machine) commit(fired.machine, fired.effects);
  }

  // Let the last audit entries and notifications go out, and running Updates finish.
  await condition(() => outbox.idle() && allHandlersFinished());
  if (isClosed(machine.state)) return machine.state;
  // Keys of Updates from before INPUT_REVISION answer only such Updates: none reach a new run.
  const state = { ...machine.state, reviewsThisRun: 0, idempotency: {} };
  return continueAsNew<typeof projectLifecycle>({
    ...input,
    template: machine.template,
    version: state.template.version,
    rev: INPUT_REVISION,
    continued: state,
  });
}

/** The machine to run: carried over from the previous run, or a freshly started project. */
function boot(input: LifecycleInput, outbox: Outbox): Machine {
  const legacy = input.rev === undefined;
  const template = legacy ? legacyTemplate(input.template) : input.template;
  if (input.continued) {
    const state = migrateState(input.continued);
    return { state: legacy ? legacyState(state, template) : state, template };
  }
  // A project started before INPUT_REVISION passed the checks of its time when it started;
  // today's caps and staffing rules must not refuse it on replay.
  if (!legacy) {
    const parsed = ProjectInput.safeParse(input);
    const problems = parsed.success
      ? [
          ...validateTemplate(input.template).errors,
          ...checkParticipants(input.template, input.participants),
        ]
      : parsed.error.issues.map((i) => ({ path: i.path, message: i.message }));
    if (problems.length > 0) {
      throw ApplicationFailure.create({
        type: 'invalid_input',
        message: `cannot start project: ${problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; ')}`,
        nonRetryable: true,
        details: [problems],
      });
    }
  }
  // The API lists a project the moment it starts it, at the time it passes here: the project
  // starts at that time, so its start time never moves. A run begun before the patch (or an
  // input without a time) starts at the workflow's clock, as recorded.
  const at =
    input.startedAt !== undefined && patched(INPUT_START_TIME) ? input.startedAt : Date.now();
  const started = startProject({ ...input, template }, at);
  outbox.push(started.effects, started.machine.state);
  return started.machine;
}

/**
 * The decision an Update's validator reached, for its handler. The SDK runs the handler right
 * after the validator, in the same activation, with the same arguments decoded afresh: when
 * the machine, the time, the action and the arguments are unchanged, parsing them and the
 * pure `decide` would give the same answer again. Replay runs no validator, so the handler
 * parses and decides for itself there.
 */
class ValidatedDecision {
  private kept: { machine: Machine; now: number; input: string; decision: Decision } | undefined;

  keep(machine: Machine, name: ActionName, args: ActionInput, decision: Decision): void {
    this.kept = { machine, now: Date.now(), input: inputKey(name, args), decision };
  }

  /** The kept decision if it was reached for this very action and input, else none. */
  take(machine: Machine, name: ActionName, args: ActionInput): Decision | undefined {
    const kept = this.kept;
    this.kept = undefined;
    if (!kept || kept.machine !== machine || kept.now !== Date.now()) return undefined;
    return kept.input === inputKey(name, args) ? kept.decision : undefined;
  }
}

/** The action and its raw input as text: the same text parses to the same command. */
const inputKey = (name: ActionName, args: ActionInput) => `${name}\u0000${JSON.stringify(args)}`;

function refusal(rejection: Rejection): ApplicationFailure {
  return ApplicationFailure.create({
    type: rejection.code,
    message: rejection.message,
    nonRetryable: true,
    details: [rejection],
  });
}
