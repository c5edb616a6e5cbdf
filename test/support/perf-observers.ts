/**
 * Per test file: the performance observers and event-loop-delay monitors the file's code
 * started are stopped after its tests.
 *
 * prom-client's `collectDefaultMetrics` (server/metrics.ts, worker/metrics.ts: each app or
 * worker built) starts a GC `PerformanceObserver` it never disconnects and an event-loop-delay
 * monitor it never disables, and hands back nothing to stop them (prometheus/client_js#500).
 * `node:perf_hooks` is one module for the whole Jest worker process, so its list of observers
 * kept every such observer, and through its callback the file's prom-client and with it the
 * file's whole module registry. A worker's heap grew by tens of MB with each server test file
 * and stayed grown; at the end of a full run a worker holding over 1 GB took longer than Jest's
 * 500 ms to exit ("A worker process has failed to exit gracefully and has been force exited").
 *
 * `perf_hooks` is shared, so this wraps its two constructors for the file's tests only and puts
 * the originals back after them.
 */
import perfHooks, { type IntervalHistogram, type PerformanceObserver } from 'node:perf_hooks';

interface Started {
  observers: Set<PerformanceObserver>;
  monitors: Set<IntervalHistogram>;
}

/** What this file's code has started and not yet been stopped here. */
export const started: Started = { observers: new Set(), monitors: new Set() };

/** The two members of `perf_hooks` wrapped here (its type says they are read-only). */
interface Wrapped {
  PerformanceObserver: typeof PerformanceObserver;
  monitorEventLoopDelay: typeof perfHooks.monitorEventLoopDelay;
}
const shared = perfHooks as unknown as Wrapped;
const original: Wrapped = {
  PerformanceObserver: shared.PerformanceObserver,
  monitorEventLoopDelay: shared.monitorEventLoopDelay,
};

shared.PerformanceObserver = class TrackedObserver extends original.PerformanceObserver {
  constructor(...args: ConstructorParameters<typeof PerformanceObserver>) {
    super(...args);
    started.observers.add(this);
  }
};
shared.monitorEventLoopDelay = (...args) => {
  const monitor = original.monitorEventLoopDelay(...args);
  started.monitors.add(monitor);
  return monitor;
};

/** Disconnects and disables everything started so far (the file's `afterAll` calls it). */
export function stopStarted(): void {
  for (const observer of started.observers) observer.disconnect();
  for (const monitor of started.monitors) monitor.disable();
  started.observers.clear();
  started.monitors.clear();
}

afterAll(() => {
  stopStarted();
  Object.assign(shared, original);
});
