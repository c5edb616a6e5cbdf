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
  // A thread named like the main one, busy for 300 ms of CPU: as the bench's workflow thread.
  const worker = new Worker('const end = Date.now() + 300; while (Date.now() < end);', {
    eval: true,
  });
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  // Its CPU must be read while it still exists: poll until it has spent most of it.
  let during: ThreadCpu = before;
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const now = sampleThreads();
    const busiest = Math.max(...[...now].filter(([id]) => !before.has(id)).map(([, t]) => t.ms), 0);
    during = now;
    if (busiest >= 200) break;
  }
  spin(100);
  const spent: ThreadCpu = new Map();
  addThreadCpu(spent, before, during);
  addThreadCpu(spent, during, sampleThreads());
  await exited;
  const groups = threadGroups(spent);
  expect(groups.workflow).toBeGreaterThanOrEqual(200);
  expect(groups.main).toBeGreaterThanOrEqual(50);
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
