/**
 * The impact analysis rebuilds a project from its history's inputs alone (issue 15). Every
 * recorded history, from earlier code too (inputs without `rev`, old severities, a run started
 * by continue-as-new, Updates applied before a patch), replayed through the interpreter, must
 * end where its workflow ended (the state it completed with, or carried into its next run) and
 * answer each accepted Update as the workflow did. Histories of other workflow types (a bulk
 * migration job) are not projects and are left to the replay test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { epochMs, historyOf } from '../../server/impact/history';
import { analyseProject, replayProject } from '../../workflows/lifecycle';
import { PROJECT_WORKFLOW } from '../../workflows/messages';
import {
  migrateState,
  type ActionResult,
  type ProjectState,
  type StoredProjectState,
} from '../../workflows/model';

type LifecycleInput = { continued: StoredProjectState };
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const HISTORIES = path.join(__dirname, 'histories');

function recorded() {
  return readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.binpb'))
    .sort()
    .map((file) => ({ name: file.replace(/\.binpb$/, ''), events: eventsOf(file) }))
    .filter(({ events }) => typeOf(events) === PROJECT_WORKFLOW);
}

function eventsOf(file: string): HistoryEvent[] {
  return temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES, file))).events;
}

/** The workflow type a history ran: projects only here, not e.g. a bulk migration job. */
function typeOf(events: HistoryEvent[]): string | null | undefined {
  return events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
}

interface Outcome {
  status: string;
  current: string[];
  /** When it was known: the last event, or the last Update's answer of a history still running. */
  at: number;
  /** The state it ended with, when it ended (completed or continued as new). */
  ended?: ProjectState;
}

/**
 * Where a run stood last: the state it completed with or carried into its next run; for a
 * history recorded while still running, the answer of its last accepted Update.
 */
function outcomeOf(events: HistoryEvent[]): Outcome | undefined {
  const last = events.at(-1)!;
  const completed = last.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  const next = last.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0];
  const ended = completed
    ? defaultPayloadConverter.fromPayload<ProjectState>(completed)
    : next && migrateState(defaultPayloadConverter.fromPayload<LifecycleInput>(next).continued);
  if (ended) {
    const { status, current } = ended;
    return { status, current, at: epochMs(last.eventTime), ended };
  }
  let answer: Outcome | undefined;
  let taskAt = 0;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) taskAt = epochMs(event.eventTime);
    const success = event.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success;
    const result = success?.payloads?.[0];
    if (!result) continue;
    const { status, current } = defaultPayloadConverter.fromPayload<ActionResult>(result);
    answer = { status, current, at: taskAt };
  }
  return answer;
}

it.each(recorded())('rebuilds $name from its inputs', ({ events }) => {
  const outcome = outcomeOf(events);
  expect(outcome).toBeDefined();
  const history = historyOf('recorded', [events]);
  const inputs = history.inputs.filter((input) => input.at <= outcome!.at);
  const rebuilt = replayProject({ ...history, inputs }, outcome!.at).machine.state;
  expect({ status: rebuilt.status, current: rebuilt.current }).toEqual({
    status: outcome!.status,
    current: outcome!.current,
  });
  // What the analysis compares beyond where it stands: the obligations and the deadlines.
  const ended = outcome!.ended;
  if (ended) {
    expect({ conditions: rebuilt.conditions, deadlines: rebuilt.deadlines }).toEqual({
      conditions: ended.conditions,
      deadlines: ended.deadlines,
    });
  }
});

/**
 * Each accepted Update's answer (completed event, matched by update id), in the order the
 * Updates were accepted; a failed Update answers its failure's message.
 */
function answersOf(events: HistoryEvent[]): (ActionResult | string)[] {
  const byId = new Map<string, ActionResult | string>();
  for (const event of events) {
    const done = event.workflowExecutionUpdateCompletedEventAttributes;
    const payload = done?.outcome?.success?.payloads?.[0];
    if (done) {
      byId.set(
        done.meta?.updateId ?? '',
        payload
          ? defaultPayloadConverter.fromPayload<ActionResult>(payload)
          : (done.outcome?.failure?.message ?? 'failed'),
      );
    }
  }
  return events.flatMap((event) => {
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes;
    return accepted ? [byId.get(accepted.acceptedRequest?.meta?.updateId ?? '')!] : [];
  });
}

/**
 * The part of an answer the replay must give again: where the project stands, the node and the
 * id the action touched, the audit sequence (when the code of the time answered it). The node's
 * record is left out: the replay fires a deadline at its due time, the workflow at the time of
 * the task its timer woke, so the times a timer set differ by that wake-up's delay.
 */
function compact(answer: ActionResult | string | undefined, recorded: ActionResult | string) {
  if (typeof answer !== 'object' || typeof recorded !== 'object') return answer;
  const { status, current, nodeId, id, seq } = answer;
  return { status, current, nodeId, id, ...(recorded.seq !== undefined && { seq }) };
}

it.each(recorded())('answers every Update of $name as its workflow did', ({ events }) => {
  const answers = answersOf(events);
  const history = historyOf('recorded', [events]);
  expect(history.inputs).toHaveLength(answers.length);
  const replayed: (ActionResult | string | undefined)[] = [];
  replayProject(history, epochMs(events.at(-1)!.eventTime), undefined, (index, decision) => {
    replayed[index] = decision.ok ? decision.result : decision.rejection.message;
  });
  const named = (list: readonly unknown[]) =>
    list.map((answer, i) => [i, history.inputs[i]!.name, answer]);
  expect(named(replayed.map((answer, i) => compact(answer, answers[i]!)))).toEqual(
    named(answers.map((answer) => compact(answer, answer))),
  );
});

