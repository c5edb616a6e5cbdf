/**
 * `gatehouse worker`: configuration from the environment, wired to the worker module
 * (./run-worker.ts) that `npm start` runs too. It waits for a PostgreSQL that is down or
 * starting up (up to DATABASE_WAIT) and refuses an app database whose schema this build does
 * not know (`gatehouse migrate` prepares it). On SIGINT/SIGTERM it stops polling,
 * drains the tasks it holds (up to SHUTDOWN_GRACE) and exits 0. Logs are JSON lines; metrics
 * and the health check on WORKER_METRICS_PORT.
 */
import type { Kysely } from 'kysely';
import { createSmtpMailer, type Mailer } from '../activities';
import { loadWorkerConfig, temporalConnectionOptions, type WorkerConfig } from '../config';
import { createLogger } from '../config/logger';
import {
  assertSchemaCurrent,
  catchUpNameFolds,
  catchUpOpenActions,
  createDatabase,
  type Database,
} from '../db';
import { awaitDatabase, logPoolError } from '../process/database-wait';
import { runProcess } from '../process/exit';
import { checkTemporalTls, tlsSources } from '../process/temporal-tls';
import { Shutdown, stopSignal } from '../process/shutdown';
import { createWorkerMetrics, type WorkerMetrics } from './metrics';
import { startWorker } from './run-worker';
import { prebuiltBundle } from './workflow-bundle';
import { freeLoopbackPort, installRuntime } from './runtime';

/** How long in-flight activities may run on after SIGTERM (compose gives 60 s). */
const SHUTDOWN_GRACE = '30s';

const logger = createLogger('gatehouse-worker', 'info');

async function main(): Promise<boolean> {
  const signal = stopSignal();
  const shutdown = new Shutdown((message, error) => logger.error({ err: error }, message));
  const config = loadWorkerConfig();
  logger.level = config.LOG_LEVEL;
  const metrics = config.WORKER_METRICS_PORT === 0 ? undefined : createWorkerMetrics();
  const sdkMetricsPort = metrics && (await freeLoopbackPort());
  installRuntime(logger, {
    level: config.LOG_LEVEL,
    ...(sdkMetricsPort && { sdkMetricsAddress: `127.0.0.1:${sdkMetricsPort}` }),
  });

  const db = createDatabase(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    onPoolError: logPoolError(logger),
    // The worker writes every record: its commits should not also pay for the checkpoints.
    backgroundCheckpoints: true,
    onCheckpointError: (message) => logger.error({ message }, 'WAL checkpoint failed'),
  });
  shutdown.add('the app database', () => db.destroy());
  const mailer = config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  if (mailer) shutdown.add('the mailer', () => mailer.close());
  let clean = false;
  try {
    // A PostgreSQL still starting (or restarting) is waited for, up to DATABASE_WAIT.
    if ((await awaitDatabase(db, config.DATABASE_WAIT, logger, signal)) === 'available') {
      await work({ config, db, mailer, metrics, sdkMetricsPort }, shutdown, signal);
    } else {
      logger.info({ signal: await signal }, 'stopping: no longer waiting for the app database');
    }
    clean = true;
  } finally {
    clean = (await shutdown.run()) && clean;
  }
  logger.info('worker stopped');
  return clean;
}

interface Parts {
  config: WorkerConfig;
  db: Kysely<Database>;
  mailer: Mailer | undefined;
  metrics: WorkerMetrics | undefined;
  sdkMetricsPort: number | undefined;
}

/** Checks the schema, starts polling and runs until a stop signal (or the worker stops). */
async function work(
  { config, db, mailer, metrics, sdkMetricsPort }: Parts,
  shutdown: Shutdown,
  signal: Promise<NodeJS.Signals>,
): Promise<void> {
  await assertSchemaCurrent(db);
  const prebuilt = prebuiltBundle(config.WORKFLOW_BUNDLE_DIR);
  if (prebuilt.bundle)
    logger.info({ files: prebuilt.files }, 'workflow bundle: prebuilt, its files unchanged');
  else logger.info({ reason: prebuilt.reason }, 'workflow bundle: bundling at start');
  // A certificate the frontend or this process refuses: one line naming the setting.
  await checkTemporalTls(temporalConnectionOptions(config.temporal), tlsSources(config));
  const worker = await startWorker(
    {
      temporal: temporalConnectionOptions(config.temporal),
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      db,
      ...(mailer && { mailer }),
      ...(config.WEBHOOK_URL && { webhookUrl: config.WEBHOOK_URL }),
      webhookFormat: config.WEBHOOK_FORMAT,
      ...(config.WEBHOOK_SECRET && { webhookSecret: config.WEBHOOK_SECRET }),
      ...(prebuilt.bundle && { workflowBundle: prebuilt.bundle }),
      ...(config.GATEHOUSE_PUBLIC_URL && { publicUrl: config.GATEHOUSE_PUBLIC_URL }),
      mailFrom: config.MAIL_FROM,
      ...(metrics && {
        ops: {
          port: config.WORKER_METRICS_PORT,
          metrics,
          sdkMetricsUrl: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
        },
      }),
      tuning: {
        shutdownGraceTime: SHUTDOWN_GRACE,
        ...(config.WORKER_CACHED_WORKFLOWS !== undefined && {
          maxCachedWorkflows: config.WORKER_CACHED_WORKFLOWS,
        }),
      },
    },
    shutdown,
  );
  // Projects an older build moved during a rolling upgrade get their to-dos (usually none:
  // a scan of the projects' keys), while the worker already runs.
  catchUpOpenActions(db).then(
    ({ projects, unreadable }) => {
      if (projects > 0) logger.info({ projects }, 'open actions caught up');
      if (unreadable.length > 0) {
        logger.warn({ unreadable }, 'open actions: unreadable stored state, left as it is');
      }
    },
    (error: unknown) => logger.warn({ err: error }, 'open actions catch-up failed'),
  );
  // Names an older build wrote during a rolling upgrade get their folds, so the name search
  // and the directory find them (usually none: a scan of the names).
  catchUpNameFolds(db).then(
    ({ projects, users }) => {
      if (projects + users > 0) logger.info({ projects, users }, 'name folds caught up');
    },
    (error: unknown) => logger.warn({ err: error }, 'name folds catch-up failed'),
  );
  logger.info(
    {
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      address: config.TEMPORAL_ADDRESS,
      namespace: config.TEMPORAL_NAMESPACE,
      ...(worker.opsPort !== undefined && { metricsPort: worker.opsPort }),
    },
    'worker running',
  );
  // A signal, or the worker stopping by itself (its error is the process's failure).
  const stoppedBy = await Promise.race([signal, worker.stopped.then(() => undefined)]);
  if (!stoppedBy) throw new Error('the worker stopped by itself');
  logger.info({ signal: stoppedBy }, 'stopping: draining tasks in flight');
}

runProcess('gatehouse worker', logger, 'worker failed', main);
