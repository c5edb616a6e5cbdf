/**
 * What the workflow histories of a run say about its workers: every task that failed or timed
 * out, every workflow task re-routed off a stopped worker's sticky queue, and which worker
 * process (by pid, from the SDK's default `pid@host` identity) started each workflow and
 * activity task, and when.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const { EventType, TimeoutType, TaskQueueKind } = temporal.api.enums.v1;

/** History events that mean a task failed or was lost on its way to a worker. */
const FAILED_TASK_EVENTS = new Set([
  EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
  EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT,
]);

/** One task a worker started. */
export interface StartedTask {
  workflowId: string;
  /** The pid of the worker process that started it. */
  pid: number;
  /** When it started, epoch ms (the server's clock: the same machine in tests). */
  at: number;
}

/**
 * A workflow task that timed out because the worker it was meant for went away, and that
 * Temporal then scheduled again on the shared task queue for another worker. Two races of a
 * worker's shutdown cause this, neither loses anything:
 * - `sticky-queue`: the task waited on the stopped worker's sticky queue until its
 *   schedule-to-start timeout (even a graceful shutdown can leave one: temporalio/temporal#7566);
 * - `shutdown-poll`: the server handed the task to a poll the stopping worker had just given
 *   up, so it was started but never answered, and timed out start-to-close.
 */
export interface ReroutedTask {
  workflowId: string;
  eventId: number;
  cause: 'sticky-queue' | 'shutdown-poll';
  /** When it was scheduled (sticky) or started (poll), and when it timed out; epoch ms. */
  since: number;
  at: number;
  /** The pid of the worker it was meant for. */
  heldBy: number;
  /** The pid of the worker that started it again from the shared queue. */
  rerunBy: number | undefined;
}

export interface HistoryReport {
  /** `workflowId #eventId: EVENT_TYPE_… (detail)` for each other task failure or timeout. */
  failedTasks: string[];
  rerouted: ReroutedTask[];
  /** Every workflow and activity task started, in history order per workflow. */
  started: StartedTask[];
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export async function readHistories(
  client: Client,
  workflowIds: readonly string[],
): Promise<HistoryReport> {
  const report: HistoryReport = { failedTasks: [], rerouted: [], started: [] };
  for (const workflowId of workflowIds) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    addHistory(report, workflowId, events);
  }
  return report;
}

