/**
 * A project's recorded inputs, read from its workflow history in Temporal (never from the read
 * model): the first run's input, then every accepted Update with its input at the time its
 * workflow task ran, across continue-as-new (each run's first event names the run before it),
 * each with the options the workflow decided it with (the patches the run recorded). When
 * earlier runs are gone (retention), the earliest run left is read with the state it carried
 * over.
 */
import { type Client, isGrpcServiceError, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import {
  HYPERCARE_EXIT_NOTICES,
  INPUT_START_TIME,
  KPI_FOLLOW_UP_VISITS,
  REVISIT_COUNTS,
  updatePatches,
  type HistoryInput,
  type HistoryRun,
  type ProjectHistory,
  type RecordedOptions,
  type RunOptions,
  type StartInput,
} from '../../workflows/lifecycle';
import { isActionName, type ActionInput, type ActionName } from '../../workflows/model';
import { projectWorkflowId } from '../../workflows/messages';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** A chain longer than this is a loop in the data, not a project (runs of years are ~100s). */
const MAX_RUNS = 10_000;

/** gRPC status NOT_FOUND (@grpc/grpc-js is not ours to import): the run is past retention. */
const GRPC_NOT_FOUND = 5;

/** How the SDK records `patched(id)`: a marker of this name, its id in these details. */
const PATCH_MARKER = 'core_patch';
const PATCH_DETAILS = 'patch-data';

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
  const read = runs.map((events, i) => {
    const marked = patchesByTask(events);
    const options = runOptions(marked);
    const run: HistoryRun =
      i < runs.length - 1 ? { endedAt: epochMs(events.at(-1)?.eventTime), options } : { options };
    return { run, inputs: updatesOf(events, marked, options) };
  });
  // Started at its input's time when the first task asked the patch (projectLifecycle's boot),
  // else at that task's time.
  const inputTime = patchesByTask(first).get(1)?.has(INPUT_START_TIME)
    ? start.startedAt
    : undefined;
  return {
    projectId,
    start,
    startedAt: inputTime ?? epochMs(firstTask?.eventTime ?? first[0]?.eventTime),
    inputs: read.flatMap((r) => r.inputs),
    runs: read.map((r) => r.run),
  };
}

/**
 * The run's patches asked once, as the workflow begins: in effect when its first workflow
 * task recorded their markers (a run begun by older code has none, and keeps that answer).
 */
function runOptions(marked: ReadonlyMap<number, ReadonlySet<string>>): RunOptions {
  const first = marked.get(1);
  return {
    reusedFollowUpIds: !first?.has(KPI_FOLLOW_UP_VISITS),
    legacyRevisitCounts: !first?.has(REVISIT_COUNTS),
    legacyExitNotices: !first?.has(HYPERCARE_EXIT_NOTICES),
  };
}

/**
 * Accepted Updates, each at the time the workflow task that ran its handler started, with
 * the options the handler decided it with.
 */
function updatesOf(
  events: readonly HistoryEvent[],
  marked: ReadonlyMap<number, ReadonlySet<string>>,
  run: RunOptions,
): HistoryInput[] {
  const known = new Set<string>();
  const inputs: HistoryInput[] = [];
  let task = 0;
  let taskAt = 0;
  for (const event of events) {
    if (event.workflowTaskStartedEventAttributes) taskAt = epochMs(event.eventTime);
    if (event.workflowTaskCompletedEventAttributes) {
      task += 1;
      for (const id of marked.get(task) ?? []) known.add(id);
    }
    const accepted = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (!accepted) continue;
    const name = accepted.name ?? '';
    const args = decode<ActionInput>(accepted.args?.payloads?.[0]);
    // Every Update the workflow accepts is an action; anything else is not an input of ours.
    if (!isActionName(name) || args === undefined) continue;
    inputs.push({
      kind: 'update',
      at: taskAt,
      name,
      args,
      options: updateOptions(name, args, known, run),
    });
  }
  return inputs;
}

/**
 * What projectLifecycle's handler passes to `decide` for Update `name` (updatePatches).
 * `patched(id)` answers true from the workflow task whose commands hold its marker (the marker
 * follows the Update's accepted event there, and the SDK is told of a task's markers before it
 * runs it) through the rest of the run, and false before: such an Update was applied by older
 * code, without the patch.
 */
function updateOptions(
  name: ActionName,
  args: ActionInput,
  known: ReadonlySet<string>,
  run: RunOptions,
): RecordedOptions {
  return { ...run, ...updatePatches(name, args, (id) => known.has(id)) };
}

/**
 * Patch ids by the workflow task whose commands recorded their markers (1: the run's first
 * task). A task's commands follow its WorkflowTaskCompleted event.
 */
function patchesByTask(events: readonly HistoryEvent[]): Map<number, Set<string>> {
  const byTask = new Map<number, Set<string>>();
  let task = 0;
  for (const event of events) {
    if (event.workflowTaskCompletedEventAttributes) task += 1;
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName !== PATCH_MARKER) continue;
    const id = decode<{ id?: string }>(marker.details?.[PATCH_DETAILS]?.payloads?.[0])?.id;
    if (id === undefined) continue;
    byTask.set(task, (byTask.get(task) ?? new Set()).add(id));
  }
  return byTask;
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
