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

function scheduled(eventId: number, kind: temporal.api.enums.v1.TaskQueueKind): HistoryEvent {
  return event({
    eventId,
    eventTime: at(eventId),
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    workflowTaskScheduledEventAttributes: { taskQueue: { name: 'q', kind } },
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
  scheduledEventId: number,
  timeoutType: temporal.api.enums.v1.TimeoutType,
): HistoryEvent {
  return event({
    eventId,
    eventTime: at(eventId),
    eventType: EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT,
    workflowTaskTimedOutEventAttributes: { scheduledEventId, timeoutType },
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
    timedOut(4, 3, TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START),
    scheduled(5, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(6, 22),
  ]);
  expect(report.failedTasks).toEqual([]);
  expect(report.rerouted).toEqual([
    { workflowId: 'wf', eventId: 4, at: 4000, stickyTo: 11, rerunBy: 22 },
  ]);
  expect(report.started.map((t) => t.pid)).toEqual([11, 22]);
});

it.each([
  [
    'a start-to-close timeout',
    TaskQueueKind.TASK_QUEUE_KIND_STICKY,
    TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
  ],
  [
    'a timeout on the shared queue',
    TaskQueueKind.TASK_QUEUE_KIND_NORMAL,
    TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START,
  ],
])('counts %s as a failed task', (_name, kind, timeoutType) => {
  const report = reportOf([
    scheduled(1, TaskQueueKind.TASK_QUEUE_KIND_NORMAL),
    started(2, 11),
    scheduled(3, kind),
    timedOut(4, 3, timeoutType),
  ]);
  expect(report.rerouted).toEqual([]);
  expect(report.failedTasks).toEqual(['wf #4: EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT']);
});
