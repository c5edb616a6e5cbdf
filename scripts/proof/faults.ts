/**
 * The chaos run's faults: SIGKILL of a worker, SIGKILL of an API process, SIGKILL of the
 * Temporal server (the supervisor restarts each, as compose's `restart: unless-stopped` does)
 * and a restart of PostgreSQL. The plan comes from the seed: which kinds in which order (each
 * kind at least once when there are four or more), which instance, and at what share of the
 * run's actions each one strikes. After each, the harness waits until every part is healthy
 * again and records how long that took.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { answers200, type Service } from './cluster';
import type { Rng } from './rng';

export const FAULT_KINDS = [
  'worker-kill',
  'api-kill',
  'temporal-kill',
  'postgres-restart',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface PlannedFault {
  kind: FaultKind;
  /** Share of the run's actions accepted before it strikes, 0..1. */
  at: number;
  /** Which instance (worker or API), as an index. */
  target: number;
}

export interface FaultRecord {
  n: number;
  kind: FaultKind;
  target: string;
  /** Seconds since the run started. */
  injectedAt: number;
  recoveredAt: number;
  recoverySeconds: number;
}

const RECOVERY_TIMEOUT_MS = 180_000;

/** `count` faults: every kind once (shuffled) while count allows, then kinds at random. */
export function planFaults(rng: Rng, count: number): PlannedFault[] {
  const kinds = [...FAULT_KINDS];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const chosen = Array.from({ length: count }, (_, i) => kinds[i] ?? rng.pick(FAULT_KINDS));
  // Spread over the run, never at its very start or end: projects are in flight at each.
  const moments = chosen.map(() => 0.08 + rng.next() * 0.77).sort((a, b) => a - b);
  return chosen.map((kind, i) => ({ kind, at: moments[i]!, target: rng.int(0, 2) }));
}

export interface Cluster {
  temporal: Service;
  apis: Service[];
  workers: Service[];
  apiUrls: string[];
  workerHealthUrls: string[];
  restartPostgres: () => void;
}

/** Every API ready and every worker healthy (each of those checks asks Temporal and the DB). */
export async function clusterHealthy(cluster: Cluster): Promise<boolean> {
  const checks = await Promise.all([
    ...cluster.apiUrls.map((url) => answers200(`${url}/readyz`).catch(() => false)),
    ...cluster.workerHealthUrls.map((url) => answers200(url).catch(() => false)),
  ]);
  return checks.every(Boolean);
}

/** Strikes one fault and resolves once the cluster is healthy again. */
export async function inject(
  cluster: Cluster,
  fault: PlannedFault,
  n: number,
  runStarted: number,
  say: (line: string) => void,
): Promise<FaultRecord> {
  const injected = Date.now();
  const seconds = (ms: number) => Math.round(ms / 100) / 10;
  let target: string;
  let replaced: Service | undefined;
  let oldPid: number | undefined;
  switch (fault.kind) {
    case 'worker-kill':
    case 'api-kill': {
      const pool = fault.kind === 'worker-kill' ? cluster.workers : cluster.apis;
      replaced = pool[fault.target % pool.length]!;
      oldPid = replaced.pid();
      target = replaced.spec.name;
      say(
        `fault ${n}: ${fault.kind} ${target} (SIGKILL pid ${oldPid}) at ${seconds(injected - runStarted)} s`,
      );
      replaced.signal('SIGKILL');
      break;
    }
    case 'temporal-kill':
      replaced = cluster.temporal;
      oldPid = replaced.pid();
      target = 'temporal';
      say(
        `fault ${n}: temporal-kill (SIGKILL pid ${oldPid}; restarted like compose) at ${seconds(injected - runStarted)} s`,
      );
      replaced.signal('SIGKILL');
      break;
    case 'postgres-restart':
      target = 'postgresql';
      say(`fault ${n}: postgres-restart (fast) at ${seconds(injected - runStarted)} s`);
      cluster.restartPostgres();
      break;
  }
  const deadline = injected + RECOVERY_TIMEOUT_MS;
  // The part must be back (a new process when it was killed) and everything healthy.
  while (Date.now() < deadline) {
    const restarted =
      replaced === undefined || (replaced.pid() !== undefined && replaced.pid() !== oldPid);
    if (restarted && (await clusterHealthy(cluster))) break;
    await sleep(250);
  }
  const recovered = Date.now();
  if (recovered >= deadline)
    throw new Error(
      `fault ${n} (${fault.kind} ${target}): no recovery within ${RECOVERY_TIMEOUT_MS / 1000} s`,
    );
  const record: FaultRecord = {
    n,
    kind: fault.kind,
    target,
    injectedAt: seconds(injected - runStarted),
    recoveredAt: seconds(recovered - runStarted),
    recoverySeconds: seconds(recovered - injected),
  };
  say(
    `fault ${n}: ${fault.kind} ${target} recovered in ${record.recoverySeconds} s (everything healthy)`,
  );
  return record;
}