it('reads the patches each Update was decided with, per run and per workflow task', () => {
  const optionsOf = (name: string) =>
    historyOf(name, [eventsOf(`${name}.binpb`)]).inputs.map((i) => [i.name, i.options]);
  // Marked with the feedback, and in effect for the later Updates that ask it (no marker).
  expect(optionsOf('feedback-handover')).toEqual([
    ['feedback', expect.objectContaining({ feedbackHandover: true })],
    ['setFeedbackStatus', expect.objectContaining({ feedbackHandover: true })],
    ['reassign', expect.objectContaining({ feedbackHandover: true })],
    ['cancel', expect.objectContaining({ feedbackHandover: false })],
  ]);
  // A reassign applied before the patch; a run begun before kpi-follow-up-visits and
  // revisit-counts, and one begun after both.
  expect(optionsOf('delegation-reassign')[4]).toEqual([
    'reassign',
    expect.objectContaining({
      feedbackHandover: false,
      reusedFollowUpIds: true,
      legacyRevisitCounts: true,
    }),
  ]);
  expect(optionsOf('revisit-counts')[0]![1]).toMatchObject({
    reusedFollowUpIds: false,
    legacyRevisitCounts: false,
  });
  expect(optionsOf('migration-deadline-unpatched')).toEqual([
    ['migrate', expect.objectContaining({ migrationDeadline: false })],
  ]);
  // Resolving told the raiser only from patch issue-resolved-notice on.
  const resolve = (name: string) => optionsOf(name).find(([action]) => action === 'resolveIssue');
  expect(resolve('issue-resolved-notice')).toEqual([
    'resolveIssue',
    expect.objectContaining({ issueResolvedNotice: true }),
  ]);
  expect(resolve('issue-resolved-notice-unpatched')).toEqual([
    'resolveIssue',
    expect.objectContaining({ issueResolvedNotice: false }),
  ]);
  // A reading dated after now is refused from kpi-not-future on; one before it was recorded.
  const reading = (name: string) => optionsOf(name).find(([action]) => action === 'recordKpi');
  expect(reading('kpi-not-future')).toEqual([
    'recordKpi',
    expect.objectContaining({ kpiNotFuture: true }),
  ]);
  expect(reading('kpi-inputs-unpatched')).toEqual([
    'recordKpi',
    expect.objectContaining({ kpiNotFuture: false }),
  ]);
  // A review done for someone else is a stand-in's from kpi-review-delegation on.
  const review = (name: string) => optionsOf(name).find(([action]) => action === 'kpiReview');
  expect(review('kpi-review-delegation')).toEqual([
    'kpiReview',
    expect.objectContaining({ kpiReviewDelegation: true }),
  ]);
  expect(review('kpi-inputs-unpatched')).toEqual([
    'kpiReview',
    expect.objectContaining({ kpiReviewDelegation: false }),
  ]);
  // A run's escalations of an unaccepted exit name people from hypercare-exit-notices on.
  const run = (name: string) => historyOf(name, [eventsOf(`${name}.binpb`)]).runs[0]!.options;
  expect(run('hypercare-exit-notices')).toMatchObject({ legacyExitNotices: false });
  expect(run('hypercare-exit')).toMatchObject({ legacyExitNotices: true });
  expect(optionsOf('delivery-cost')[1]).toEqual([
    'recordCost',
    expect.objectContaining({ overBudgetAlert: false }),
  ]);
});

it('analyses a project migrated before migration-deadline where it stands: on its new version', () => {
  // Its migrate carried a notAfter already past, applied by code older than the patch.
  const events = eventsOf('migration-deadline-unpatched.binpb');
  const history = historyOf('migrated', [events]);
  const { name, args } = history.inputs[0]!;
  if (name !== 'migrate' || !('template' in args)) throw new Error(`${name}: not a migrate`);
  const { template, version } = args;
  const impact = analyseProject(history, { template, version }, epochMs(events.at(-1)!.eventTime));
  expect(impact).toMatchObject({
    version,
    class: 'blocked',
    differences: [
      { kind: 'blocked', message: `cannot migrate: the project already runs version ${version}` },
    ],
  });
});

it("starts a project's rebuild at the time its input carried when its run asked so", () => {
  const ended = (name: string) => {
    const events = eventsOf(`${name}.binpb`);
    const history = historyOf(name, [events]);
    const outcome = outcomeOf(events)!;
    const rebuilt = replayProject(history, outcome.at).machine.state;
    return { history, rebuilt, state: outcome.ended! };
  };
  // Started at the API's time (patch input-start-time), a minute before its first task ran.
  const api = ended('input-start-time');
  expect(api.history.startedAt).toBe(api.history.start.startedAt);
  expect(api.rebuilt.startedAt).toBe(api.state.startedAt);
  expect(api.rebuilt.nodes.plan).toEqual(api.state.nodes.plan);
  // Without the patch, at its first workflow task.
  const own = ended('feedback-handover');
  expect(own.history.start.startedAt).toBeUndefined();
  expect(own.rebuilt.startedAt).toBe(own.state.startedAt);
});
