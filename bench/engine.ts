/**
 * `npm run bench -- engine [--projects N] [--concurrency C] [--warmup W] [--rounds R]`: N
 * projects driven through the built-in template by Updates (in R rounds, the phases taking
 * turns: ABCD DCBA …), against a minimal baseline workflow that receives the same Updates
 * (same payloads) on the same server, worker and run, the floor (`baseline+la`) and the floor
 * with the barest durable write (`floor+write`). Prints the throughputs and the engine's cost
 * relative to the baseline's (target ≤ 1.3×), to the floor's (`engine cost / floor cost`,
 * target ≤ 1.2×) and, for reference, to the write floor's. A benchmark, not an assertion: it
 * fails only when something breaks.
 *
 * The template keeps its real durations: SLA and hypercare timers are scheduled but none falls
 * due during a run, and nothing waits for one (hypercare is left early, the monitor retired
 * as soon as it is entered), so the figures measure Updates, not sleeping.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { UpdateDefinition } from '@temporalio/common';
import type { projectLifecycle } from '../workflows';
import * as m from '../workflows/messages';
import {
  INPUT_REVISION,
  opsIntegratedDelivery,
  seatParticipants,
  type ActionResult,
  type Command,
  type CommandType,
  type Participants,
  type ProjectInput,
  type Template,
} from '../workflows/model';
import {
  baselineUpdates,
  baselineWithLocalActivity,
  baselineWithWrite,
  finishUpdate,
  recordUpdate,
} from './baseline-workflows';
import { cpuSpent, sampleCpu } from './cpu';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { historyProfile, formatProfiles } from './history';
import {
  combine,
  cpuPerUpdate,
  formatTable,
  runPool,
  timed,
  updatesPerSecond,
  type PhaseResult,
} from './measure';
import { numberOptions } from './options';
import { addThreadCpu, formatThreadTable, sampleThreads, type ThreadCpu } from './threads';
import { rehearse, type Rehearsed } from './plan';

/** The engine may cost at most this many times the baseline per Update. */
const TARGET_RATIO = 1.3;
/**
 * …and at most this many times the floor (`baseline+la`): what any design that records each
 * change before answering pays is not the engine's to save, its own overhead is.
 */
const FLOOR_TARGET = 1.2;
const PMO = 'pmo-1';

type ArgsOf<T extends CommandType> = Omit<Extract<Command, { type: T }>, 'type'>;

/** The Update that carries each command type (the workflow registers the same pairs). */
const UPDATES = {
  signoff: m.signoffUpdate,
  deliverable: m.submitDeliverableUpdate,
  complete: m.completeStageUpdate,
  raiseIssue: m.raiseIssueUpdate,
  resolveIssue: m.resolveIssueUpdate,
  acknowledgeIssue: m.acknowledgeIssueUpdate,
  respondToIssue: m.respondToIssueUpdate,
  extendHypercare: m.extendHypercareUpdate,
  recordKpi: m.recordKpiUpdate,
  setMetrics: m.setMetricsUpdate,
  agreeMetrics: m.agreeMetricsUpdate,
  kpiReview: m.kpiReviewUpdate,
  recordCost: m.recordCostUpdate,
  recordReadiness: m.recordReadinessUpdate,
  feedback: m.feedbackUpdate,
  conditionMet: m.conditionMetUpdate,
  feedbackStatus: m.setFeedbackStatusUpdate,
  reviewDecision: m.recordReviewDecisionUpdate,
  reviewAction: m.recordReviewActionUpdate,
  reviewActionDone: m.completeReviewActionUpdate,
  resume: m.resumeUpdate,
  retire: m.retireUpdate,
  cancel: m.cancelUpdate,
  reassign: m.reassignUpdate,
  migrate: m.migrateUpdate,
} satisfies { [T in CommandType]: UpdateDefinition<ActionResult, [ArgsOf<T>]> };

