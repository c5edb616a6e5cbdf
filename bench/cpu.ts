/**
 * CPU time spent by this process (worker and client) and by its child processes (the Temporal
 * dev server). On a shared machine wall time swings with other load; CPU per Update does not,
 * so it is the steadier measure of what each phase costs. Child CPU is read from /proc and is
 * absent where there is none (not Linux).
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
  let ticks = 0;
  for (const pid of entries) {
    const fields = statFields(pid);
    // Fields after the command name: state, ppid, …, utime (12th), stime (13th).
    if (fields?.[1] === String(process.pid)) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function statFields(pid: string): string[] | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // The process ended between listing and reading.
    return undefined;
  }
  // The command name is in parentheses and may contain spaces: split after its closing one.
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
