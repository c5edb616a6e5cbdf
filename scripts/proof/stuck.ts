/**
 * Why a project is stuck, in the report itself: what Temporal holds for its workflow (a workflow
 * task tried again and again, an activity's last failure) and the warnings and errors the
 * workers logged about it. A stuck project is the proof's gravest finding, and a run on CI
 * leaves nothing else to read.
 */
import { readFileSync } from 'node:fs';
import type { Client } from '@temporalio/client';
import { projectWorkflowId } from '../../workflows/messages';

/** Lines of a worker's log kept per stuck project, the newest. */
const LOG_LINES = 4;
const LINE_CHARS = 500;
/** The levels worth reading (the logs name levels by label: config/logger.ts). */
const TROUBLE = /"level":"(warn|error|fatal)"/;

export async function stuckDiagnosis(
  temporal: Client,
  projectId: string,
  workerLogs: { name: string; file: string }[],
): Promise<string[]> {
  return [...(await temporalView(temporal, projectId)), ...loggedTrouble(projectId, workerLogs)];
}

async function temporalView(temporal: Client, projectId: string): Promise<string[]> {
  let description;
  try {
    description = await temporal.workflow.getHandle(projectWorkflowId(projectId)).describe();
  } catch (error) {
    return [`temporal: cannot describe the workflow (${String(error)})`];
  }
  const { raw } = description;
  const lines = [`temporal: ${description.status.name}, ${description.historyLength} events`];
  const task = raw.pendingWorkflowTask;
  if (task) {
    lines.push(
      `temporal: a workflow task pending (${String(task.state)}, attempt ${task.attempt ?? 1})`,
    );
  }
  for (const activity of raw.pendingActivities ?? []) {
    const failure = activity.lastFailure?.message;
    lines.push(
      `temporal: activity ${activity.activityType?.name ?? '?'} pending, attempt ` +
        `${activity.attempt ?? 1}${failure ? `, last failure: ${failure}` : ''}`,
    );
  }
  return lines;
}

function loggedTrouble(projectId: string, workerLogs: { name: string; file: string }[]): string[] {
  const lines: string[] = [];
  for (const { name, file } of workerLogs) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // a worker that never wrote a log has nothing to say of the project
    }
    const trouble = text.split('\n').filter((line) => {
      return line.includes(projectId) && TROUBLE.test(line);
    });
    for (const line of trouble.slice(-LOG_LINES)) {
      lines.push(
        `${name}.log: ${line.length > LINE_CHARS ? `${line.slice(0, LINE_CHARS)}…` : line}`,
      );
    }
  }
  return lines;
}
