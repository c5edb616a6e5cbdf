/**
 * Inputs the workflows were really sent: every Update input and project start input the replay
 * histories recorded (test/replay/histories), a few distinct ones per action, and one for each
 * action no recorded history sends. The tests of the modules the workflows share
 * (test/workflows/zod-preload.test.ts, shared-modules.test.ts) feed them to several workflows.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { ACTION_NAMES, type ActionName } from '../../workflows/model/actions';

const HISTORIES = path.join(__dirname, '../replay/histories');
/** Distinct recorded inputs kept per action (and starts): enough kinds, a quick test. */
const PER_ACTION = 8;

/** Inputs for the actions no recorded history sends. */
const UNRECORDED: Partial<Record<ActionName, unknown[]>> = {
  extendHypercare: [{ actor: { userId: 'pmo', pmo: true }, rev: 2, reason: 'Settle longer.' }],
  respondToIssue: [{ actor: { userId: 'ops' }, rev: 2, issueId: 'issue-1', text: 'Restart it.' }],
};

function payload(p: temporal.api.common.v1.IPayload | undefined): unknown {
  return JSON.parse(Buffer.from(p!.data!).toString('utf8'));
}

export function recordedInputs(): { byAction: Map<ActionName, unknown[]>; starts: unknown[] } {
  const updates = new Map<ActionName, Map<string, unknown>>();
  const starts = new Map<string, unknown>();
  for (const file of readdirSync(HISTORIES)
    .filter((f) => f.endsWith('.binpb'))
    .sort()) {
    const history = temporal.api.history.v1.History.decode(
      readFileSync(path.join(HISTORIES, file)),
    );
    for (const event of history.events ?? []) {
      const started = event.workflowExecutionStartedEventAttributes;
      if (started?.workflowType?.name === 'projectLifecycle' && starts.size < PER_ACTION) {
        const input = payload(started.input?.payloads?.[0]);
        starts.set(JSON.stringify(input), input);
      }
      const update = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
      if (!update) continue;
      const name = update.name as ActionName;
      const args = payload(update.args?.payloads?.[0]);
      const seen = updates.get(name) ?? new Map<string, unknown>();
      if (seen.size < PER_ACTION) seen.set(JSON.stringify(args), args);
      updates.set(name, seen);
    }
  }
  const byAction = new Map<ActionName, unknown[]>(
    ACTION_NAMES.map((name) => [
      name,
      [...(updates.get(name)?.values() ?? []), ...(UNRECORDED[name] ?? [])],
    ]),
  );
  return { byAction, starts: [...starts.values()] };
}
