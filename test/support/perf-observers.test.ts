/**
 * ./perf-observers: what prom-client's default metrics start in a test file (a GC observer, an
 * event-loop-delay monitor) is tracked and stopped, so no later file's worker keeps it.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Histogram } from 'prom-client';
import { createMetrics } from '../../server/metrics';
import { started, stopStarted } from './perf-observers';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** How many collections the app's GC histogram has seen, once the observer was told. */
async function collections(histogram: Histogram): Promise<number> {
  gc();
  // Observers hear of entries asynchronously.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const { values } = await histogram.get();
  return values
    .filter((value) => value.metricName?.endsWith('_count'))
    .reduce((sum, value) => sum + value.value, 0);
}

it("stops the GC observer and the event-loop monitor of an app's metrics", async () => {
  stopStarted(); // whatever an earlier test of this file left
  const { registry } = createMetrics();
  const histogram = registry.getSingleMetric('gatehouse_nodejs_gc_duration_seconds') as Histogram;
  expect(started.observers.size).toBe(1);
  expect(started.monitors.size).toBe(1);
  const [monitor] = [...started.monitors];

  const before = await collections(histogram);
  expect(await collections(histogram)).toBeGreaterThan(before); // observing

  stopStarted();
  const stopped = await collections(histogram);
  expect(await collections(histogram)).toBe(stopped);
  expect(started.observers.size).toBe(0);
  // A disabled monitor refuses to be disabled again.
  expect(monitor?.disable()).toBe(false);
});
