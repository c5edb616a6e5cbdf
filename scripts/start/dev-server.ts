/**
 * The Temporal dev server of the embedded default: `temporal server start-dev` on a SQLite file
 * in the data folder (so workflows survive restarts), with its Web UI. It runs as a child in its
 * own process group, so a terminal's Ctrl-C reaches only us and we stop it last, after the API
 * and the worker. Its output goes to `<data>/temporal.log`; the tail explains a failed start.
 * It must not outlive us: on Linux it is started through `setpriv --pdeathsig SIGKILL`, so the
 * kernel kills it when we die, even by SIGKILL; everywhere its pid file lets the next start
 * stop it (./leftover.ts).
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { removePidFile, writePidFile } from './leftover';

export interface DevServerOptions {
  /** The Temporal CLI; undefined: the Temporal SDK downloads and runs the dev server. */
  cliPath: string | undefined;
  dataDir: string;
  ip: string;
  port: number;
  uiPort: number;
}

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  uiUrl: string;
  /** The dev server's pid (undefined when the SDK runs it). */
  pid: number | undefined;
  logFile: string | undefined;
  /** Resolves once the server answers (the `default` namespace exists); rejects if it dies. */
  ready(signal: AbortSignal, timeoutMs?: number): Promise<void>;
  /** Resolves with an explanation if the server exits without being asked to. */
  crashed: Promise<Error>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
}

const NAMESPACE = 'default';
const TAIL_CHARS = 3_000;

/** Arguments of `temporal server start-dev`; the Web UI stays on (no `--headless`). */
export function devServerArgs(options: Omit<DevServerOptions, 'cliPath'>): string[] {
  return [
    'server',
    'start-dev',
    ['--db-filename', path.join(options.dataDir, 'temporal.db')],
    ['--ip', options.ip],
    ['--port', String(options.port)],
    ['--ui-port', String(options.uiPort)],
    ['--log-level', 'warn'],
    // No call home for version checks: nothing is fetched at run time (SPEC §5).
    ['--dynamic-config-value', 'frontend.enableServerVersionCheck=false'],
  ].flat();
}

export function launchDevServer(options: DevServerOptions): DevServer {
  return options.cliPath ? spawnCli(options.cliPath, options) : runWithSdk(options);
}

function spawnCli(cliPath: string, options: DevServerOptions): DevServer {
  const address = `${options.ip}:${options.port}`;
  const logFile = path.join(options.dataDir, 'temporal.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  log.write(`--- ${new Date().toISOString()} ${cliPath} ${devServerArgs(options).join(' ')}\n`);
  const [command, ...args] = [...diesWithParent(), cliPath, ...devServerArgs(options)];
  const child = spawn(command!, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) writePidFile(options.dataDir, child.pid);
  let tail = '';
  const keep = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);

  let stopping = false;
  let exitedWith: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not run ${cliPath}: ${error.message}`));
    child.once('close', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`));
  }).then((how) => {
    exitedWith = how;
    process.off('exit', killOnExit);
    removePidFile(options.dataDir);
    log.end();
    return how;
  });
  // Last resort if this process ends without stop() (a crash, a second Ctrl-C): no orphan.
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);
  const explain = (how: string) =>
    new Error(`the Temporal dev server exited (${how}); the end of ${logFile}:\n${tail.trimEnd()}`);

  return {
    address,
    uiUrl: `http://localhost:${options.uiPort}`,
    pid: child.pid,
    logFile,
    async ready(signal, timeoutMs = 60_000) {
      const gone = exited.then((how) => Promise.reject(explain(how)));
      // Keep `gone` from being an unhandled rejection when the server answers first.
      gone.catch(() => undefined);
      await Promise.race([waitForNamespace(address, signal, timeoutMs, () => tail), gone]);
    },
    crashed: exited.then((how) => (stopping ? new Promise<Error>(() => {}) : explain(how))),
    async stop(graceMs = 15_000) {
      stopping = true;
      if (exitedWith !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

const SETPRIV = '/usr/bin/setpriv';

/**
 * The prefix that makes the dev server die with this process: util-linux's setpriv sets the
 * parent-death signal and execs the CLI (same pid). Only on Linux, where the kernel has it.
 */
function diesWithParent(): string[] {
  if (process.platform !== 'linux') return [];
  try {
    accessSync(SETPRIV, constants.X_OK);
    return [SETPRIV, '--pdeathsig', 'SIGKILL', '--'];
  } catch {
    return []; // no setpriv: the pid file is the safety net
  }
}

/** Polls until the frontend answers for the namespace; the dev server creates it at start. */
async function waitForNamespace(
  address: string,
  signal: AbortSignal,
  timeoutMs: number,
  tail: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    signal.throwIfAborted();
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
      return;
    } catch (error) {
      last = error;
    } finally {
      await connection?.close();
    }
    await sleep(250);
  }
  const why = last instanceof Error ? last.message : String(last);
  throw new Error(
    `the Temporal dev server did not answer on ${address} within ${timeoutMs / 1000} s (${why}); ` +
      `its output so far:\n${tail().trimEnd()}`,
  );
}

/**
 * Without a CLI (no binary and no Go), SPEC §5 lets the Temporal SDK download the dev server.
 * The SDK owns that process: no pid, and no crash report beyond the worker's own errors.
 */
function runWithSdk(options: DevServerOptions): DevServer {
  type Environment = Awaited<
    ReturnType<(typeof import('@temporalio/testing'))['TestWorkflowEnvironment']['createLocal']>
  >;
  let environment: Environment | undefined;
  return {
    address: `${options.ip}:${options.port}`,
    uiUrl: `http://localhost:${options.uiPort}`,
    pid: undefined,
    logFile: undefined,
    async ready(signal) {
      signal.throwIfAborted();
      // A dev dependency, present after `npm ci`; loaded only on this path.
      const { TestWorkflowEnvironment } = await import('@temporalio/testing');
      environment = await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'cached-download' },
          dbFilename: path.join(options.dataDir, 'temporal.db'),
          ip: options.ip,
          port: options.port,
          ui: true,
          uiPort: options.uiPort,
          namespace: NAMESPACE,
        },
      });
    },
    crashed: new Promise<Error>(() => {}),
    async stop() {
      await environment?.teardown();
    },
  };
}
