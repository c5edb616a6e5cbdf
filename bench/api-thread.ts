/**
 * Runs the API bench's HTTP clients (`api-load.ts`) on a worker thread and measures the phase:
 * the process's and the dev server's CPU from the start signal to the samples, and the thread's
 * own share, which production would spend on other machines.
 */
import { Worker } from 'node:worker_threads';
import type { FromLoad, LoadInput } from './api-load';
import type { PhaseResult } from './api-report';
import { cpuSpent, sampleCpu } from './cpu';

export async function runLoadThread(input: LoadInput): Promise<PhaseResult> {
  // tsx's hooks do not reach worker threads on Node 20: the thread registers them itself.
  const boot =
    `require(${JSON.stringify(require.resolve('tsx/cjs'))});` +
    `require(${JSON.stringify(require.resolve('./api-load'))});`;
  const worker = new Worker(boot, { eval: true, workerData: input });
  try {
    const messages = loadMessages(worker);
    await messages.next('ready');
    const cpu0 = sampleCpu();
    worker.postMessage('start');
    const { samples, cpuMs: loadMs } = await messages.next('done');
    const { selfMs, childrenMs } = cpuSpent(cpu0, sampleCpu());
    return { phase: 'api', samples, cpu: { selfMs, loadMs, serverMs: childrenMs } };
  } finally {
    await worker.terminate();
  }
}

/** The load thread's messages in order; a thread error or early exit rejects the wait. */
function loadMessages(worker: Worker) {
  const queue: FromLoad[] = [];
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  worker.on('message', (message: FromLoad) => {
    queue.push(message);
    wake?.();
  });
  worker.on('error', (error) => {
    failure = error;
    wake?.();
  });
  worker.on('exit', (code) => {
    failure ??= new Error(`the load thread exited (code ${code})`);
    wake?.();
  });
  return {
    async next<T extends FromLoad['type']>(type: T): Promise<Extract<FromLoad, { type: T }>> {
      while (queue.length === 0) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const message = queue.shift()!;
      if (message.type !== type) throw new Error(`load thread: expected "${type}"`);
      return message as Extract<FromLoad, { type: T }>;
    },
  };
}
