/**
 * The worker's Prometheus endpoint: its own metrics (notification deliveries, process) from
 * prom-client, followed by the Temporal SDK's worker metrics (task slots, poll and schedule
 * latencies, sticky cache, …). The SDK serves those from Rust on a loopback port of its own;
 * each scrape fetches that page and appends it, so the worker's one operations port
 * (process/ops-server.ts) serves both.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { CHANNELS, DELIVERY_OUTCOMES, type NotificationMetrics } from '../activities';

/** How long a scrape waits for the SDK's page before serving ours alone. */
const SDK_SCRAPE_TIMEOUT_MS = 2_000;

export interface WorkerMetrics {
  registry: Registry;
  notifications: NotificationMetrics;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gatehouse_worker_' });
  const deliveries = new Counter({
    name: 'gatehouse_notifications_total',
    help: 'Notification delivery attempts by channel and result (failed attempts are retried)',
    labelNames: ['channel', 'result'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gatehouse_notifications_duration_seconds',
    help: 'Notification delivery attempt latency by channel and result',
    labelNames: ['channel', 'result'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  // Every series exists from the start: a rate over a series that appears late misses its start.
  for (const channel of CHANNELS) {
    for (const result of DELIVERY_OUTCOMES) deliveries.inc({ channel, result }, 0);
  }
  return {
    registry,
    notifications: {
      delivery(channel, result, seconds) {
        deliveries.inc({ channel, result });
        latency.observe({ channel, result }, seconds);
      },
    },
  };
}

/**
 * The worker's Prometheus page: its own metrics, then the Temporal SDK's page when the SDK
 * exports one (`http://127.0.0.1:<port>/metrics`), fetched at each scrape.
 */
export async function workerMetricsPage(
  registry: Registry,
  sdkMetricsUrl: string | undefined,
): Promise<{ contentType: string; body: string }> {
  const [own, sdk] = await Promise.all([
    registry.metrics(),
    sdkMetricsUrl ? sdkMetrics(sdkMetricsUrl) : '',
  ]);
  return {
    contentType: registry.contentType,
    body: own.endsWith('\n') ? own + sdk : `${own}\n${sdk}`,
  };
}

/** The SDK's page, or a comment saying why it is missing (our own metrics still count). */
async function sdkMetrics(url: string): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS) });
    if (!response.ok) return `# Temporal SDK metrics unavailable: HTTP ${response.status}\n`;
    const text = await response.text();
    return text.endsWith('\n') || text === '' ? text : `${text}\n`;
  } catch (error) {
    return `# Temporal SDK metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`;
  }
}
