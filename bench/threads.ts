/**
 * CPU per Update by thread of the bench process: which part of the process pays for a phase.
 * The engine bench's worker runs each phase's workflows on a workflow thread of its own, its
 * local activities (the record write) on the main thread, the SDK's core (Rust) on threads
 * named `tokio-*`, and V8's garbage collector and compiler, libuv's pool and the SQLite
 * checkpointer on further threads. Read from /proc (Linux); elsewhere there is nothing to show.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { formatColumns } from './measure';

/** CPU ms of each thread of this process, by thread id; the main thread's id is the pid. */
export type ThreadCpu = Map<string, { name: string; ms: number }>;

/** /proc reports thread times in USER_HZ, which Linux fixes at 100 for user space. */
const TICKS_PER_SECOND = 100;

export function sampleThreads(): ThreadCpu {
  const threads: ThreadCpu = new Map();
  let ids: string[];
  try {
    ids = readdirSync('/proc/self/task');
  } catch {
    return threads;
  }
  for (const id of ids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
    } catch {
      continue; // The thread ended between listing and reading.
    }
    // The name is in parentheses and may contain spaces; utime and stime follow it, 12th and 13th.
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
    threads.set(id, { name, ms });
  }
  return threads;
}

/** Adds what each thread spent between `from` and `to` to `into` (a thread new since: all). */
export function addThreadCpu(into: ThreadCpu, from: ThreadCpu, to: ThreadCpu): void {
  for (const [id, { name, ms }] of to) {
    const spent = ms - (from.get(id)?.ms ?? 0);
    const sum = into.get(id);
    if (sum) sum.ms += spent;
    else into.set(id, { name, ms: spent });
  }
}

/**
 * The threads grouped: the main thread; the workflow thread (the busiest other JS thread, named
 * like the main one: the phase's workflows ran on it); the SDK core's; all others.
 */
export function threadGroups(spent: ThreadCpu) {
  const main = spent.get(String(process.pid));
  const others = [...spent].filter(([id]) => id !== String(process.pid)).map(([, t]) => t);
  const core = others.filter((t) => t.name.startsWith('tokio'));
  const js = others.filter((t) => !core.includes(t) && t.name === main?.name);
  const workflow = js.reduce<{ ms: number } | undefined>(
    (a, t) => (a && a.ms >= t.ms ? a : t),
    undefined,
  );
  const sum = (ts: { ms: number }[]) => ts.reduce((a, t) => a + t.ms, 0);
  const total = sum([...spent.values()]);
  const [mainMs, workflowMs, coreMs] = [main?.ms ?? 0, workflow?.ms ?? 0, sum(core)];
  return {
    main: mainMs,
    workflow: workflowMs,
    core: coreMs,
    other: total - mainMs - workflowMs - coreMs,
    total,
  };
}

/** One row per phase: CPU ms per Update of each group of threads. */
export function formatThreadTable(
  phases: readonly { phase: string; updates: number; threads: ThreadCpu }[],
): string {
  const header = ['phase', 'main', 'workflow thread', 'SDK core', 'other threads', 'total'];
  const rows = phases.map(({ phase, updates, threads }) => {
    const g = threadGroups(threads);
    return [
      phase,
      ...[g.main, g.workflow, g.core, g.other, g.total].map((ms) => (ms / updates).toFixed(2)),
    ];
  });
  return formatColumns(header, rows);
}
