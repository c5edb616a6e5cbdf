/**
 * CPU time spent by this process (worker and client), by one of its threads and by its child
 * processes (the Temporal dev server). On a shared machine wall time swings with other load;
 * CPU per Update does not, so it is the steadier measure of what each phase costs. Thread and
 * child CPU are read from /proc and are absent where there is none (not Linux).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** /proc reports process times in USER_HZ, which Linux fixes at 100 for user space. */
const TICKS_PER_SECOND = 100;

export interface CpuSample {
  /** This process, user + system, ms. */
  selfMs: number;
  /** Direct child processes alive now, user + system, ms; undefined without /proc. */
  childrenMs: number | undefined;
}

export function sampleCpu(): CpuSample {
  const { user, system } = process.cpuUsage();
  return { selfMs: (user + system) / 1000, childrenMs: childrenCpuMs() };
}

/** CPU ms between two samples. */
export function cpuSpent(
  from: CpuSample,
  to: CpuSample,
): { selfMs: number; childrenMs: number | undefined } {
  const childrenMs =
    from.childrenMs === undefined || to.childrenMs === undefined
      ? undefined
      : to.childrenMs - from.childrenMs;
  return { selfMs: to.selfMs - from.selfMs, childrenMs };
}

function childrenCpuMs(): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let total = 0;
  for (const pid of entries) {
    const fields = statFields(`/proc/${pid}/stat`);
    if (fields?.[1] === String(process.pid)) total += cpuMsOf(fields);
  }
  return total;
}

/** Fields after the command name: state, ppid, …, utime (12th), stime (13th), in ticks. */
const cpuMsOf = (fields: string[]) =>
  ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;

/**
 * CPU ms, user + system, of the calling thread alone (a worker thread's own, called from it);
 * undefined without /proc. /proc/thread-self is the entry of whichever thread reads it.
 */
export function threadCpuMs(): number | undefined {
  const fields = statFields('/proc/thread-self/stat');
  return fields === undefined ? undefined : cpuMsOf(fields);
}

function statFields(file: string): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(file, 'utf8');
  } catch {
    // The process ended between listing and reading, or there is no /proc.
    return undefined;
  }
  // The command name is in parentheses and may contain spaces: split after its closing one.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
