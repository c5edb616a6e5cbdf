/** Timing helpers shared by the benches: a bounded-concurrency pool, percentiles, a table. */
import { performance } from 'node:perf_hooks';
import { addThreadCpu, type ThreadCpu } from './threads';

/** One measured phase: how many workflows and Updates, over what wall time, how fast each. */
export interface PhaseResult {
  phase: string;
  workflows: number;
  updates: number;
  wallMs: number;
  /** Round-trip time of every Update, client side. */
  latenciesMs: number[];
  /** CPU ms of this process (worker and client) and of the Temporal server, if known. */
  cpu: { selfMs: number; childrenMs: number | undefined };
  /** CPU ms of each thread of this process over the phase, where measured (bench/threads.ts). */
  threads?: ThreadCpu;
}

/** Runs `task(0 … count-1)` with at most `concurrency` in flight; the first failure rejects. */
export async function runPool(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const runner = async () => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await task(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, runner));
}

/** Times `fn` into `latencies` (ms) and returns its result. */
export async function timed<T>(latencies: number[], fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  latencies.push(performance.now() - started);
  return result;
}

/** Adds up phases measured in several segments (same name) into one result each. */
export function combine(segments: PhaseResult[]): PhaseResult[] {
  const byPhase = new Map<string, PhaseResult>();
  for (const s of segments) {
    const total = byPhase.get(s.phase);
    if (!total) {
      const threads = s.threads && new Map([...s.threads].map(([id, t]) => [id, { ...t }]));
      byPhase.set(s.phase, {
        ...s,
        latenciesMs: [...s.latenciesMs],
        cpu: { ...s.cpu },
        ...(threads && { threads }),
      });
      continue;
    }
    total.workflows += s.workflows;
    total.updates += s.updates;
    total.wallMs += s.wallMs;
    total.latenciesMs.push(...s.latenciesMs);
    total.cpu.selfMs += s.cpu.selfMs;
    total.cpu.childrenMs =
      total.cpu.childrenMs === undefined || s.cpu.childrenMs === undefined
        ? undefined
        : total.cpu.childrenMs + s.cpu.childrenMs;
    if (total.threads && s.threads) addThreadCpu(total.threads, new Map(), s.threads);
  }
  return [...byPhase.values()];
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export const updatesPerSecond = (r: PhaseResult): number => r.updates / (r.wallMs / 1000);

/** CPU ms per Update, this process plus the server; undefined when the server's is unknown. */
export const cpuPerUpdate = (r: PhaseResult): number | undefined =>
  r.cpu.childrenMs === undefined ? undefined : (r.cpu.selfMs + r.cpu.childrenMs) / r.updates;

/** The phases as an aligned text table. */
export function formatTable(results: readonly PhaseResult[]): string {
  const header = [
    'phase',
    'workflows',
    'updates',
    'wall s',
    'updates/s',
    'workflows/s',
    'p50 ms',
    'p99 ms',
    'cpu ms/upd: bench',
    'server',
  ];
  const rows = results.map((r) => [
    r.phase,
    String(r.workflows),
    String(r.updates),
    (r.wallMs / 1000).toFixed(1),
    updatesPerSecond(r).toFixed(1),
    (r.workflows / (r.wallMs / 1000)).toFixed(2),
    percentile(r.latenciesMs, 50).toFixed(1),
    percentile(r.latenciesMs, 99).toFixed(1),
    (r.cpu.selfMs / r.updates).toFixed(2),
    r.cpu.childrenMs === undefined ? 'n/a' : (r.cpu.childrenMs / r.updates).toFixed(2),
  ]);
  return formatColumns(header, rows);
}

/** An aligned text table: the first column left-aligned, the others (numbers) right-aligned. */
export function formatColumns(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
