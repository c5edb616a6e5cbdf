/**
 * The worker's Prometheus endpoint: its own metrics (notification deliveries, process) from
 * prom-client, followed by the Temporal SDK's worker metrics (task slots, poll and schedule
 * latencies, sticky cache, …). The SDK serves those from Rust on a loopback port of its own;
 * each scrape here fetches that page and appends it, so one port per worker serves both.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  const deadLetters = new Counter({
    name: 'gatehouse_record_dead_letters_total',
    help: 'Record writes (audit, inbox, read model) that failed for good and were dead-lettered',
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
      deadLetter() {
        deadLetters.inc();
      },
    },
  };
}

export interface MetricsEndpointOptions {
  port: number;
  host?: string;
  registry: Registry;
  /** The Temporal SDK's Prometheus page (`http://127.0.0.1:<port>/metrics`), when exported. */
  sdkMetricsUrl?: string;
}

/** Serves GET /metrics; resolves once listening (port 0: the OS picks, see `address()`). */
export async function serveMetrics(options: MetricsEndpointOptions): Promise<Server> {
  const { registry, sdkMetricsUrl } = options;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try GET /metrics\n');
      return;
    }
    void Promise.all([registry.metrics(), sdkMetricsUrl ? sdkMetrics(sdkMetricsUrl) : ''])
      .then(([own, sdk]) => {
        const body = own.endsWith('\n') ? own + sdk : `${own}\n${sdk}`;
        res.writeHead(200, { 'content-type': registry.contentType }).end(body);
      })
      .catch((error: unknown) => {
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`metrics failed: ${String(error)}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
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

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
