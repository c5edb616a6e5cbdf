/**
 * `npm start`: the embedded default of SPEC §5 in one process. A Temporal dev server (child
 * process, SQLite under the data folder), the app database, the built-in template, an admin and
 * demo users, then the worker and the API (with the designer when built) in this process.
 * SIGINT/SIGTERM stop it all in reverse order: API, worker, Temporal, database; exit code 0.
 * `npm start` runs it as `node --import tsx`, not through the tsx CLI: that wrapper relays
 * signals and SIGKILLs a child that does not acknowledge one within 30 ms (a busy event loop).
 */
import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createSmtpMailer } from '../activities';
import {
  ConfigError,
  loadStartConfig,
  temporalConnectionOptions,
  type StartConfig,
} from '../config';
import { createDatabase, migrateToLatest } from '../db';
import { createApp } from '../server/app';
import { bootstrap } from '../server/bootstrap';
import { answerClientErrors } from '../server/problem';
import { createGatehouseWorker } from '../worker/create-worker';
import { banner, type BannerInfo } from './start/banner';
import { DEMO_TOKENS_FILE, seedDemoUsers } from './start/demo-users';
import { launchDevServer } from './start/dev-server';

const ROOT = path.resolve(__dirname, '..');
const DESIGNER_DIST = path.join(ROOT, 'designer', 'dist');
const NAMESPACE = 'default';
/** How long open connections (Server-Sent Event streams) may linger once we stop listening. */
const API_GRACE_MS = 2_000;
/**
 * A terminal's Ctrl-C reaches us and the npm wrapper, which may relay it once more: a repeat
 * this soon is the same request, not an impatient second Ctrl-C.
 */
const DUPLICATE_SIGNAL_MS = 1_000;
const say = (message: string) => console.log(`gatehouse: ${message}`);

/** Stop steps, run last-registered first, each once; a failing step does not skip the rest. */
class Cleanups {
  private readonly steps: { name: string; run: () => Promise<unknown> }[] = [];
  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }
  async runAll(): Promise<boolean> {
    let ok = true;
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (error) {
        ok = false;
        console.error(`gatehouse: stopping ${step.name} failed:`, error);
      }
    }
    return ok;
  }
}

/** Starts everything, registering how to stop each part as soon as it exists. */
async function start(config: StartConfig, cleanups: Cleanups, signal: AbortSignal) {
  await assertPortFree(config.HOST, config.PORT, 'PORT');
  await assertPortFree('127.0.0.1', config.TEMPORAL_PORT, 'TEMPORAL_PORT');
  await assertPortFree('127.0.0.1', config.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT');
  mkdirSync(config.dataDir, { recursive: true });
  // We stop the worker ourselves, after the API: not the SDK on the first signal.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  // Plain JS shared with `npm test`; imported dynamically as it is an ES module.
  const { resolveTemporalCli } = await import('./temporal-cli.mjs');
  const cli = resolveTemporalCli({ install: true, log: say });
  const db = createDatabase(config.DATABASE_URL);
  cleanups.add('the app database', () => db.destroy());
  const devServer = launchDevServer({
    cliPath: cli.path,
    dataDir: config.dataDir,
    ip: '127.0.0.1',
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
  });
  cleanups.add('the Temporal dev server', () => devServer.stop());
  say(`starting the Temporal dev server on ${devServer.address}`);

  // The app database is prepared while the dev server boots; both settle before going on, so
  // that a failure of one never closes the database under the other.
  const [ready, prepared] = await Promise.allSettled([
    devServer.ready(signal),
    migrateToLatest(db).then(async () => ({
      admin: await bootstrap(db, {
        ...(config.GATEHOUSE_ADMIN_TOKEN && { adminToken: config.GATEHOUSE_ADMIN_TOKEN }),
      }),
      demo: await seedDemoUsers(db, config.dataDir),
    })),
  ]);
  if (ready.status === 'rejected') throw ready.reason;
  if (prepared.status === 'rejected') throw prepared.reason;
  const { admin, demo } = prepared.value;
  for (const warning of demo.warnings) console.warn(`gatehouse: warning: ${warning}`);
  signal.throwIfAborted();

  // The local dev server: plain text, no TLS or API key.
  const temporal = temporalConnectionOptions({ TEMPORAL_ADDRESS: devServer.address });
  const nativeConnection = await NativeConnection.connect(temporal);
  cleanups.add('the worker connection', () => nativeConnection.close());
  const mailer = config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  if (mailer) cleanups.add('the mailer', async () => mailer.close());
  say('bundling the workflows and starting the worker');
  const worker = await createGatehouseWorker({
    connection: nativeConnection,
    namespace: NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    ...(mailer && { mailer }),
    ...(config.WEBHOOK_URL && { webhookUrl: config.WEBHOOK_URL }),
    webhookFormat: config.WEBHOOK_FORMAT,
    // Links in e-mails and webhooks: this very server unless told where people reach it.
    publicUrl: config.GATEHOUSE_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    mailFrom: config.MAIL_FROM,
  });
  const workerRun = worker.run();
  cleanups.add('the worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    // A failed run was reported when it failed.
    await workerRun.catch(() => undefined);
  });
  signal.throwIfAborted();

  const connection = await Connection.connect(temporal);
  cleanups.add('the API connection', () => connection.close());
  const designer = existsSync(path.join(DESIGNER_DIST, 'index.html'));
  const app = createApp({
    db,
    temporal: {
      client: new Client({ connection, namespace: NAMESPACE }),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
    },
    temporalUiUrl: devServer.uiUrl,
    demoUsers: demo.users,
    ...(designer && { staticDir: DESIGNER_DIST }),
  });
  const server = await listen(app, config.PORT, config.HOST);
  cleanups.add('the API', () => closeServer(server));

  const info: BannerInfo = {
    appUrl: `http://${displayHost(config.HOST)}:${config.PORT}`,
    designer,
    temporalUiUrl: devServer.uiUrl,
    temporalAddress: devServer.address,
    temporalPid: devServer.pid,
    temporalLog: devServer.logFile,
    dataDir: config.dataDir,
    admin: admin.createdAdminToken
      ? { token: admin.createdAdminToken }
      : { kept: config.GATEHOUSE_ADMIN_TOKEN ? 'environment' : 'earlier-start' },
    demoUsers: demo.users,
    demoTokensFile: path.join(config.dataDir, DEMO_TOKENS_FILE),
  };
  // Resolves with the reason if a part stops on its own while we run.
  const failure = Promise.race([
    devServer.crashed,
    workerRun.then(
      () => new Error('the worker stopped'),
      (error: unknown) => new Error(`the worker failed: ${String(error)}`),
    ),
  ]);
  return { info, failure, exposed: !isLoopback(config.HOST) };
}