interface Options {
  projects: number;
  concurrency: number;
  warmup: number;
  rounds: number;
}

/** What every phase of one run shares. */
interface Run {
  env: BenchEnvironment;
  options: Options;
  template: Template;
  participants: Participants;
  /**
   * The happy path, rehearsed on the pure interpreter: every phase sends these payloads, so
   * no phase pays for choosing its next step in the client.
   */
  steps: Rehearsed[];
  /** Distinguishes this run's workflow ids. */
  prefix: string;
}

/**
 * `baseline+la` is the baseline plus a local activity per Update that writes nothing: a
 * reference line, the least any design pays that records each change through an activity.
 * `floor+write` is that activity appending one audit entry (the Update's argument) to the app
 * database: the barest durable record of each change, beside the engine's full record write.
 */
type Phase = 'engine' | 'baseline' | 'baseline+la' | 'floor+write';
const PHASES: readonly Phase[] = ['engine', 'baseline', 'baseline+la', 'floor+write'];
const REFERENCES = {
  baseline: baselineUpdates,
  'baseline+la': baselineWithLocalActivity,
  'floor+write': baselineWithWrite,
} satisfies Record<Exclude<Phase, 'engine'>, () => Promise<number>>;

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const template = opsIntegratedDelivery;
  const participants = seatParticipants(template);
  // The plan is checked against the pure interpreter before any server starts.
  const steps = rehearse(projectInput('rehearsal', template, participants));
  const [load] = os.loadavg();
  console.log(
    `engine bench: ${options.projects} projects × ${steps.length} Updates through ` +
      `"${template.key}", concurrency ${options.concurrency}, warm-up ${options.warmup} each ` +
      `(${os.availableParallelism()} CPUs, load average ${load?.toFixed(1)})`,
  );

  const started = performance.now();
  const env = await startBenchEnvironment({
    workflowsPath: require.resolve('../workflows'),
    // The baselines in a bundle of their own: a bare workflow does not load the engine.
    referenceWorkflowsPath: require.resolve('./baseline-workflows'),
    users: [PMO, ...Object.values(participants).flat()],
    pmo: [PMO],
    // Its projects pin version 1: each record write derives the open actions from it.
    templates: [template],
  });
  try {
    const run: Run = {
      env,
      options,
      template,
      participants,
      steps,
      prefix: randomUUID().slice(0, 8),
    };
    // Warm-up: the worker's first activations of each workflow type, JIT, server caches.
    for (const phase of PHASES) await measure(run, phase, options.warmup, 'warmup');
    // ABCD DCBA ABCD …: drift over the run (a growing in-memory server, GC, whatever else the
    // machine runs) weighs on every phase alike; more rounds follow faster swings.
    const order: [Phase, number][] = [];
    for (let round = 0; round < options.rounds; round++) {
      const count =
        Math.floor((options.projects * (round + 1)) / options.rounds) -
        Math.floor((options.projects * round) / options.rounds);
      const phases = round % 2 === 0 ? PHASES : [...PHASES].reverse();
      order.push(...phases.map((phase): [Phase, number] => [phase, count]));
    }
    const segments: PhaseResult[] = [];
    for (const [index, [phase, count]] of order.entries()) {
      if (count > 0) segments.push(await measure(run, phase, count, `m${index}`));
    }
    report(combine(segments));

    const handleOf = (workflowId: string) => env.client.workflow.getHandle(workflowId);
    const profiles = await Promise.all([
      historyProfile('engine', handleOf(m.projectWorkflowId(idOf(run, 'm0', 0)))),
      historyProfile('baseline', handleOf(baselineWorkflowId(idOf(run, 'm1', 0)))),
      historyProfile('baseline+la', handleOf(baselineWorkflowId(idOf(run, 'm2', 0)))),
      historyProfile('floor+write', handleOf(baselineWorkflowId(idOf(run, 'm3', 0)))),
    ]);
    console.log(`\nper workflow (history of one of each):\n${formatProfiles(profiles)}`);
  } finally {
    await env.close();
  }
  console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** Runs `count` workflows of one phase, `concurrency` at a time, and times them. */
