/**
 * The engine bench's yardstick: the least a workflow can do per Update. One handler appends
 * its argument to an array and answers a small object; `finish` ends the workflow. No
 * validator, no activities, no timers: what is left is Temporal's own cost of an Update.
 *
 * `baselineWithLocalActivity` is the same plus one local activity per Update that writes
 * nothing: the least any workflow pays that records each change through an activity before
 * answering, as Gatehouse does for its audit trail, inbox and read model.
 */
import {
  allHandlersFinished,
  condition,
  defineUpdate,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s' });

/** What the baseline answers: how many arguments it holds so far. */
export interface BaselineReply {
  count: number;
}

export const recordUpdate = defineUpdate<BaselineReply, [unknown]>('baselineRecord');
export const finishUpdate = defineUpdate<BaselineReply>('baselineFinish');

export function baselineUpdates(): Promise<number> {
  const received: unknown[] = [];
  return receive(received, (arg) => {
    received.push(arg);
    return { count: received.length };
  });
}

export function baselineWithLocalActivity(): Promise<number> {
  const received: unknown[] = [];
  return receive(received, async (arg) => {
    received.push(arg);
    // `recordEffects` with nothing to record: the activity round trip and nothing else.
    await local.recordEffects({ audits: [], notifications: [] });
    return { count: received.length };
  });
}

/**
 * The floor plus the least durable record of each change: the local activity appends one
 * audit entry holding the Update's argument to the project's hash-chained trail, in one
 * transaction of the app database, before the Update answers. A reference line for what "records
 * each change before answering" costs at its barest, beside the engine's full record write.
 */
export function baselineWithWrite(): Promise<number> {
  const received: unknown[] = [];
  const { workflowId } = workflowInfo();
  return receive(received, async (arg) => {
    received.push(arg);
    await local.recordEffects({
      audits: [
        {
          projectId: workflowId,
          seq: received.length,
          at: Date.now(),
          actor: 'bench',
          action: 'bench.recorded',
          detail: { arg },
        },
      ],
      notifications: [],
    });
    return { count: received.length };
  });
}

/** Serves `record` with the given handler until `finish`; returns how many were recorded. */
async function receive(
  received: readonly unknown[],
  onRecord: (arg: unknown) => BaselineReply | Promise<BaselineReply>,
): Promise<number> {
  let finished = false;
  setHandler(recordUpdate, onRecord);
  setHandler(finishUpdate, () => {
    finished = true;
    return { count: received.length };
  });
  await condition(() => finished && allHandlersFinished());
  return received.length;
}
