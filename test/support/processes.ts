/**
 * Child processes for tests that run the real entry points (the worker; later the API): start
 * one, wait for its ready line, kill it by pid. Output is captured for failure messages, and
 * every process a test file starts is stopped after the file's tests, even when they fail.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { requireTestEnv, TEST_ENV } from './env';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TestProcess {
  name: string;
  pid: number;
  /** Resolves once the process has exited (never rejects). */
  exited: Promise<Exit>;
  /** Resolves with the first stdout line matching `pattern`; rejects if it exits first or times out. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends `signal` to this pid and waits for the exit. */
  kill(signal: NodeJS.Signals): Promise<Exit>;
  /** SIGTERM, then SIGKILL after `graceMs`; a no-op once exited. */
  stop(graceMs?: number): Promise<Exit>;
  /** Name, pid, exit and the tail of stdout and stderr, for failure messages. */
  describe(): string;
  /** Everything it has written so far. */
  output(): { stdout: string; stderr: string };
}

const OUTPUT_TAIL = 4_000;
const running = new Set<ChildProcess>();

// Last resort when the jest worker exits without running afterAll hooks.
const killAll = () => {
  for (const child of running) child.kill('SIGKILL');
};
process.on('exit', killAll);
// Registered on import, like ./temporal's connection cleanup, so no test file leaks a child.
afterAll(async () => {
  await Promise.all([...running].map((child) => stopChild(child, 10_000)));
  // Each test file loads this module afresh in a long-lived jest worker: do not pile up listeners.
  process.off('exit', killAll);
});

/** Starts `command` with `args`; stdout and stderr are piped and kept. */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): TestProcess {
  const child = spawn(command, args, {
    cwd: options.cwd ?? PROJECT_ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  const pid = child.pid;
  running.add(child);
  let stdout = '';
  let stderr = '';
  let exit: Exit | undefined;
  const lineListeners = new Set<(line: string) => void>();
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) for (const listener of lineListeners) listener(line);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    // 'close' (not 'exit'): the pipes are drained too, so the captured output is complete.
    child.on('close', (code, signal) => {
      exit = { code, signal };
      running.delete(child);
      resolve(exit);
    });
  });

  const handle: TestProcess = {
    name,
    pid,
    exited,
    waitForLine(pattern, timeoutMs = 60_000) {
      const seen = stdout.split('\n').find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          lineListeners.delete(onLine);
        };
        const onLine = (line: string) => {
          if (!pattern.test(line)) return;
          done();
          resolve(line);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no line matching ${pattern} in ${timeoutMs} ms\n${handle.describe()}`));
        }, timeoutMs);
        lineListeners.add(onLine);
        void exited.then(() => {
          if (!lineListeners.has(onLine)) return;
          done();
          reject(new Error(`exited before printing ${pattern}\n${handle.describe()}`));
        });
      });
    },
    async kill(signal) {
      if (exit) return exit;
      process.kill(pid, signal);
      return exited;
    },
    async stop(graceMs = 10_000) {
      if (exit) return exit;
      await stopChild(child, graceMs);
      return exited;
    },
    describe() {
      const status = exit ? `exited (code ${exit.code}, signal ${exit.signal})` : 'running';
      return [
        `${name} (pid ${pid}) ${status}`,
        `--- stdout (tail) ---\n${stdout.slice(-OUTPUT_TAIL)}`,
        `--- stderr (tail) ---\n${stderr.slice(-OUTPUT_TAIL)}`,
      ].join('\n');
    },
    output: () => ({ stdout, stderr }),
  };
  return handle;
}

/** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((resolve) => child.once('close', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs a TypeScript entry point of this repository as one node process with tsx's loader.
 * Not the `tsx` CLI: it forks a second node process, which a SIGKILL of the first would orphan.
 */
export function startTsEntry(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv = process.env,
): TestProcess {
  return startProcess(name, process.execPath, ['--import', 'tsx', entry], { env });
}

/** `npm run worker`'s entry on the run's Temporal server; resolves once it prints its ready line. */
export async function startWorkerProcess(options: {
  taskQueue: string;
  databaseUrl: string;
  name?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<TestProcess> {
  // Notification channels stay off unless a test passes them in `env`.
  const { WEBHOOK_URL: _webhook, SMTP_URL: _smtp, ...inherited } = process.env;
  const worker = startTsEntry(options.name ?? 'worker', 'worker/main.ts', {
    ...inherited,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
    TEMPORAL_TASK_QUEUE: options.taskQueue,
    DATABASE_URL: options.databaseUrl,
    // No fixed metrics port: test files (and tests with two workers) run side by side.
    WORKER_METRICS_PORT: '0',
    ...options.env,
  });
  try {
    // The worker bundles its workflows before this line (a few seconds; more on a busy machine).
    // Its log is JSON lines: the ready line is the one with "msg":"worker running".
    await worker.waitForLine(/"msg":"worker running"/, 90_000);
  } catch (error) {
    await worker.stop();
    throw error;
  }
  return worker;
}