async function measure(
  run: Run,
  phase: Phase,
  count: number,
  segment: string,
): Promise<PhaseResult> {
  const latencies: number[] = [];
  const threads0 = sampleThreads();
  const [t0, cpu0] = [performance.now(), sampleCpu()];
  const one =
    phase === 'engine'
      ? runProject
      : (r: Run, id: string, latencies: number[]) =>
          runBaseline(r, id, latencies, REFERENCES[phase]);
  await runPool(count, run.options.concurrency, (i) => one(run, idOf(run, segment, i), latencies));
  const [wallMs, cpu] = [performance.now() - t0, cpuSpent(cpu0, sampleCpu())];
  const threads: ThreadCpu = new Map();
  addThreadCpu(threads, threads0, sampleThreads());
  const updates = count * run.steps.length;
  return { phase, workflows: count, updates, wallMs, latenciesMs: latencies, cpu, threads };
}

const idOf = (run: Run, segment: string, index: number) => `${run.prefix}-${segment}-${index}`;
const baselineWorkflowId = (id: string) => `baseline-${id}`;

/**
 * Starts a project, sends it the rehearsed Updates one after another and waits for the
 * workflow to close. Each answer must say what the interpreter said in the rehearsal.
 */
async function runProject(run: Run, id: string, latencies: number[]): Promise<void> {
  const handle = await run.env.client.workflow.start<typeof projectLifecycle>(m.PROJECT_WORKFLOW, {
    taskQueue: run.env.taskQueue,
    workflowId: m.projectWorkflowId(id),
    args: [projectInput(id, run.template, run.participants)],
  });
  for (const [index, { command, result: expected }] of run.steps.entries()) {
    // By name: the map above ties each command type to its Update's argument type.
    const update = UPDATES[command.type].name;
    const result = await timed(latencies, () =>
      handle.executeUpdate<ActionResult, [ArgsOf<CommandType>]>(update, {
        args: [argsOf(command, id, index)],
      }),
    );
    if (result.seq !== expected.seq || result.status !== expected.status) {
      throw new Error(
        `project ${id}, step ${index + 1} (${command.type}): answered seq ${result.seq} ` +
          `${result.status}, the rehearsal ${expected.seq} ${expected.status}`,
      );
    }
  }
  await handle.result();
}

/** Starts a baseline workflow, sends it the same number of Updates and waits for it to close. */
async function runBaseline(
  run: Run,
  id: string,
  latencies: number[],
  workflow: () => Promise<number>,
): Promise<void> {
  const handle = await run.env.client.workflow.start(workflow, {
    taskQueue: run.env.referenceTaskQueue ?? run.env.taskQueue,
    workflowId: baselineWorkflowId(id),
  });
  // The engine's payloads; `finish` is the last Update, as `retire` is the engine's.
  for (const [index, { command }] of run.steps.slice(0, -1).entries()) {
    await timed(latencies, () =>
      handle.executeUpdate(recordUpdate, { args: [argsOf(command, id, index)] }),
    );
  }
  await timed(latencies, () => handle.executeUpdate(finishUpdate));
  await handle.result();
}

function projectInput(
  projectId: string,
  template: Template,
  participants: Participants,
): ProjectInput {
  return {
    // As the API starts a project and sends each action (server/routes): inputs of this
    // revision, not the legacy ones of histories recorded before it.
    rev: INPUT_REVISION,
    projectId,
    name: `Bench ${projectId}`,
    template,
    version: 1,
    participants,
    startedBy: PMO,
  };
}

/**
 * The Update's argument as the API sends it: the command without its tag, of this revision,
 * with an idempotency key, as the designer sends every action (the engine keeps each key in
 * its state and the read model's key table; the references receive the same bytes).
 */
