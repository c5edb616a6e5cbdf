/**
 * `gatehouse api`: the HTTP API. Reads its configuration from the environment, migrates the
 * database, bootstraps the admin, listens, and on SIGINT/SIGTERM stops taking connections and
 * lets in-flight requests finish.
 */
import { Client, Connection } from '@temporalio/client';
import { createDatabase, migrateToLatest } from '../db';
import { ConfigError } from '../worker/config';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { loadApiConfig } from './config';

async function main(): Promise<void> {
  const config = loadApiConfig();
  const db = createDatabase(config.DATABASE_URL);
  await migrateToLatest(db);
  const { createdAdminToken } = await bootstrap(db, {
    ...(config.GATEHOUSE_ADMIN_TOKEN && { adminToken: config.GATEHOUSE_ADMIN_TOKEN }),
  });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const app = createApp({
    db,
    temporal: { client, taskQueue: config.TEMPORAL_TASK_QUEUE },
    bodyLimit: config.BODY_LIMIT,
    ...(config.TEMPORAL_UI_URL && { temporalUiUrl: config.TEMPORAL_UI_URL }),
    ...(config.OIDC_ISSUER && {
      oidc: {
        issuer: config.OIDC_ISSUER,
        audience: config.OIDC_AUDIENCE!,
        ...(config.OIDC_JWKS_URL && { jwksUrl: config.OIDC_JWKS_URL }),
      },
    }),
  });
  const server = app.listen(config.PORT, config.HOST, () => {
    console.log(`gatehouse api: listening on http://${config.HOST}:${config.PORT}`);
    if (createdAdminToken)
      console.log(`gatehouse api: admin token (shown once): ${createdAdminToken}`);
  });
  const stop = () => {
    server.close(() => {
      void connection.close().then(() => db.destroy());
    });
    // Server-Sent Event streams never end by themselves.
    setTimeout(() => server.closeAllConnections(), 5000).unref();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(
    error instanceof ConfigError ? `gatehouse api: configuration error: ${error.message}` : error,
  );
  process.exit(1);
});
