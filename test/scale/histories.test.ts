/**
 * The history reading of the scale test: a sticky workflow task that timed out before any
 * worker took it is a re-route, every other task timeout or failure is a failed task.
 */
import { temporal } from '@temporalio/proto';
import { addHistory, type HistoryEvent, type HistoryReport } from './histories';

const { EventType, TimeoutType, TaskQueueKind } = temporal.api.enums.v1;

const at = (seconds: number) => ({ seconds, nanos: 0 });
/** Plain numbers in, protobuf Longs out. */
const event = (fields: Record<string, unknown>): HistoryEvent =>
  temporal.api.history.v1.HistoryEvent.fromObject(fields);

function scheduled(
  eventId: number,
  kind: temporal.api.enums.v1.TaskQueueKind,
  name = 'q',
): HistoryEvent {
  return event({
    eventId,
    eventTime: at(eventId),
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    workflowTaskScheduledEventAttributes: { taskQueue: { name, kind } },
  });
}
function started(eventId: number, pid: number): HistoryEvent {
  return event({
    eventId,
    eventTime: at(eventId),
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    workflowTaskStartedEventAttributes: { identity: `${String(pid)}@host` },
  });
}
function timedOut(
  eventId: number,
  ids: { scheduledEventId: number; startedEventId?: number },
  timeoutType: temporal.api.enums.v1.TimeoutType,
): HistoryEvent {
  return event({
    eventId,
    eventTime: at(eventId),
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    workflowTaskTimedOutEventAttributes: { ...ids, timeoutType },
  });
}

function reportOf(events: HistoryEvent[]): HistoryReport {
  const report: HistoryReport = { failedTasks: [], rerouted: [], started: [] };
  addHistory(report, 'wf', events);
  return report;
}

it('counts a sticky schedule-to-start timeout as a re-route to the worker that ran it next', () => {
  const report = reportOf([
    scheduled(1, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(2, 11),
    scheduled(3, TaskQueueKind.TASK_QUEUE_KIND_STICKY),
    timedOut(4, { scheduledEventId: 3 }, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START),
    scheduled(5, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(6, 22),
  ]);
  expect(report.failedTasks).toEqual([]);
  expect(report.rerouted).toEqual([
    {
      workflowId: 'wf',
      eventId: 4,
      cause: 'sticky-queue',
      since: 3000,
      at: 4000,
      heldBy: 11,
      rerunBy: 22,
    },
  ]);
  expect(report.started.map((t) => t.pid)).toEqual([11, 22]);
});

it('counts a start-to-close timeout as a task lost to a poll its worker gave up', () => {
  const report = reportOf([
    scheduled(1, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(2, 11),
    timedOut(
      3,
      { scheduledEventId: 1, startedEventId: 2 },
      TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
    ),
    scheduled(4, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(5, 22),
  ]);
  expect(report.failedTasks).toEqual([]);
  expect(report.rerouted).toEqual([
    expect.objectContaining({ cause: 'shutdown-poll', since: 2000, heldBy: 11, rerunBy: 22 }),
  ]);
});

it("names the sticky queue's worker when a start-to-close timeout records no identity", () => {
  const unnamed = (eventId: number) =>
    event({
      eventId,
      eventTime: at(eventId),
      eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
      workflowTaskStartedEventAttributes: {},
    });
  const report = reportOf([
    scheduled(1, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(2, 11),
    scheduled(3, TaskQueueKind.TASK_QUEUE_KIND_STICKY, '11@host-8d8d04661acd'),
    unnamed(4),
    timedOut(
      5,
      { scheduledEventId: 3, startedEventId: 4 },
      TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
    ),
    scheduled(6, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    unnamed(7),
    timedOut(
      8,
      { scheduledEventId: 6, startedEventId: 7 },
      TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
    ),
    scheduled(9, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(10, 22),
  ]);
  expect(report.rerouted).toEqual([
    expect.objectContaining({ eventId: 5, cause: 'shutdown-poll', since: 4000, heldBy: 11 }),
  ]);
  // On the shared queue nothing says whose the task was: it stays a failure.
  expect(report.failedTasks).toEqual([
    'wf #8: EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT (TIMEOUT_TYPE_START_TO_CLOSE, scheduled on TASK_QUEUE_KIND_NORMAL queue q)',
  ]);
});

it('counts a schedule-to-start timeout on the shared queue, and a failed task, as failed', () => {
  const report = reportOf([
    scheduled(1, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(2, 11),
    scheduled(3, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    timedOut(4, { scheduledEventId: 3 }, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START),
    event({ eventId: 5, eventTime: at(5), eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED }),
  ]);
  expect(report.rerouted).toEqual([]);
  expect(report.failedTasks).toEqual([
    'wf #4: EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT (TIMEOUT_TYPE_SCHEDULE_TO_START, scheduled on TASK_QUEUE_KIND_NORMAL queue q)',
    'wf #5: EVENT_TYPE_WORKFLOW_TASK_FAILED',
  ]);
});
