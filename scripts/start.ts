/**
 * `npm start`: the embedded default of SPEC §5 in one process. A Temporal dev server (child
 * process, SQLite under the data folder), the app database, the built-in template, an admin and
 * demo users, then the worker and the API (with the designer when built) in this process.
 * The worker and the API are the same modules (worker/run-worker.ts, server/run-api.ts) that
 * `gatehouse worker` and `gatehouse api` run alone, stopped by the same Shutdown helper.
 * SIGINT/SIGTERM stop it all in reverse order: API, worker, Temporal, database; exit code 0.
 * `npm start` runs it as `node --import tsx`, not through the tsx CLI: that wrapper relays
 * signals and SIGKILLs a child that does not acknowledge one within 30 ms (a busy event loop).
 */
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createSmtpMailer } from '../activities';
import {
  ConfigError,
  loadStartConfig,
  temporalConnectionOptions,
  type StartConfig,
} from '../config';
import { createDatabase, migrateToLatest, waitForDatabase } from '../db';
import { Shutdown, stopSignal } from '../process/shutdown';
import { bootstrap } from '../server/bootstrap';
import { startApi } from '../server/run-api';
import { LOOPBACK_HOSTS } from '../server/security/hosts';
import { limitsFromConfig } from '../server/security/options';
import { startWorker } from '../worker/run-worker';
import { prebuiltBundle } from '../worker/workflow-bundle';
import { banner, type BannerInfo } from './start/banner';
import { DEMO_TOKENS_FILE, disableDemoUsers, seedDemoUsers } from './start/demo-users';
import { DESIGNER_DIST, ensureDesigner } from './start/designer';
import { launchDevServer } from './start/dev-server';
import { stopLeftoverDevServer } from './start/leftover';

const NAMESPACE = 'default';
/** How long open connections (Server-Sent Event streams) may linger once we stop listening. */
const API_GRACE_MS = 2_000;
const say = (message: string) => console.log(`gatehouse: ${message}`);

/**
 * Starts everything, registering how to stop each part as soon as it exists. The worker and the
 * API are the modules `gatehouse worker` and `gatehouse api` run alone in production; what is
 * particular here is the dev server, the migration and the demo users.
 */
