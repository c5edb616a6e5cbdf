/**
 * The engine bench's yardstick: the least a workflow can do per Update. One handler appends
 * its argument to an array and answers a small object; `finish` ends the workflow. No
 * validator, no activities, no timers: what is left is Temporal's own cost of an Update.
 */
import { allHandlersFinished, condition, defineUpdate, setHandler } from '@temporalio/workflow';

/** What the baseline answers: how many arguments it holds so far. */
export interface BaselineReply {
  count: number;
}

export const recordUpdate = defineUpdate<BaselineReply, [unknown]>('baselineRecord');
export const finishUpdate = defineUpdate<BaselineReply>('baselineFinish');

export async function baselineUpdates(): Promise<number> {
  const received: unknown[] = [];
  let finished = false;
  setHandler(recordUpdate, (arg) => {
    received.push(arg);
    return { count: received.length };
  });
  setHandler(finishUpdate, () => {
    finished = true;
    return { count: received.length };
  });
  await condition(() => finished && allHandlersFinished());
  return received.length;
}
