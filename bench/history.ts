/**
 * What one workflow cost the server, read from its history: how many events, workflow tasks,
 * activities, local activities (markers) and timers. The ratio alone says how much dearer the
 * engine is; this says where the extra round trips come from.
 */
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface HistoryProfile {
  phase: string;
  events: number;
  workflowTasks: number;
  activities: number;
  localActivities: number;
  timers: number;
  updates: number;
  /** The history's size as the server stores it (protobuf bytes). */
  bytes: number;
}

export async function historyProfile(
  phase: string,
  handle: WorkflowHandle,
): Promise<HistoryProfile> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const count = (has: (e: (typeof events)[number]) => unknown) => events.filter(has).length;
  return {
    phase,
    events: events.length,
    workflowTasks: count((e) => e.workflowTaskCompletedEventAttributes),
    activities: count((e) => e.activityTaskScheduledEventAttributes),
    // The SDK records each local activity's result as a marker.
    localActivities: count((e) => e.markerRecordedEventAttributes),
    timers: count((e) => e.timerStartedEventAttributes),
    updates: count((e) => e.workflowExecutionUpdateAcceptedEventAttributes),
    bytes: temporal.api.history.v1.History.encode(history).finish().length,
  };
}

export function formatProfiles(profiles: readonly HistoryProfile[]): string {
  return profiles
    .map(
      (p) =>
        `  ${p.phase.padEnd(11)}  ${p.events} events, ${p.workflowTasks} workflow tasks, ` +
        `${p.updates} Updates, ${p.activities} activities, ${p.localActivities} local ` +
        `activities, ${p.timers} timers; ${(p.bytes / 1024).toFixed(1)} KiB` +
        (p.updates > 0 ? ` (${(p.bytes / p.updates / 1024).toFixed(2)} KiB per Update)` : ''),
    )
    .join('\n');
}