function argsOf(command: Command, projectId: string, index: number): ArgsOf<CommandType> {
  const { type: _type, ...args } = command;
  return { ...args, rev: INPUT_REVISION, idempotencyKey: `${projectId}:${command.type}:${index}` };
}

function report(results: PhaseResult[]): void {
  console.log(`\n${formatTable(results)}`);
  const engine = results.find((r) => r.phase === 'engine');
  const baseline = results.find((r) => r.phase === 'baseline');
  const floor = results.find((r) => r.phase === 'baseline+la');
  const writeFloor = results.find((r) => r.phase === 'floor+write');
  if (!engine || !baseline || !floor || !writeFloor) return;
  // Cost per Update is the inverse of throughput; CPU per Update (bench process + server)
  // swings less with whatever else the machine runs, so it is printed beside each ratio.
  const cost = (of: PhaseResult, per: PhaseResult) => updatesPerSecond(per) / updatesPerSecond(of);
  const cpu = (of: PhaseResult, per: PhaseResult) => {
    const [a, b] = [cpuPerUpdate(of), cpuPerUpdate(per)];
    return a === undefined || b === undefined ? 'n/a' : `${(a / b).toFixed(2)}`;
  };
  const verdict = (ratio: number, target: number) => (ratio <= target ? 'met' : 'NOT met');
  const [bare, onFloor, floorOnBare] = [
    cost(engine, baseline),
    cost(engine, floor),
    cost(floor, baseline),
  ];
  console.log(
    `\nfloor (baseline + one local activity per Update) / baseline cost = ` +
      `${floorOnBare.toFixed(2)} (CPU ${cpu(floor, baseline)})`,
  );
  console.log(
    `engine cost / baseline cost = ${bare.toFixed(2)} (CPU ${cpu(engine, baseline)}; ` +
      `target ≤ ${TARGET_RATIO.toFixed(2)}: ${verdict(bare, TARGET_RATIO)})`,
  );
  console.log(
    `engine cost / floor cost = ${onFloor.toFixed(2)} (CPU ${cpu(engine, floor)}; ` +
      `target ≤ ${FLOOR_TARGET.toFixed(2)}: ${verdict(onFloor, FLOOR_TARGET)})`,
  );
  // Not the target: what the engine costs beyond appending each change durably at all.
  console.log(
    `engine cost / write floor cost = ${cost(engine, writeFloor).toFixed(2)} ` +
      `(CPU ${cpu(engine, writeFloor)}; reference only, the write floor appends one audit ` +
      `entry per Update)`,
  );
  const [engineCpu, floorCpu] = [cpuPerUpdate(engine), cpuPerUpdate(floor)];
  if (engineCpu !== undefined && floorCpu !== undefined) {
    console.log(
      `CPU per Update (bench process + server): engine ${engineCpu.toFixed(2)} ms, write ` +
        `floor ${cpuPerUpdate(writeFloor)!.toFixed(2)} ms, floor ${floorCpu.toFixed(2)} ms, ` +
        `baseline ${cpuPerUpdate(baseline)!.toFixed(2)} ms`,
    );
  }
  // Where in the bench process each phase's CPU goes: the workflow thread runs the engine's
  // workflow code, the main thread its record writes (bench/threads.ts).
  const measured = results.flatMap((r) => (r.threads?.size ? [{ ...r, threads: r.threads }] : []));
  if (measured.length > 0) {
    console.log(
      `\nCPU ms per Update by thread of the bench process:\n${formatThreadTable(measured)}`,
    );
  }
}

function parseOptions(argv: string[]): Options {
  return numberOptions(argv, {
    projects: { default: 200, min: 1 },
    concurrency: { default: 20, min: 1 },
    warmup: { default: 10, min: 0 },
    rounds: { default: 4, min: 2 },
  });
}