async function main(): Promise<number> {
  const config = loadStartConfig();
  const cleanups = new Cleanups();
  const stop = new AbortController();
  let firstSignalAt: number | undefined;
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (name: NodeJS.Signals) => {
      if (firstSignalAt === undefined) {
        firstSignalAt = Date.now();
        say(`${name}: stopping`);
        stop.abort();
        resolve();
      } else if (Date.now() - firstSignalAt > DUPLICATE_SIGNAL_MS) {
        // A second Ctrl-C: give up on a clean stop (the dev server is killed on exit).
        console.error('gatehouse: stopping now');
        process.exit(130);
      }
    };
    // SIGHUP too: a closed terminal must not leave the detached dev server behind.
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(name, onSignal);
  });
  let code = 0;
  try {
    const running = await start(config, cleanups, stop.signal);
    console.log(banner(running.info));
    if (running.exposed) {
      console.warn(
        `gatehouse: warning: HOST=${config.HOST} serves the demo users' tokens ` +
          '(GET /api/demo/users) to everyone who can reach it',
      );
    }
    const outcome = await Promise.race([stopped, running.failure]);
    if (outcome instanceof Error) {
      console.error(`gatehouse: ${outcome.message}`);
      code = 1;
    }
  } catch (error) {
    if (!stop.signal.aborted) {
      console.error(
        error instanceof ConfigError
          ? `gatehouse: configuration error: ${error.message}`
          : `gatehouse: could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      code = 1;
    }
  }
  if (!(await cleanups.runAll())) code = 1;
  say(code === 0 ? 'stopped' : 'stopped after an error');
  return code;
}

function listen(app: ReturnType<typeof createApp>, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (error?: Error) =>
      error ? reject(error) : resolve(server),
    );
    answerClientErrors(server);
  });
}

/** Stops accepting, then ends what is still open (event streams) after a grace period. */
function closeServer(server: Server): Promise<void> {
  const timer = setTimeout(() => server.closeAllConnections(), API_GRACE_MS);
  return new Promise<void>((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  ).finally(() => clearTimeout(timer));
}

/** Fails fast with the variable to change, rather than a child's bind error later. */
function assertPortFree(host: string, port: number, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          error.code === 'EADDRINUSE'
            ? `${variable}: port ${port} on ${host} is in use (another Gatehouse or Temporal?)`
            : `${variable}: cannot listen on ${host}:${port} (${error.message})`,
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function displayHost(host: string): string {
  return isLoopback(host) || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Should a library keep a handle open, do not hang after a clean stop.
    setTimeout(() => process.exit(code), 2_000).unref();
  },
  (error: unknown) => {
    console.error(
      error instanceof ConfigError ? `gatehouse: configuration error: ${error.message}` : error,
    );
    process.exit(1);
  },
);
