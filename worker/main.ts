/**
 * `gatehouse worker`: connects to Temporal and the app database from the environment and runs
 * until SIGINT/SIGTERM, when it stops polling, drains the tasks it holds (up to
 * SHUTDOWN_GRACE) and exits 0. Logs are JSON lines; metrics on WORKER_METRICS_PORT.
 */
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { NativeConnection, type State } from '@temporalio/worker';
import { createSmtpMailer } from '../activities';
import { ConfigError, loadWorkerConfig, temporalConnectionOptions } from '../config';
import { createLogger, type Logger } from '../config/logger';
import { createDatabase, migrateToLatest } from '../db';
import { createGatehouseWorker } from './create-worker';
import { createWorkerMetrics, portOf, serveMetrics } from './metrics';
import { freeLoopbackPort, installRuntime } from './runtime';

/** How long in-flight activities may run on after SIGTERM (compose gives 60 s). */
const SHUTDOWN_GRACE = '30s';

async function main(logger: Logger): Promise<void> {
  // The SDK stops a running worker on SIGINT/SIGTERM. A signal before that (while the
  // workflows are bundled) would find no worker to stop, or no listener at all and kill the
  // process outright: remember it instead, and do not start.
  let stopRequested = false;
  for (const name of ['SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => (stopRequested = true));
  }
  const config = loadWorkerConfig();
  logger.level = config.LOG_LEVEL;
  const metrics = config.WORKER_METRICS_PORT === 0 ? undefined : createWorkerMetrics();
  const sdkMetricsPort = metrics && (await freeLoopbackPort());
  installRuntime(logger, {
    level: config.LOG_LEVEL,
    ...(sdkMetricsPort && { sdkMetricsAddress: `127.0.0.1:${sdkMetricsPort}` }),
  });

  const db = createDatabase(config.DATABASE_URL, {
    onPoolError: (error) => logger.error({ err: error }, 'database connection error'),
  });
  let metricsServer: Server | undefined;
  let connection: NativeConnection | undefined;
  const mailer = config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  try {
    await migrateToLatest(db);
    // Before the worker exists: a failure here (port taken) must not leave a worker holding
    // the connection, or closing it would hide the real error.
    if (metrics) {
      metricsServer = await serveMetrics({
        port: config.WORKER_METRICS_PORT,
        registry: metrics.registry,
        sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
      });
    }
    connection = await NativeConnection.connect(temporalConnectionOptions(config));
    const worker = await createGatehouseWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      db,
      ...(mailer && { mailer }),
      ...(config.WEBHOOK_URL && { webhookUrl: config.WEBHOOK_URL }),
      webhookFormat: config.WEBHOOK_FORMAT,
      ...(config.GATEHOUSE_PUBLIC_URL && { publicUrl: config.GATEHOUSE_PUBLIC_URL }),
      mailFrom: config.MAIL_FROM,
      ...(metrics && { metrics: metrics.notifications }),
      tuning: { shutdownGraceTime: SHUTDOWN_GRACE },
    });
    if (!stopRequested) {
      // The SDK's runtime turns SIGINT/SIGTERM into worker.shutdown(): run() resolves once the
      // tasks in flight have drained.
      const running = worker.run();
      // Ready means polling: announced once run() has moved the worker past INITIALIZED.
      if (await startedPolling(() => worker.getState(), running)) {
        logger.info(
          {
            taskQueue: config.TEMPORAL_TASK_QUEUE,
            address: config.TEMPORAL_ADDRESS,
            namespace: config.TEMPORAL_NAMESPACE,
            ...(metricsServer && { metricsPort: portOf(metricsServer) }),
          },
          'worker running',
        );
      }
      await running;
    }
    logger.info('worker stopped');
  } finally {
    metricsServer?.close();
    await connection?.close();
    mailer?.close();
    await db.destroy();
  }
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

const logger = createLogger('gatehouse-worker', 'info');
main(logger).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      // One plain line: the operator reads it, no log pipeline is involved yet.
      console.error(`gatehouse worker: configuration error: ${error.message}`);
    } else {
      logger.fatal({ err: error }, 'worker failed');
    }
    process.exit(1);
  },
);
