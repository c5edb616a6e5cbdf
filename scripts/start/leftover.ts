/**
 * A Temporal dev server left behind by an `npm start` that did not stop cleanly. On Linux the
 * dev server dies with its parent (`setpriv --pdeathsig`, see dev-server.ts); elsewhere, or if
 * that failed, the next start finds it by the pid file it keeps in the data folder and stops it
 * before checking the ports, so a SIGKILLed or crashed start never blocks the next one.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const PID_FILE = 'temporal.pid';
const STOP_WAIT_MS = 10_000;

/** Records the dev server's pid beside its database. */
export function writePidFile(dataDir: string, pid: number): void {
  writeFileSync(path.join(dataDir, PID_FILE), `${pid}\n`, { mode: 0o600 });
}

export function removePidFile(dataDir: string): void {
  rmSync(path.join(dataDir, PID_FILE), { force: true });
}

/**
 * Stops the dev server of an earlier start on `dataDir`, when the pid file names a live process
 * that is that dev server (its command line names this folder's database: a reused pid of
 * another program is left alone). Resolves with the pid it stopped.
 */
export async function stopLeftoverDevServer(dataDir: string): Promise<number | undefined> {
  const file = path.join(dataDir, PID_FILE);
  let pid: number;
  try {
    pid = Number(readFileSync(file, 'utf8').trim());
  } catch {
    return undefined; // no pid file: nothing was left behind
  }
  const ours = Number.isInteger(pid) && pid > 0 && isDevServerOf(pid, dataDir);
  if (ours) {
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_WAIT_MS;
    while (isAlive(pid) && Date.now() < deadline) await sleep(100);
    if (isAlive(pid)) signal(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  rmSync(file, { force: true });
  return ours ? pid : undefined;
}

function isDevServerOf(pid: number, dataDir: string): boolean {
  const command = commandLine(pid);
  return (
    command !== undefined &&
    command.includes('start-dev') &&
    command.includes(path.join(dataDir, 'temporal.db'))
  );
}

/** The process's command line: /proc on Linux, `ps` elsewhere; undefined when it is gone. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    if (process.platform === 'linux') return undefined;
  }
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
  } catch {
    return undefined; // ps exits 1 when there is no such process
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Exited between the check and the signal: what we wanted.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
