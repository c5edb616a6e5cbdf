/**
 * The proof's chaos run (scripts/proof.ts): every project driven at once over HTTP as people
 * would (drive.ts), and the seeded faults struck at their share of the run's actions
 * (faults.ts), each followed by the wait until everything is healthy again.
 */
import { rehearse } from '../../bench/plan';
import type { ProofClient } from './client';
import { driveProject, type Cast, type ProjectRun } from './drive';
import { inject, planFaults, type Cluster, type FaultKind, type FaultRecord } from './faults';
import type { Rng } from './rng';

/** How many projects, how many faults, and the seed the projects' names carry. */
export interface ChaosOptions {
  projects: number;
  faults: number;
  seed: number;
}

/**
 * How long after a part is healthy again its projects may still answer 503, by fault: a
 * workflow task that was running on a killed worker, or that a killed Temporal server lost, is
 * tried again only after the workflow task timeout (WORKFLOW_TASK_TIMEOUT: 30 s). A restart of
 * PostgreSQL is both: Temporal's own persistence is on it, so a task it could not record is
 * tried again after that timeout too, and a record write that met the restart after its retry
 * interval (at most 10 s, workflows/outbox.ts). A killed API's requests just go to the other one.
 */
const RESUME_MS: Record<FaultKind, number> = {
  'worker-kill': 35_000,
  'temporal-kill': 35_000,
  'postgres-restart': 35_000,
  'api-kill': 5_000,
};

/** The pause before each step of a project, in ms (from, to). */
const THINK_MS = [2_000, 6_000] as const;
/** Projects start within this many ms of the run's start. */
const ARRIVAL_MS = 20_000;

export interface ChaosResult {
  runs: ProjectRun[];
  faults: (FaultRecord & { window: [number, number] })[];
  seconds: number;
}

/** The projects at once, and the faults at their moments; resolves when both are done. */
export async function chaosRun(
  options: ChaosOptions,
  client: ProofClient,
  cast: Cast,
  cluster: Cluster,
  rng: Rng,
  say: (line: string) => void,
): Promise<ChaosResult> {
  const perProject =
    1 +
    rehearse({
      projectId: 'plan',
      name: 'plan',
      template: cast.template,
      version: 1,
      participants: cast.participants,
      startedBy: cast.pmo.id,
    }).length;
  const total = perProject * options.projects;
  const plan = planFaults(rng, options.faults);
  say(
    `chaos run: ${options.projects} projects × ${perProject} actions; faults planned: ${plan.map((f) => `${f.kind}@${Math.round(f.at * 100)}%`).join(', ') || 'none'}`,
  );
  let accepted = 0;
  let progressed: () => void = () => undefined;
  const started = Date.now();
  const drivers = Array.from({ length: options.projects }, (_, i) =>
    driveProject(client, cast, `proof-${options.seed}-${String(i + 1).padStart(3, '0')}`, {
      // People take seconds per step (compressed from hours); the projects arrive over
      // the first seconds. Faster steps measure the machine's throughput, not its faults: the
      // api and engine benches do that.
      think: () => THINK_MS[0] + rng.next() * (THINK_MS[1] - THINK_MS[0]),
      arrival: rng.next() * ARRIVAL_MS,
      onAccepted: () => {
        accepted += 1;
        progressed();
      },
    }),
  );
  const faults: ChaosResult['faults'] = [];
  // A project that stopped short leaves later moments unreached: once every driver is done,
  // the faults still planned are not struck (the checks report the project).
  let driving = true;
  const injector = (async () => {
    for (const [i, fault] of plan.entries()) {
      while (driving && accepted < fault.at * total)
        await new Promise<void>((resolve) => (progressed = resolve));
      if (!driving) {
        say(`fault ${i + 1}: ${fault.kind} not struck: the projects stopped before its moment`);
        continue;
      }
      const from = Date.now();
      const record = await inject(cluster, fault, i + 1, started, say);
      faults.push({ ...record, window: [from, Date.now() + RESUME_MS[fault.kind]] });
    }
  })();
  const runs = await Promise.all(drivers);
  driving = false;
  progressed();
  await injector;
  const seconds = Math.round((Date.now() - started) / 1000);
  say(
    `chaos run: ${runs.filter((r) => r.done).length}/${runs.length} projects driven to their end in ${seconds} s`,
  );
  return { runs, faults, seconds };
}
