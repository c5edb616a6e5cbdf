/**
 * One run of the memory bench (`memory.ts`), in a process of its own: a worker with the given
 * workflow cache size, N projects opened at their KPI monitor, and the process's RSS once all
 * of them wait on their review timer with nothing in flight.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { projectLifecycle } from '../workflows';
import { decide, startProject, type Machine } from '../workflows/lifecycle';
import * as m from '../workflows/messages';
import {
  INPUT_REVISION,
  opsIntegratedDelivery,
  seatParticipants,
  type ProjectState,
} from '../workflows/model';
import { startBenchEnvironment } from './environment';
import { runPool } from './measure';
import { rehearse } from './plan';

const PMO = 'pmo-1';
const MONITOR = 'kpi-monitoring';
/** Projects opened before the first RSS reading: the bundle loaded, the VM warm. */
const WARM = 20;
const MB = 1024 * 1024;

/** What one process measures. */
export interface MemoryResult {
  cache: number;
  projects: number;
  cached: number;
  startSeconds: number;
  /** RSS (MB) with the worker polling and a few projects open; then with all of them open. */
  rssBaseMb: number;
  rssMb: number;
  heapMb: number;
  /** CPU (ms) of this process (worker and client) per project opened after the first readings. */
  cpuMsPerProject: number;
}

export async function measureOne(options: {
  projects: number;
  concurrency: number;
  cache: number;
}): Promise<MemoryResult> {
  const template = opsIntegratedDelivery;
  const participants = seatParticipants(template);
  const atMonitor = stateAtMonitor(participants);
  const env = await startBenchEnvironment({
    workflowsPath: require.resolve('../workflows'),
    users: [PMO, ...new Set(Object.values(participants).flat())],
    pmo: [PMO],
    tuning: { maxCachedWorkflows: options.cache },
  });
  try {
    const prefix = randomUUID().slice(0, 8);
    const open = async (i: number) => {
      const projectId = `${prefix}-${i}`;
      const name = `Bench ${projectId}`;
      await env.client.workflow.start<typeof projectLifecycle>(m.PROJECT_WORKFLOW, {
        taskQueue: env.taskQueue,
        workflowId: m.projectWorkflowId(projectId),
        args: [
          {
            projectId,
            name,
            template,
            version: 1,
            participants,
            startedBy: PMO,
            rev: INPUT_REVISION,
            continued: { ...atMonitor, id: projectId, name },
          },
        ],
      });
    };
    await runPool(WARM, options.concurrency, (i) => open(i));
    await settled(env.worker);
    const rssBaseMb = process.memoryUsage().rss / MB;

    const started = performance.now();
    const cpu = process.cpuUsage();
    await runPool(options.projects, options.concurrency, (i) => open(WARM + i));
    await settled(env.worker);
    const { user, system } = process.cpuUsage(cpu);
    const startSeconds = (performance.now() - started) / 1000;
    // The highest reading over a few seconds of quiet: freed memory is not given back at once.
    let rss = 0;
    for (let i = 0; i < 5; i++) {
      rss = Math.max(rss, process.memoryUsage().rss);
      await sleep(1_000);
    }
    return {
      cache: options.cache,
      projects: options.projects,
      cached: env.worker.getStatus().numCachedWorkflows,
      startSeconds,
      rssBaseMb,
      rssMb: rss / MB,
      heapMb: process.memoryUsage().heapUsed / MB,
      cpuMsPerProject: (user + system) / 1000 / options.projects,
    };
  } finally {
    await env.close();
  }
}

/**
 * The state a project of the built-in template has at its KPI monitor, reached by the
 * happy path on the pure interpreter (every step up to retiring the monitor).
 */
function stateAtMonitor(participants: ReturnType<typeof seatParticipants>): ProjectState {
  const input = {
    projectId: 'memory',
    name: 'Memory',
    template: opsIntegratedDelivery,
    version: 1,
    participants,
    startedBy: PMO,
  };
  const now = Date.now();
  let machine: Machine = startProject(input, now).machine;
  for (const { command } of rehearse(input, now)) {
    if (command.type === 'retire') break;
    const decision = decide(machine, command, now);
    if (!decision.ok) throw new Error(`rehearsal refused: ${decision.rejection.message}`);
    machine = decision.machine;
  }
  if (!machine.state.current.includes(MONITOR)) {
    throw new Error(`the happy path stops at ${machine.state.current.join(', ')}, not ${MONITOR}`);
  }
  return machine.state;
}

/** Resolves once the worker has had nothing in flight for two seconds running. */
async function settled(worker: {
  getStatus(): { numInFlightWorkflowActivations: number; numInFlightActivities: number };
}): Promise<void> {
  let quiet = 0;
  while (quiet < 4) {
    const status = worker.getStatus();
    const busy = status.numInFlightWorkflowActivations + status.numInFlightActivities;
    quiet = busy === 0 ? quiet + 1 : 0;
    await sleep(500);
  }
}
