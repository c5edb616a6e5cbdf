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
import type { UpdateDefinition } from '@temporalio/common';
import type { z } from 'zod';
import {
  decide,
  isClosed,
  nextDeadline,
  startProject,
  tick,
  type Decision,
  type Effects,
  type Machine,
} from './lifecycle';
import * as m from './messages';
import {
  checkParticipants,
  CompleteStageInput,
  ConditionMetInput,
  DeliverableInput,
  ExtendHypercareInput,
  FeedbackInput,
  MigrateInput,
  ProjectInput,
  ProjectState,
  RaiseIssueInput,
  ReasonInput,
  RecordKpiInput,
  ResolveIssueInput,
  SignoffInput,
  validateTemplate,
  type ActionResult,
  type Command,
  type Rejection,
} from './model';
import { DeadlineTimer } from './deadline-timer';
import { Outbox } from './outbox';

/** Patch id: one timer per earliest deadline instead of one per wake-up. */
const SINGLE_DEADLINE_TIMER = 'single-deadline-timer';

/** Default number of monitor reviews per run before continuing as new. */
const REVIEWS_PER_RUN = 24;

export interface LifecycleInput extends ProjectInput {
  /** State carried over by continue-as-new. */
  continued?: ProjectState;
}

export async function projectLifecycle(input: LifecycleInput): Promise<ProjectState> {
  const outbox = new Outbox();
  let machine = boot(input, outbox);
  let changed = false;

  const commit = (next: Machine, effects: Effects) => {
    machine = next;
    outbox.push(effects, next.state);
    changed = true;
  };

  const validated = new ValidatedDecision();

  setHandler(m.stateQuery, () => machine.state);
  const on = <A extends object>(
    update: UpdateDefinition<ActionResult, [A]>,
    type: Command['type'],
    schema: z.ZodType<A>,
  ) => {
    const command = (args: A) => ({ ...args, type }) as unknown as Command;
    setHandler(
      update,
      (args: A) => {
        const decision =
          validated.take(machine, command(args)) ?? decide(machine, command(args), Date.now());
        if (!decision.ok) throw refusal(decision.rejection);
        if (!decision.replayed) commit(decision.machine, decision.effects);
        return decision.result;
      },
      {
        validator: (args: A) => {
          const parsed = schema.safeParse(args);
          if (!parsed.success) {
            const issue = parsed.error.issues[0]!;
            throw refusal({
              code: 'invalid_input',
              message: issue.message,
              path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
            });
          }
          const decision = decide(machine, command(args), Date.now());
          if (!decision.ok) throw refusal(decision.rejection);
          validated.keep(machine, command(args), decision);
        },
      },
    );
  };
  on(m.signoffUpdate, 'signoff', SignoffInput);
  on(m.submitDeliverableUpdate, 'deliverable', DeliverableInput);
  on(m.completeStageUpdate, 'complete', CompleteStageInput);
  on(m.raiseIssueUpdate, 'raiseIssue', RaiseIssueInput);
  on(m.resolveIssueUpdate, 'resolveIssue', ResolveIssueInput);
  on(m.extendHypercareUpdate, 'extendHypercare', ExtendHypercareInput);
  on(m.recordKpiUpdate, 'recordKpi', RecordKpiInput);
  on(m.feedbackUpdate, 'feedback', FeedbackInput);
  on(m.conditionMetUpdate, 'conditionMet', ConditionMetInput);
  on(m.resumeUpdate, 'resume', ReasonInput);
  on(m.retireUpdate, 'retire', ReasonInput);
  on(m.cancelUpdate, 'cancel', ReasonInput);
  on(m.migrateUpdate, 'migrate', MigrateInput);

  void outbox.run();

  const reviewsPerRun = input.options?.reviewsPerRun ?? REVIEWS_PER_RUN;
  const wantsNewRun = () =>
    machine.state.reviewsThisRun >= reviewsPerRun || workflowInfo().continueAsNewSuggested;

  // Runs started before the long-lived deadline timer restarted it on every wake-up; their
  // histories must replay as they were recorded.
  const timer = patched(SINGLE_DEADLINE_TIMER) ? new DeadlineTimer() : undefined;
  while (!isClosed(machine.state)) {
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
    const fired = tick(machine, Date.now());
    if (fired.machine !== machine) commit(fired.machine, fired.effects);
  }

  // Let the last audit entries and notifications go out, and running Updates finish.
  await condition(() => outbox.idle() && allHandlersFinished());
  if (isClosed(machine.state)) return machine.state;
  const state = { ...machine.state, reviewsThisRun: 0 };
  return continueAsNew<typeof projectLifecycle>({
    ...input,
    template: machine.template,
    version: state.template.version,
    continued: state,
  });
}

/** The machine to run: carried over from the previous run, or a freshly started project. */
function boot(input: LifecycleInput, outbox: Outbox): Machine {
  if (input.continued) return { state: input.continued, template: input.template };
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
  const started = startProject(input, Date.now());
  outbox.push(started.effects, started.machine.state);
  return started.machine;
}

/**
 * The decision an Update's validator reached, for its handler. The SDK runs the handler right
 * after the validator, in the same activation, with the same arguments decoded afresh: when
 * the machine, the time and the command are unchanged, the pure `decide` would give the same
 * answer again. Replay runs no validator, so the handler decides for itself there.
 */
class ValidatedDecision {
  private kept: { machine: Machine; now: number; command: string; decision: Decision } | undefined;

  keep(machine: Machine, command: Command, decision: Decision): void {
    this.kept = { machine, now: Date.now(), command: JSON.stringify(command), decision };
  }

  /** The kept decision if it was reached for this very command (type included), else none. */
  take(machine: Machine, command: Command): Decision | undefined {
    const kept = this.kept;
    this.kept = undefined;
    if (!kept || kept.machine !== machine || kept.now !== Date.now()) return undefined;
    return kept.command === JSON.stringify(command) ? kept.decision : undefined;
  }
}

function refusal(rejection: Rejection): ApplicationFailure {
  return ApplicationFailure.create({
    type: rejection.code,
    message: rejection.message,
    nonRetryable: true,
    details: [rejection],
  });
}
