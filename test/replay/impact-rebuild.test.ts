/**
 * The impact analysis rebuilds a project from its history's inputs alone (issue 15). Every
 * recorded history, from earlier code too (inputs without `rev`, old severities, a run started
 * by continue-as-new), replayed through the interpreter, must end where its workflow ended:
 * the state it completed with, or carried into its next run. Histories of other workflow
 * types (a bulk migration job) are not projects and are left to the replay test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { epochMs, historyOf } from '../../server/impact/history';
import { replayProject } from '../../workflows/lifecycle';
import { PROJECT_WORKFLOW } from '../../workflows/messages';
import {
  migrateState,
  type ActionResult,
  type ProjectState,
  type StoredProjectState,
} from '../../workflows/model';

type LifecycleInput = { continued: StoredProjectState };

const HISTORIES = path.join(__dirname, 'histories');

function recorded() {
  return readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.binpb'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.binpb$/, ''),
      events: temporal.api.history.v1.History.decode(readFileSync(path.join(HISTORIES, file)))
        .events,
    }))
    .filter(({ events }) => typeOf(events) === PROJECT_WORKFLOW);
}

/** The workflow type a history ran: projects only here, not e.g. a bulk migration job. */
function typeOf(events: temporal.api.history.v1.IHistoryEvent[]): string | null | undefined {
  return events[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name;
}

interface Outcome {
  status: string;
  current: string[];
  /** When it was known: the last event, or the last Update's answer of a history still running. */
  at: number;
}

/**
 * Where a run stood last: the state it completed with or carried into its next run; for a
 * history recorded while still running, the answer of its last accepted Update.
 */
function outcomeOf(events: temporal.api.history.v1.IHistoryEvent[]): Outcome | undefined {
  const last = events.at(-1)!;
  const completed = last.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0];
  const next = last.workflowExecutionContinuedAsNewEventAttributes?.input?.payloads?.[0];
  const ended = completed
    ? defaultPayloadConverter.fromPayload<ProjectState>(completed)
    : next && migrateState(defaultPayloadConverter.fromPayload<LifecycleInput>(next).continued);
  if (ended) return { status: ended.status, current: ended.current, at: epochMs(last.eventTime) };
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
});