/** Adds one workflow's history to a report. */
export function addHistory(
  report: HistoryReport,
  workflowId: string,
  events: readonly HistoryEvent[],
): void {
  const byId = new Map(events.map((event) => [Number(String(event.eventId)), event]));
  let lastWorkflowTaskBy: number | undefined;
  events.forEach((event, index) => {
    const eventId = Number(String(event.eventId));
    const rerouted = reroutedTimeout(event, byId, lastWorkflowTaskBy);
    if (rerouted) {
      report.rerouted.push({
        workflowId,
        eventId,
        ...rerouted,
        at: epochMs(event.eventTime),
        rerunBy: pidOf(
          events.slice(index + 1).find((e) => e.workflowTaskStartedEventAttributes)
            ?.workflowTaskStartedEventAttributes?.identity,
        ),
      });
    } else if (FAILED_TASK_EVENTS.has(event.eventType ?? 0)) {
      const type = EventType[event.eventType ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
      report.failedTasks.push(`${workflowId} #${String(eventId)}: ${type}${detailOf(event, byId)}`);
    }
    const pid = pidOf(
      event.workflowTaskStartedEventAttributes?.identity ??
        event.activityTaskStartedEventAttributes?.identity,
    );
    if (pid !== undefined) {
      report.started.push({ workflowId, pid, at: epochMs(event.eventTime) });
      if (event.workflowTaskStartedEventAttributes) lastWorkflowTaskBy = pid;
    }
  });
}

/** For a workflow task timeout: which timeout, and the queue kind its task was scheduled on. */
function detailOf(event: HistoryEvent, byId: Map<number, HistoryEvent>): string {
  const timedOut = event.workflowTaskTimedOutEventAttributes;
  if (!timedOut) return '';
  const scheduled = byId.get(Number(String(timedOut.scheduledEventId)));
  const queue = scheduled?.workflowTaskScheduledEventAttributes?.taskQueue;
  return (
    ` (${TimeoutType[timedOut.timeoutType ?? 0] ?? 'unknown timeout'}, scheduled on ` +
    `${TaskQueueKind[queue?.kind ?? 0] ?? 'unknown kind'} queue ${queue?.name ?? '?'})`
  );
}

/**
 * A workflow task timeout of one of the two shutdown races (see ReroutedTask), with the worker
 * it was meant for; undefined for any other event.
 */
function reroutedTimeout(
  event: HistoryEvent,
  byId: Map<number, HistoryEvent>,
  lastWorkflowTaskBy: number | undefined,
): Pick<ReroutedTask, 'cause' | 'since' | 'heldBy'> | undefined {
  const timedOut = event.workflowTaskTimedOutEventAttributes;
  if (!timedOut) return undefined;
  if (timedOut.timeoutType === TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
    const scheduled = byId.get(Number(String(timedOut.scheduledEventId)));
    const kind = scheduled?.workflowTaskScheduledEventAttributes?.taskQueue?.kind;
    if (kind !== TaskQueueKind.TASK_QUEUE_KIND_STICKY || lastWorkflowTaskBy === undefined)
      return undefined;
    return {
      cause: 'sticky-queue',
      since: epochMs(scheduled?.eventTime),
      heldBy: lastWorkflowTaskBy,
    };
  }
  if (timedOut.timeoutType === TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE) {
    // The started event names the worker. A task the server started and timed out together
    // (an Update's speculative task, say) may record no identity there: a task from a sticky
    // queue was still meant for the worker that owns the queue, named `pid@host-…`.
    const started = byId.get(Number(String(timedOut.startedEventId)));
    const scheduled = byId.get(Number(String(timedOut.scheduledEventId)));
    const queue = scheduled?.workflowTaskScheduledEventAttributes?.taskQueue;
    const heldBy =
      pidOf(started?.workflowTaskStartedEventAttributes?.identity) ??
      (queue?.kind === TaskQueueKind.TASK_QUEUE_KIND_STICKY ? pidOf(queue.name) : undefined);
    if (heldBy === undefined) return undefined;
    return {
      cause: 'shutdown-poll',
      since: epochMs(started?.eventTime ?? scheduled?.eventTime),
      heldBy,
    };
  }
  return undefined;
}

/**
 * Workflows that a worker held when it was asked to stop (its task was their last one before
 * `at`) and that went on with another worker afterwards.
 */
export function handedOver(report: HistoryReport, pid: number, at: number): string[] {
  const byWorkflow = new Map<string, StartedTask[]>();
  for (const task of report.started) {
    byWorkflow.set(task.workflowId, [...(byWorkflow.get(task.workflowId) ?? []), task]);
  }
  return [...byWorkflow].flatMap(([workflowId, tasks]) => {
    const before = tasks.filter((t) => t.at <= at).at(-1);
    const after = tasks.filter((t) => t.at > at);
    return before?.pid === pid && after.some((t) => t.pid !== pid) ? [workflowId] : [];
  });
}

/** The pid in the SDK's default worker identity `pid@host`. */
function pidOf(identity: string | null | undefined): number | undefined {
  const pid = identity ? Number(identity.split('@')[0]) : NaN;
  return Number.isInteger(pid) ? pid : undefined;
}

/** A protobuf timestamp (seconds may be a Long) in epoch milliseconds. */
function epochMs(time: HistoryEvent['eventTime']): number {
  if (!time) return 0;
  return Number(String(time.seconds ?? 0)) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}
