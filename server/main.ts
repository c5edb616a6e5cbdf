/**
 * `gatehouse api`: the HTTP API. Reads its configuration from the environment, migrates the
 * database, bootstraps the admin and listens. Logs are JSON lines, one per request. On
 * SIGINT/SIGTERM it stops accepting connections, lets requests in flight finish, cuts event
 * streams after a grace period, closes Temporal and the database, and exits 0.
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { ConfigError, loadApiConfig, temporalConnectionOptions } from '../config';
import { createLogger, type Logger } from '../config/logger';
import { createDatabase, migrateToLatest } from '../db';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { answerClientErrors } from './problem';
import { graceful } from './shutdown';

/** How long event streams may stay open after SIGTERM (compose waits 15 s in all). */
const STREAM_GRACE_MS = 5_000;

async function main(logger: Logger): Promise<void> {
  // Listening from the start: a signal before any listener kills the process outright. A
  // repeated signal changes nothing (the grace period bounds the stop).
  const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
    for (const name of ['SIGINT', 'SIGTERM'] as const) process.on(name, resolve);
  });
  const config = loadApiConfig();
  logger.level = config.LOG_LEVEL;
  const db = createDatabase(config.DATABASE_URL, {
    onPoolError: (error) => logger.error({ err: error }, 'database connection error'),
  });
  await migrateToLatest(db);
  const { createdAdminToken } = await bootstrap(db, {
    ...(config.GATEHOUSE_ADMIN_TOKEN && { adminToken: config.GATEHOUSE_ADMIN_TOKEN }),
  });
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({
    db,
    temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    logger,
    bodyLimit: config.BODY_LIMIT,
    actionTimeoutMs: config.ACTION_TIMEOUT,
    ...(config.TEMPORAL_UI_URL && { temporalUiUrl: config.TEMPORAL_UI_URL }),
    ...(config.GATEHOUSE_STATIC_DIR && { staticDir: config.GATEHOUSE_STATIC_DIR }),
    ...(config.OIDC_ISSUER && {
      oidc: {
        issuer: config.OIDC_ISSUER,
        audience: config.OIDC_AUDIENCE!,
        ...(config.OIDC_JWKS_URL && { jwksUrl: config.OIDC_JWKS_URL }),
      },
    }),
  });
  const server = app.listen(config.PORT, config.HOST);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  const http = graceful(server);
  const { port } = server.address() as AddressInfo; // PORT=0: the one the OS picked
  logger.info({ url: `http://${config.HOST}:${port}` }, 'listening');
  // Printed once, to whoever runs the first start; GATEHOUSE_ADMIN_TOKEN avoids it.
  if (createdAdminToken) logger.warn(`admin token (shown once): ${createdAdminToken}`);

  const signal = await stopSignal;
  logger.info({ signal }, 'stopping: finishing requests in flight');
  await http.close(STREAM_GRACE_MS);
  await connection.close();
  await db.destroy();
  logger.info('stopped');
}

const logger = createLogger('gatehouse-api', 'info');
main(logger).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof ConfigError) {
      // One plain line: the operator reads it, no log pipeline is involved yet.
      console.error(`gatehouse api: configuration error: ${error.message}`);
    } else {
      logger.fatal({ err: error }, 'api failed');
    }
    process.exit(1);
  },
);