async function start(config: StartConfig, shutdown: Shutdown, signal: AbortSignal) {
  if (config.GATEHOUSE_DEMO && !isLoopback(config.HOST)) {
    // GET /api/demo/users hands out the demo users' tokens: never beyond this machine.
    throw new ConfigError(
      `GATEHOUSE_DEMO: demo users are served on loopback only, not HOST=${config.HOST}; ` +
        'bind to 127.0.0.1, or set GATEHOUSE_DEMO=0',
    );
  }
  mkdirSync(config.dataDir, { recursive: true });
  const leftover = await stopLeftoverDevServer(config.dataDir);
  if (leftover !== undefined)
    say(`stopped the Temporal dev server a killed start left (pid ${leftover})`);
  await assertPortFree(config.HOST, config.PORT, 'PORT');
  await assertPortFree('127.0.0.1', config.TEMPORAL_PORT, 'TEMPORAL_PORT');
  await assertPortFree('127.0.0.1', config.TEMPORAL_UI_PORT, 'TEMPORAL_UI_PORT');
  // The process's stop (SIGINT/SIGTERM/SIGHUP) is ours to run, in order: not the SDK's.
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

  // Plain JS shared with `npm test`; imported dynamically as it is an ES module.
  const { resolveTemporalCli } = await import('./temporal-cli.mjs');
  const cli = resolveTemporalCli({ install: true, log: say });
  // The worker in this process writes every record: checkpoints go to a thread of their own.
  const db = createDatabase(config.DATABASE_URL, { backgroundCheckpoints: true });
  shutdown.add('the app database', () => db.destroy());
  const devServer = launchDevServer({
    cliPath: cli.path,
    dataDir: config.dataDir,
    ip: '127.0.0.1',
    port: config.TEMPORAL_PORT,
    uiPort: config.TEMPORAL_UI_PORT,
  });
  shutdown.add('the Temporal dev server', () => devServer.stop());
  say(`starting the Temporal dev server on ${devServer.address}`);

  // The designer is built and the app database prepared (the embedded default migrates it
  // itself) while the dev server boots; all settle before going on, so that a failure of one
  // never closes the database under another.
  const [ready, prepared, designer] = await Promise.allSettled([
    devServer.ready(signal),
    // A PostgreSQL still starting is waited for (DATABASE_WAIT); SQLite answers at once.
    waitForDatabase(db, {
      limitMs: config.DATABASE_WAIT,
      signal,
      onWait: ({ reason, retryInMs }) =>
        say(`waiting for the app database (${reason}); trying again in ${retryInMs / 1000}s`),
    })
      .then(() => signal.throwIfAborted())
      .then(() => migrateToLatest(db))
      .then(async () => ({
        admin: await bootstrap(db, {
          ...(config.GATEHOUSE_ADMIN_TOKEN && { adminToken: config.GATEHOUSE_ADMIN_TOKEN }),
        }),
        demo: config.GATEHOUSE_DEMO
          ? await seedDemoUsers(db, config.dataDir)
          : { users: [], warnings: [], disabled: await disableDemoUsers(db, config.dataDir) },
      })),
    ensureDesigner(say),
  ]);
  if (ready.status === 'rejected') throw ready.reason;
  if (prepared.status === 'rejected') throw prepared.reason;
  if (designer.status === 'rejected') throw designer.reason;
  const { admin, demo } = prepared.value;
  for (const warning of demo.warnings) console.warn(`gatehouse: warning: ${warning}`);
  signal.throwIfAborted();

  // The local dev server: plain text, no TLS or API key.
  const temporal = temporalConnectionOptions({ address: devServer.address });
  const mailer = config.SMTP_URL ? createSmtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  if (mailer) shutdown.add('the mailer', () => mailer.close());
  // As `gatehouse worker` does: a prebuilt bundle of these very files, else webpack now.
  const prebuilt = prebuiltBundle(config.WORKFLOW_BUNDLE_DIR);
  say(
    prebuilt.bundle
      ? 'starting the worker (the prebuilt workflow bundle, its files unchanged)'
      : 'bundling the workflows and starting the worker',
  );
  const worker = await startWorker(
    {
      temporal,
      namespace: NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      db,
      ...(mailer && { mailer }),
      ...(config.WEBHOOK_URL && { webhookUrl: config.WEBHOOK_URL }),
      webhookFormat: config.WEBHOOK_FORMAT,
      ...(config.WEBHOOK_SECRET && { webhookSecret: config.WEBHOOK_SECRET }),
      // Links in e-mails and webhooks: this very server unless told where people reach it.
      publicUrl: config.GATEHOUSE_PUBLIC_URL ?? `http://localhost:${config.PORT}`,
      mailFrom: config.MAIL_FROM,
      ...(prebuilt.bundle && { workflowBundle: prebuilt.bundle }),
    },
    shutdown,
  );
  signal.throwIfAborted();

  await startApi(
    {
      db,
      temporal,
      namespace: NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      port: config.PORT,
      host: config.HOST,
      streamGraceMs: API_GRACE_MS,
      temporalUiUrl: devServer.uiUrl,
      ...(config.GATEHOUSE_DEMO && { demoUsers: demo.users }),
      security: {
        limits: limitsFromConfig(config),
        ...((config.GATEHOUSE_DEMO || config.GATEHOUSE_ALLOWED_HOSTS) && {
          allowedHosts: [...LOOPBACK_HOSTS, ...(config.GATEHOUSE_ALLOWED_HOSTS ?? [])],
        }),
      },
      ...(designer.value && { staticDir: DESIGNER_DIST }),
    },
    shutdown,
  );

  const info: BannerInfo = {
    appUrl: `http://${displayHost(config.HOST)}:${config.PORT}`,
    designer: designer.value,
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
    worker.stopped.then(
      () => new Error('the worker stopped'),
      (error: unknown) => new Error(`the worker failed: ${String(error)}`),
    ),
  ]);
  return { info, failure };
}

async function main(): Promise<number> {
  const config = loadStartConfig();
  const shutdown = new Shutdown((message, error) => console.error(`gatehouse: ${message}:`, error));
  const stop = new AbortController();
  // SIGHUP too: a closed terminal must not leave the dev server behind. A terminal's Ctrl-C
  // reaches us and the npm wrapper, which may relay it: a repeat within a second is the same
  // request; a later one is an impatient second Ctrl-C (the dev server dies with us).
  const stopped = stopSignal({
    signals: ['SIGINT', 'SIGTERM', 'SIGHUP'],
    onRepeat: () => {
      console.error('gatehouse: stopping now');
      process.exit(130);
    },
  }).then((name) => {
    say(`${name}: stopping`);
    stop.abort();
  });
  // A service manager or `timeout` stopping `npm start` signals npm, whose `sh -c` wrapper
  // dies without relaying it: when our parent goes away, stop as for SIGTERM.
  const orphaned = parentGone().then(() => {
    if (stop.signal.aborted) return;
    say('the process that started us is gone: stopping');
    stop.abort();
  });
  let code = 0;
  try {
    const running = await start(config, shutdown, stop.signal);
    console.log(banner(running.info));
    const outcome = await Promise.race([stopped, orphaned, running.failure]);
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
  if (!(await shutdown.run())) code = 1;
  say(code === 0 ? 'stopped' : 'stopped after an error');
  return code;
}

/** Resolves once this process's parent has exited (it is then re-parented). */
function parentGone(pollMs = 500): Promise<void> {
  const parent = process.ppid;
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(timer);
        resolve();
      }
    }, pollMs);
    timer.unref();
  });
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
