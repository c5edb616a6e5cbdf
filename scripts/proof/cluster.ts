/**
 * The proof's process supervisor, standing in for compose: one-shot jobs that must exit 0, and
 * services restarted after they exit unless the harness stopped them (`restart:
 * unless-stopped`). Each process gets only the environment its compose service has (plus PATH
 * and HOME) and writes its output to a log file of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessSpec } from './topology';

const RESTART_DELAY_MS = 1_000;
const TAIL_CHARS = 3_000;

export interface Service {
  spec: ProcessSpec;
  /** The current process's pid (a restart changes it). */
  pid(): number | undefined;
  /** Sends `signal` to the current process; the supervisor restarts it after it exits. */
  signal(signal: NodeJS.Signals): void;
  /** Stops it for good: SIGTERM, SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** How many times it was restarted. */
  restarts(): number;
}

export class Supervisor {
  private readonly services = new Set<Service>();

  constructor(
    private readonly logDir: string,
    private readonly say: (line: string) => void,
    /** Prepended to PATH: the Temporal tools and CLI the shared scripts call by name. */
    private readonly extraPath: string[],
  ) {}

  logFile(name: string): string {
    return path.join(this.logDir, `${name}.log`);
  }

  private launch(
    spec: ProcessSpec,
    cwd: string | undefined,
  ): { child: ChildProcess; log: WriteStream } {
    const log = createWriteStream(this.logFile(spec.name), { flags: 'a' });
    log.write(`--- ${new Date().toISOString()} ${spec.command.join(' ')}\n`);
    const [command, ...args] = spec.command;
    const child = spawn(command!, args, {
      cwd: cwd ?? process.cwd(),
      env: {
        PATH: [...this.extraPath, process.env.PATH ?? '/usr/bin:/bin'].join(path.delimiter),
        HOME: process.env.HOME ?? '/root',
        ...spec.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    return { child, log };
  }

  /** Runs a one-shot job to completion; throws with the end of its log unless it exits 0. */
  async job(spec: ProcessSpec, cwd?: string): Promise<void> {
    const { child, log } = this.launch(spec, cwd);
    const code = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(-1));
      child.once('close', (status) => resolve(status));
    });
    log.end();
    if (code !== 0) {
      throw new Error(
        `${spec.name} failed (exit ${code}); the end of its log:\n${this.tail(spec.name)}`,
      );
    }
  }

  /** Starts a service that is restarted whenever it exits, until `stop`. */
  start(spec: ProcessSpec, cwd?: string): Service {
    let current: ChildProcess | undefined;
    let stopped = false;
    let restarts = 0;
    let exited: Promise<void> = Promise.resolve();
    const run = () => {
      const { child, log } = this.launch(spec, cwd);
      current = child;
      exited = new Promise<void>((resolve) => {
        child.once('close', (code, signal) => {
          log.end();
          resolve();
          if (stopped) return;
          restarts += 1;
          this.say(`${spec.name} exited (${signal ?? `code ${code}`}); restarting it`);
          void sleep(RESTART_DELAY_MS).then(() => {
            if (!stopped) run();
          });
        });
      });
    };
    run();
    const service: Service = {
      spec,
      pid: () => current?.pid,
      signal: (name) => {
        if (current?.exitCode === null && current.signalCode === null) current.kill(name);
      },
      async stop(graceMs = 30_000) {
        stopped = true;
        const child = current;
        if (child && child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        }
      },
      restarts: () => restarts,
    };
    this.services.add(service);
    return service;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.services].map((s) => s.stop(10_000)));
  }

  tail(name: string): string {
    try {
      return readFileSync(this.logFile(name), 'utf8').slice(-TAIL_CHARS).trimEnd();
    } catch {
      return '(no log)';
    }
  }
}

/** Polls `probe` until it resolves true; rejects after `timeoutMs` naming `what`. */
/** Ctrl-C or SIGTERM: says so, runs `cleanup`, and exits as the signal asks (130, 143). */
export function onInterrupt(say: (line: string) => void, cleanup: () => void): void {
  const interrupted = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping its processes and PostgreSQL`);
    cleanup();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
}

export async function until(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 250,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

/** GET `url` answers 200 within 3 s. */
export async function answers200(url: string): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
  await response.arrayBuffer();
  return response.status === 200;
}
