/**
 * A project's recorded inputs, read from its workflow history in Temporal (never from the read
 * model): the first run's input, then every accepted Update with its input at the time its
 * workflow task ran, across continue-as-new (each run's first event names the run before it).
 * When earlier runs are gone (retention), the earliest run left is read with the state it
 * carried over.
 */
import { type Client, isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { HistoryInput, ProjectHistory, StartInput } from '../../workflows/lifecycle';
import { isActionName, type ActionInput } from '../../workflows/model';
import { projectWorkflowId } from '../../workflows/messages';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A chain longer than this is a loop in the data, not a project (runs of years are ~100s). */
const MAX_RUNS = 10_000;

/** gRPC status NOT_FOUND (@grpc/grpc-js is not ours to import): the run is past retention. */
const GRPC_NOT_FOUND = 5;

export class HistoryUnreadable extends Error {}

/**
 * Temporal holds no history of the project's workflow (past the namespace's retention, or the
 * namespace was reset) though the read model still lists it: nothing to analyse, and no fault
 * of Temporal's that a retry would mend.
 */
export class HistoryGone extends HistoryUnreadable {}

/** Reads project `projectId`'s inputs, every run oldest first. */
export async function readProjectHistory(
  client: Client,
  projectId: string,
): Promise<ProjectHistory> {
  const workflowId = projectWorkflowId(projectId);
  const runs: HistoryEvent[][] = [];
  let runId: string | undefined;
  for (let n = 0; n < MAX_RUNS; n++) {
    let events: HistoryEvent[];
    try {
      events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    } catch (error) {
      // The first run read must exist; an earlier one may be past retention.
      if (!isNotFound(error)) throw error;
      if (runs.length > 0) break;
      throw new HistoryGone(`project ${projectId}: Temporal holds no history of its workflow`);
    }
    runs.unshift(events);
    const previous = startedOf(events)?.continuedExecutionRunId;
    if (!previous) break;
    runId = previous;
  }
  return historyOf(projectId, runs);
}

/** A project's inputs from the events of its runs, oldest run first. */
export function historyOf(
  projectId: string,
  runs: readonly (readonly HistoryEvent[])[],
): ProjectHistory {
  const first = runs[0] ?? [];
  const started = startedOf(first);
  const start = started && decode<StartInput>(started.input?.payloads?.[0]);
  if (!start) throw new HistoryUnreadable(`project ${projectId}: its history has no start input`);
  const firstTask = first.find((e) => e.workflowTaskStartedEventAttributes);
  return {
    projectId,
    start,
    startedAt: epochMs(firstTask?.eventTime ?? first[0]?.eventTime),
    inputs: runs.flatMap(updatesOf),
    runs: runs.length,
  };
}

/** Accepted Updates, each at the time the workflow task that ran its handler started. */
function updatesOf(events: readonly HistoryEvent[]): HistoryInput[] {
  const inputs: HistoryInput[] = [];
  let taskAt = 0;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) taskAt = epochMs(event.eventTime);
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (!accepted) continue;
    const name = accepted.name ?? '';
    const args = decode<ActionInput>(accepted.args?.payloads?.[0]);
    // Every Update the workflow accepts is an action; anything else is not an input of ours.
    if (!isActionName(name) || args === undefined) continue;
    inputs.push({ kind: 'update', at: taskAt, name, args });
  }
  return inputs;
}

function startedOf(events: readonly HistoryEvent[]) {
  return events[0]?.workflowExecutionStartedEventAttributes ?? undefined;
}

function decode<T>(payload: temporal.api.common.v1.IPayload | null | undefined): T | undefined {
  return payload ? defaultPayloadConverter.fromPayload<T>(payload) : undefined;
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof WorkflowNotFoundError ||
    (isGrpcServiceError(error) && Number(error.code) === GRPC_NOT_FOUND)
  );
}

export function epochMs(time: HistoryEvent['eventTime']): number {
  if (!time) return 0;
  return Number(String(time.seconds ?? 0)) * 1000 + Math.floor((time.nanos ?? 0) / 1e6);
}
