/**
 * What the API bench reports: per phase, requests, wall time, throughput, p50/p99 latency of
 * Updates and of reads, failures and CPU per request; then the API's ratios to the direct path.
 */
import type { Samples } from './approvers';
import { formatColumns, percentile } from './measure';

export type Phase = 'api' | 'direct';

/** A sign-off through the API may take at most this many times the direct Update, at p99. */
const P99_TARGET = 1.5;

/** One phase's samples and what it cost in CPU (ms). */
export interface PhaseResult {
  phase: Phase;
  samples: Samples;
  cpu: {
    /** This process: worker, API and Temporal client, and the load thread if any. */
    selfMs: number;
    /** The HTTP clients' thread (API phase only). */
    loadMs: number | undefined;
    /** The Temporal dev server. */
    serverMs: number | undefined;
  };
}

/** Adds up the segments of one phase. */
export function combine(phase: Phase, segments: PhaseResult[]): PhaseResult {
  const sum = (values: (number | undefined)[]) =>
    values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + v!, 0);
  return {
    phase,
    samples: {
      readMs: segments.flatMap((s) => s.samples.readMs),
      updateMs: segments.flatMap((s) => s.samples.updateMs),
      errors: segments.reduce((a, s) => a + s.samples.errors, 0),
      firstErrors: segments.flatMap((s) => s.samples.firstErrors),
      wallMs: segments.reduce((a, s) => a + s.samples.wallMs, 0),
    },
    cpu: {
      selfMs: segments.reduce((a, s) => a + s.cpu.selfMs, 0),
      loadMs: phase === 'direct' ? undefined : sum(segments.map((s) => s.cpu.loadMs)),
      serverMs: sum(segments.map((s) => s.cpu.serverMs)),
    },
  };
}

const requestsOf = (r: PhaseResult) => r.samples.readMs.length + r.samples.updateMs.length;
const perSecond = (r: PhaseResult) => requestsOf(r) / (r.samples.wallMs / 1000);

/** Prints the table and the ratios; `results` holds the API phase, then the direct one. */
export function report(results: PhaseResult[]): void {
  const header = [
    'phase',
    'requests',
    'wall s',
    'req/s',
    'updates',
    'upd p50 ms',
    'upd p99 ms',
    'reads',
    'read p50 ms',
    'read p99 ms',
    'errors',
    'cpu ms/req: process',
    'of it client',
    'server',
  ];
  const perRequest = (r: PhaseResult, ms: number | undefined) =>
    ms === undefined ? 'n/a' : (ms / requestsOf(r)).toFixed(2);
  const rows = results.map((r) => [
    r.phase,
    String(requestsOf(r)),
    (r.samples.wallMs / 1000).toFixed(1),
    perSecond(r).toFixed(1),
    String(r.samples.updateMs.length),
    percentile(r.samples.updateMs, 50).toFixed(1),
    percentile(r.samples.updateMs, 99).toFixed(1),
    String(r.samples.readMs.length),
    percentile(r.samples.readMs, 50).toFixed(1),
    percentile(r.samples.readMs, 99).toFixed(1),
    String(r.samples.errors),
    perRequest(r, r.cpu.selfMs),
    r.phase === 'direct' ? '-' : perRequest(r, r.cpu.loadMs),
    perRequest(r, r.cpu.serverMs),
  ]);
  console.log(`\n${formatColumns(header, rows)}`);

  const [api, direct] = results;
  if (!api || !direct) return;
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  const p = (r: PhaseResult, kind: 'updateMs' | 'readMs', q: number) =>
    percentile(r.samples[kind], q);
  console.log(
    `\nAPI / direct: throughput ${ratio(perSecond(api), perSecond(direct))}; ` +
      `Update latency p50 ${ratio(p(api, 'updateMs', 50), p(direct, 'updateMs', 50))}, ` +
      `p99 ${ratio(p(api, 'updateMs', 99), p(direct, 'updateMs', 99))}; ` +
      `read latency p50 ${ratio(p(api, 'readMs', 50), p(direct, 'readMs', 50))}, ` +
      `p99 ${ratio(p(api, 'readMs', 99), p(direct, 'readMs', 99))}`,
  );
  const p99 = p(api, 'updateMs', 99) / p(direct, 'updateMs', 99);
  console.log(
    `api: sign-off p99 ratio = ${p99.toFixed(2)} (target ≤ ${P99_TARGET.toFixed(2)}: ` +
      `${p99 <= P99_TARGET ? 'met' : 'NOT met'}; the Updates of the rounds, sign-off and resume)`,
  );
  // The clients' thread would run elsewhere in production: the API's own cost leaves it out.
  if (api.cpu.loadMs !== undefined) {
    const serving = (api.cpu.selfMs - api.cpu.loadMs) / requestsOf(api);
    const bare = direct.cpu.selfMs / requestsOf(direct);
    const extra = serving - bare;
    console.log(
      `CPU per request in this process without the clients' thread: API ` +
        `${serving.toFixed(2)} ms, direct ${bare.toFixed(2)} ms ` +
        `(${extra >= 0 ? '+' : ''}${extra.toFixed(2)} ms: HTTP, auth, access check, Zod, logging)`,
    );
  }
}
