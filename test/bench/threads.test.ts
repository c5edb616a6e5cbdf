/**
 * The engine bench's CPU by thread (bench/threads.ts): read from /proc for this process, and
 * grouped so that the phase's workflow thread is told from the main thread, the SDK core's
 * threads and the rest.
 */
import { Worker } from 'node:worker_threads';
import { addThreadCpu, sampleThreads, threadGroups, type ThreadCpu } from '../../bench/threads';

const spin = (ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end);
};

it('reads every thread of this process, the main one under the process id', () => {
  const threads = sampleThreads();
  expect(threads.get(String(process.pid))).toEqual({
    name: expect.any(String),
    ms: expect.any(Number),
  });
  expect(threads.size).toBeGreaterThan(1);
});

it('charges a busy worker thread to the workflow thread, not to the main one', async () => {
  const before = sampleThreads();
  // A thread named like the main one (as the bench's workflow thread) that spins until told to
  // stop, so that its CPU is read while it still exists however loaded the machine is: a thread's
  // time leaves /proc with it.
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(
    `const { workerData: stop } = require('node:worker_threads');
     while (Atomics.load(stop, 0) === 0);`,
    { eval: true, workerData: stop },
  );
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  let during: ThreadCpu = before;
  try {
    // Poll by CPU spent, not by wall time: on a busy machine the thread gets less than its share.
    const deadline = Date.now() + 20_000;
    for (let busiest = 0; busiest < 200 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
      during = sampleThreads();
      busiest = Math.max(0, ...[...during].filter(([id]) => !before.has(id)).map(([, t]) => t.ms));
    }
  } finally {
    Atomics.store(stop, 0, 1);
  }
  await exited;
  // The main thread busy for 100 ms of its own CPU (by /proc, in steps of its 10 ms ticks).
  const mainMs = () => sampleThreads().get(String(process.pid))?.ms ?? 0;
  const mainFrom = mainMs();
  while (mainMs() - mainFrom < 100) spin(10);
  const spent: ThreadCpu = new Map();
  addThreadCpu(spent, before, during);
  addThreadCpu(spent, during, sampleThreads());
  const groups = threadGroups(spent);
  const [workerId] = [...during]
    .filter(([id]) => !before.has(id))
    .sort(([, a], [, b]) => b.ms - a.ms)[0]!;
  expect(groups.workflow).toBeGreaterThanOrEqual(200);
  expect(groups.workflow).toBe(spent.get(workerId)!.ms);
  expect(groups.main).toBeGreaterThanOrEqual(100);
  expect(groups.total).toBeCloseTo(groups.main + groups.workflow + groups.core + groups.other, 6);
});

it('groups the SDK core by name and leaves the rest to other threads', () => {
  const main = String(process.pid);
  const spent: ThreadCpu = new Map([
    [main, { name: 'node', ms: 40 }],
    ['11', { name: 'node', ms: 90 }],
    ['12', { name: 'node', ms: 5 }],
    ['13', { name: 'tokio-runtime-w', ms: 7 }],
    ['14', { name: 'tokio-runtime-w', ms: 3 }],
    ['15', { name: 'libuv-worker', ms: 2 }],
  ]);
  expect(threadGroups(spent)).toEqual({ main: 40, workflow: 90, core: 10, other: 7, total: 147 });
});
