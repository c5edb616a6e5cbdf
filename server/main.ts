/**
 * `gatehouse api`: configuration from the environment, wired to the API module (./run-api.ts)
 * that `npm start` runs too. It waits for a PostgreSQL that is down or starting up (up to
 * DATABASE_WAIT), refuses an app database whose schema this build does not know (`gatehouse
 * migrate` prepares it), bootstraps the admin and listens. Logs are JSON lines, one
 * per request; metrics on API_METRICS_PORT. On SIGINT/SIGTERM it stops accepting connections,
 * lets requests in flight finish, cuts event streams after a grace period, closes Temporal and
 * the database, and exits 0.
 */
import type { Kysely } from 'kysely';
import { loadApiConfig, temporalConnectionOptions, type ApiConfig } from '../config';
import { createLogger } from '../config/logger';
import { assertSchemaCurrent, createDatabase, type Database } from '../db';
import { awaitDatabase, logPoolError } from '../process/database-wait';
import { runProcess } from '../process/exit';
import { checkTemporalTls, tlsSources } from '../process/temporal-tls';
import { Shutdown, stopSignal } from '../process/shutdown';
import { writeAdminTokenFile } from './admin-token-file';
import { bootstrap } from './bootstrap';
import { startApi } from './run-api';
import { oidcFromConfig, securityFromConfig } from './security/options';

/** How long event streams may stay open after SIGTERM (compose waits 15 s in all). */
const STREAM_GRACE_MS = 5_000;

const logger = createLogger('gatehouse-api', 'info');

async function main(): Promise<boolean> {
  // A repeated signal changes nothing: the grace period bounds the stop.
  const signal = stopSignal();
  const shutdown = new Shutdown((message, error) => logger.error({ err: error }, message));
  const config = loadApiConfig();
  logger.level = config.LOG_LEVEL;
  const db = createDatabase(config.DATABASE_URL, {
    poolSize: config.DATABASE_POOL_SIZE,
    onPoolError: logPoolError(logger),
  });
  shutdown.add('the app database', () => db.destroy());
  let clean = false;
  try {
    // A PostgreSQL still starting (or restarting) is waited for, up to DATABASE_WAIT.
    if ((await awaitDatabase(db, config.DATABASE_WAIT, logger, signal)) === 'available') {
      await serve(config, db, shutdown);
      logger.info({ signal: await signal }, 'stopping: finishing requests in flight');
    } else {
      logger.info({ signal: await signal }, 'stopping: no longer waiting for the app database');
    }
    clean = true;
  } finally {
    clean = (await shutdown.run()) && clean;
  }
  logger.info('stopped');
  return clean;
}

/** Checks the schema, bootstraps the admin and starts listening. */
async function serve(config: ApiConfig, db: Kysely<Database>, shutdown: Shutdown): Promise<void> {
  await assertSchemaCurrent(db);
  // The first admin token goes to a file, never to the log; the admin is only created if it
  // could be written.
  const { createdAdminToken } = await bootstrap(db, {
    ...(config.GATEHOUSE_ADMIN_TOKEN && { adminToken: config.GATEHOUSE_ADMIN_TOKEN }),
    tokenLifetimeMs: config.TOKEN_LIFETIME,
    deliverAdminToken: (token) => writeAdminTokenFile(config.GATEHOUSE_ADMIN_TOKEN_FILE, token),
  });
  // A certificate the frontend or this process refuses: one line naming the setting.
  await checkTemporalTls(temporalConnectionOptions(config.temporal), tlsSources(config));
  const api = await startApi(
    {
      db,
      temporal: temporalConnectionOptions(config.temporal),
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      port: config.PORT,
      host: config.HOST,
      logger,
      bodyLimit: config.BODY_LIMIT,
      actionTimeoutMs: config.ACTION_TIMEOUT,
      streamGraceMs: STREAM_GRACE_MS,
      ...(config.API_METRICS_PORT !== 0 && { metricsPort: config.API_METRICS_PORT }),
      ...(config.TEMPORAL_UI_URL && { temporalUiUrl: config.TEMPORAL_UI_URL }),
      ...(config.GATEHOUSE_STATIC_DIR && { staticDir: config.GATEHOUSE_STATIC_DIR }),
      security: securityFromConfig(config),
      oidc: oidcFromConfig(config),
    },
    shutdown,
  );
  logger.info(
    {
      url: `http://${config.HOST}:${api.port}`,
      ...(api.metricsPort !== undefined && { metricsPort: api.metricsPort }),
    },
    'listening',
  );
  if (createdAdminToken) {
    const file = config.GATEHOUSE_ADMIN_TOKEN_FILE;
    logger.warn({ file }, 'the first admin token is in this file: keep it safe, then delete it');
  }
}

runProcess('gatehouse api', logger, 'api failed', main);
