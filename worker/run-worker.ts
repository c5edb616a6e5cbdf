/**
 * A running Gatehouse worker, the same whether `gatehouse worker` runs it alone or `npm start`
 * runs it beside the API: its Temporal connection, the worker polling the task queue, and its
 * operations port (Prometheus metrics, and a health check that fails once the worker has lost
 * Temporal or the database). Every part registers its stop step with the process's Shutdown.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection, type State, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import type { Mailer, NotificationMetrics, WebhookFormat } from '../activities';
import type { TemporalConnectionOptions } from '../config';
import { checkDatabase, type Database } from '../db';
import { serveOps, within, type HealthReport } from '../process/ops-server';
import type { Shutdown } from '../process/shutdown';
import { createGatehouseWorker, type GatehouseWorkerOptions } from './create-worker';
import { workerMetricsPage, type WorkerMetrics } from './metrics';

/** How long a health check waits for Temporal and the database. */
const HEALTH_TIMEOUT_MS = 3_000;

export interface WorkerProcessOptions {
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
  mailer?: Mailer;
  webhookUrl?: string;
  /** The webhook's payload shape (default: Slack-compatible). */
  webhookFormat?: WebhookFormat;
  /** Signs each webhook POST (Standard Webhooks); unset: unsigned. */
  webhookSecret?: string;
  /** Where people open Gatehouse: e-mails and webhooks link under it. */
  publicUrl?: string;
  mailFrom?: string;
  /** The operations port (GET /metrics, GET /healthz); unset: none. */
  ops?: {
    port: number;
    metrics?: WorkerMetrics;
    /** The Temporal SDK's own Prometheus page, appended to ours. */
    sdkMetricsUrl?: string;
  };
  /** A pre-built workflow bundle (./workflow-bundle.ts, tests'); unset: bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Worker tuning, e.g. how long tasks in flight may run on after a stop is asked for. */
  tuning?: GatehouseWorkerOptions['tuning'];
}

export interface RunningWorker {
  /** Settles once the worker has stopped: on a requested stop, or by itself (then rejects). */
  stopped: Promise<void>;
  /** The operations port (the OS's pick for port 0), when there is one. */
  opsPort: number | undefined;
  /** Healthy while the worker polls and Temporal and the database answer. */
  health(): Promise<HealthReport>;
}

/** Connects, bundles the workflows and starts polling; resolves once the worker polls. */
export async function startWorker(
  options: WorkerProcessOptions,
  shutdown: Shutdown,
): Promise<RunningWorker> {
  const connection = await NativeConnection.connect(options.temporal);
  shutdown.add('the worker connection', () => connection.close());
  // Created after the operations port (below); the health check asks it once it exists.
  const ref: { worker?: Worker } = {};

  const health = async (): Promise<HealthReport> => {
    const [temporal, database] = await Promise.allSettled([
      within(
        connection.withDeadline(Date.now() + HEALTH_TIMEOUT_MS, () =>
          connection.workflowService.getSystemInfo({}),
        ),
        HEALTH_TIMEOUT_MS + 500,
      ),
      within(checkDatabase(options.db), HEALTH_TIMEOUT_MS),
    ]);
    const state = ref.worker?.getState() ?? 'INITIALIZED';
    const checks = {
      worker: state === 'RUNNING' ? 'ok' : state.toLowerCase(),
      temporal: temporal.status === 'fulfilled' ? 'ok' : 'unreachable',
      database: database.status === 'fulfilled' ? 'ok' : 'unreachable',
    };
    return { healthy: Object.values(checks).every((v) => v === 'ok'), checks };
  };
  // Before the worker exists: a port that is taken must fail the start while no worker holds
  // the connection (closing it under a worker would bury that error under another).
  let opsPort: number | undefined;
  if (options.ops) {
    const { metrics: own, sdkMetricsUrl } = options.ops;
    const ops = await serveOps(options.ops.port, {
      ...(own && { metrics: () => workerMetricsPage(own.registry, sdkMetricsUrl) }),
      health,
    });
    opsPort = ops.port;
    shutdown.add('the operations port', () => ops.close());
  }

  const metrics: NotificationMetrics | undefined = options.ops?.metrics?.notifications;
  const created = await createGatehouseWorker({
    connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    db: options.db,
    ...(options.mailer && { mailer: options.mailer }),
    ...(options.webhookUrl && { webhookUrl: options.webhookUrl }),
    ...(options.webhookFormat && { webhookFormat: options.webhookFormat }),
    ...(options.webhookSecret && { webhookSecret: options.webhookSecret }),
    ...(options.publicUrl && { publicUrl: options.publicUrl }),
    ...(options.mailFrom && { mailFrom: options.mailFrom }),
    ...(metrics && { metrics }),
    ...(options.workflowBundle && { workflowBundle: options.workflowBundle }),
    ...(options.tuning && { tuning: options.tuning }),
  });
  ref.worker = created;
  const running = created.run();
  shutdown.add('the worker', async () => {
    if (created.getState() === 'RUNNING') created.shutdown();
    // A failed run is the caller's to report, through `stopped`.
    await running.catch(() => undefined);
  });
  if (!(await startedPolling(() => created.getState(), running))) {
    await running; // it stopped before polling: its error, if any, is the answer
    throw new Error('the worker stopped before it polled');
  }
  return { stopped: running, opsPort, health };
}

/**
 * Resolves true once the worker reports RUNNING, false if it stopped first (run() settled or
 * it went straight to shutting down). The SDK has no event for this: its state is polled.
 */
async function startedPolling(state: () => State, running: Promise<void>): Promise<boolean> {
  let settled = false;
  running.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled && state() === 'INITIALIZED') await sleep(10);
  return !settled && state() === 'RUNNING';
}
