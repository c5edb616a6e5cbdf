/**
 * `npm run worker`: connects to Temporal and the app database from the environment and runs
 * until SIGINT/SIGTERM, when it stops polling and drains the tasks it holds.
 */
import { NativeConnection } from '@temporalio/worker';
import { createSmtpMailer } from '../activities';
import { createDatabase, migrateToLatest } from '../db';
import { ConfigError, loadWorkerConfig } from './config';
import { createGatehouseWorker } from './create-worker';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const db = createDatabase(config.DATABASE_URL);
  await migrateToLatest(db);
  const mailer = config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const worker = await createGatehouseWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      db,
      ...(mailer && { mailer }),
      ...(config.WEBHOOK_URL && { webhookUrl: config.WEBHOOK_URL }),
      mailFrom: config.MAIL_FROM,
    });
    console.log(
      `gatehouse worker: task queue "${config.TEMPORAL_TASK_QUEUE}" on ${config.TEMPORAL_ADDRESS} (${config.TEMPORAL_NAMESPACE})`,
    );
    // The SDK installs SIGINT/SIGTERM handlers that call worker.shutdown(); run() resolves
    // once in-flight tasks have drained.
    await worker.run();
  } finally {
    await connection.close();
    mailer?.close();
    await db.destroy();
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`gatehouse worker: configuration error: ${error.message}`);
  } else {
    console.error('gatehouse worker: fatal', error);
  }
  process.exit(1);
});
