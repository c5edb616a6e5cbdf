/**
 * What the workflow histories of a run say about its workers: every task that failed or timed
 * out, and which worker process (by pid, from the SDK's default `pid@host` identity) started
 * each workflow and activity task, and when.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

/** History events that mean a task failed or was lost on its way to a worker. */
const FAILED_TASK_EVENTS = new Set([
  'EVENT_TYPE_WORKFLOW_TASK_FAILED',
  'EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT',
  'EVENT_TYPE_ACTIVITY_TASK_FAILED',
  'EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT',
]);

/** One task a worker started. */
export interface StartedTask {
  workflowId: string;
  /** The pid of the worker process that started it. */
  pid: number;
  /** When it started, epoch ms (the server's clock: the same machine in tests). */
  at: number;
}

export interface HistoryReport {
  /** `workflowId #eventId: EVENT_TYPE_…` for each failed or timed-out task. */
  failedTasks: string[];
  /** Every workflow and activity task started, in history order per workflow. */
  started: StartedTask[];
}

export async function readHistories(
  client: Client,
  workflowIds: readonly string[],
): Promise<HistoryReport> {
  const report: HistoryReport = { failedTasks: [], started: [] };
  for (const workflowId of workflowIds) {
    const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
    for (const event of events ?? []) {
      const type =
        temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'EVENT_TYPE_UNSPECIFIED';
      if (FAILED_TASK_EVENTS.has(type)) {
        report.failedTasks.push(`${workflowId} #${String(event.eventId)}: ${type}`);
      }
      const identity =
        event.workflowTaskStartedEventAttributes?.identity ??
        event.activityTaskStartedEventAttributes?.identity;
      if (identity) {
        report.started.push({
          workflowId,
          pid: Number(identity.split('@')[0]),
          at: epochMs(event.eventTime),
        });
      }
    }
  }
  return report;
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

/** A protobuf timestamp (seconds may be a Long) in epoch milliseconds. */
function epochMs(time: temporal.api.history.v1.IHistoryEvent['eventTime']): number {
  if (!time) return 0;
  return Number(String(time.seconds ?? 0)) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}
