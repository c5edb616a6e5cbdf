/**
 * `npm run bench -- engine [--projects N] [--concurrency C] [--warmup W]`: N projects driven
 * through the built-in template by Updates, against a minimal baseline workflow that receives
 * the same Updates (same payloads) on the same server, worker and run. Prints both throughputs
 * and the engine's cost relative to the baseline's (target ≤ 1.3×). A benchmark, not an
 * assertion: it fails only when something breaks.
 *
 * The template keeps its real durations: SLA and hypercare timers are scheduled but none falls
 * due during a run, and nothing waits for one (hypercare is left early, the monitor retired
 * as soon as it is entered), so the figures measure Updates, not sleeping.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { projectLifecycle } from '../workflows';
import * as m from '../workflows/messages';
import {
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
import { happyPath, rehearse } from './plan';

/** The engine may cost at most this many times the baseline per Update. */
const TARGET_RATIO = 1.3;
const PMO = 'pmo-1';

type ArgsOf<T extends CommandType> = Omit<Extract<Command, { type: T }>, 'type'>;

/** The Update that carries each command type (the workflow registers the same pairs). */
const UPDATES = {
  signoff: m.signoffUpdate,
  deliverable: m.submitDeliverableUpdate,
  complete: m.completeStageUpdate,
  raiseIssue: m.raiseIssueUpdate,
  resolveIssue: m.resolveIssueUpdate,
  extendHypercare: m.extendHypercareUpdate,
  recordKpi: m.recordKpiUpdate,
  feedback: m.feedbackUpdate,
  conditionMet: m.conditionMetUpdate,
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
}

/** What every phase of one run shares. */
interface Run {
  env: BenchEnvironment;
  options: Options;
  template: Template;
  participants: Participants;
  /** The happy path's commands, as rehearsed: the baseline gets the same payloads. */
  commands: Command[];
  /** Distinguishes this run's workflow ids. */
  prefix: string;
}

/**
 * `baseline+la` is the baseline plus a local activity per Update that writes nothing: a
 * reference line, the least any design pays that records each change through an activity.
 */
type Phase = 'engine' | 'baseline' | 'baseline+la';
const PHASES: readonly Phase[] = ['engine', 'baseline', 'baseline+la'];

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  const template = opsIntegratedDelivery;
  const participants = seatParticipants(template);
  // The plan is checked against the pure interpreter before any server starts.
  const commands = rehearse(projectInput('rehearsal', template, participants));
  const [load] = os.loadavg();
  console.log(
    `engine bench: ${options.projects} projects × ${commands.length} Updates through ` +
      `"${template.key}", concurrency ${options.concurrency}, warm-up ${options.warmup} each ` +
      `(${os.availableParallelism()} CPUs, load average ${load?.toFixed(1)})`,
  );

  const started = performance.now();
  const env = await startBenchEnvironment({
    workflowsPath: require.resolve('./bench-workflows'),
    users: [PMO, ...Object.values(participants).flat()],
    pmo: [PMO],
  });
  try {
    const run: Run = {
      env,
      options,
      template,
      participants,
      commands,
      prefix: randomUUID().slice(0, 8),
    };
    // Warm-up: the worker's first activations of each workflow type, JIT, server caches.
    for (const phase of PHASES) await measure(run, phase, options.warmup, 'warmup');
    // ABC CBA: drift over the run (a growing in-memory server, GC) weighs on every phase alike.
    const half = Math.ceil(options.projects / 2);
    const order: [Phase, number][] = [
      ...PHASES.map((phase): [Phase, number] => [phase, half]),
      ...[...PHASES].reverse().map((phase): [Phase, number] => [phase, options.projects - half]),
    ];
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
  const [t0, cpu0] = [performance.now(), sampleCpu()];
  const one =
    phase === 'engine'
      ? runProject
      : (r: Run, id: string, latencies: number[]) =>
          runBaseline(r, id, latencies, phase === 'baseline+la');
  await runPool(count, run.options.concurrency, (i) => one(run, idOf(run, segment, i), latencies));
  const [wallMs, cpu] = [performance.now() - t0, cpuSpent(cpu0, sampleCpu())];
  const updates = count * run.commands.length;
  return { phase, workflows: count, updates, wallMs, latenciesMs: latencies, cpu };
}

const idOf = (run: Run, segment: string, index: number) => `${run.prefix}-${segment}-${index}`;
const baselineWorkflowId = (id: string) => `baseline-${id}`;

/** Starts a project, drives it to its end by Updates and waits for the workflow to close. */
async function runProject(run: Run, id: string, latencies: number[]): Promise<void> {
  const handle = await run.env.client.workflow.start<typeof projectLifecycle>(m.PROJECT_WORKFLOW, {
    taskQueue: run.env.taskQueue,
    workflowId: m.projectWorkflowId(id),
    args: [projectInput(id, run.template, run.participants)],
  });
  const sent = await drive(handle, run.template, run.participants, latencies);
  if (sent !== run.commands.length) throw new Error(`project ${id} took ${sent} Updates`);
  await handle.result();
}

/** Starts a baseline workflow, sends it the same number of Updates and waits for it to close. */
async function runBaseline(
  run: Run,
  id: string,
  latencies: number[],
  withLocalActivity: boolean,
): Promise<void> {
  const workflow = withLocalActivity ? baselineWithLocalActivity : baselineUpdates;
  const handle = await run.env.client.workflow.start(workflow, {
    taskQueue: run.env.taskQueue,
    workflowId: baselineWorkflowId(id),
  });
  // The engine's payloads; `finish` is the last Update, as `retire` is the engine's.
  for (const command of run.commands.slice(0, -1)) {
    await timed(latencies, () => handle.executeUpdate(recordUpdate, { args: [argsOf(command)] }));
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
    projectId,
    name: `Bench ${projectId}`,
    template,
    version: 1,
    participants,
    startedBy: PMO,
  };
}

/** Sends the happy path's Updates one after another; returns how many were sent. */
async function drive(
  handle: WorkflowHandle<typeof projectLifecycle>,
  template: Template,
  participants: Participants,
  latencies: number[],
): Promise<number> {
  const plan = happyPath(template, participants);
  let sent = 0;
  for (let next = plan.next(); !next.done; sent++) {
    const command = next.value;
    // By name: the map above ties each command type to its Update's argument type.
    const update = UPDATES[command.type].name;
    const result = await timed(latencies, () =>
      handle.executeUpdate<ActionResult, [ArgsOf<CommandType>]>(update, {
        args: [argsOf(command)],
      }),
    );
    next = plan.next(result);
  }
  return sent;
}

/** The Update's argument: the command without its tag (the Update names the type). */
function argsOf(command: Command): ArgsOf<CommandType> {
  const { type: _type, ...args } = command;
  return args;
}

function report(results: PhaseResult[]): void {
  console.log(`\n${formatTable(results)}`);
  const engine = results.find((r) => r.phase === 'engine');
  const baseline = results.find((r) => r.phase === 'baseline');
  if (!engine || !baseline) return;
  // Cost per Update is the inverse of throughput.
  const ratio = updatesPerSecond(baseline) / updatesPerSecond(engine);
  const verdict = ratio <= TARGET_RATIO ? 'met' : 'NOT met';
  console.log(
    `\nengine cost / baseline cost = ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×: ${verdict})`,
  );
  // Wall time swings with whatever else the machine runs; CPU per Update much less so.
  const [engineCpu, baselineCpu] = [cpuPerUpdate(engine), cpuPerUpdate(baseline)];
  if (engineCpu !== undefined && baselineCpu !== undefined) {
    console.log(
      `CPU per Update (bench process + server): engine ${engineCpu.toFixed(2)} ms, baseline ` +
        `${baselineCpu.toFixed(2)} ms, ratio ${(engineCpu / baselineCpu).toFixed(2)}×`,
    );
  }
  const floor = results.find((r) => r.phase === 'baseline+la');
  if (floor) {
    console.log(
      `reference: baseline + one local activity per Update = ` +
        `${(updatesPerSecond(baseline) / updatesPerSecond(floor)).toFixed(2)}× the baseline's ` +
        `cost; the engine = ${(updatesPerSecond(floor) / updatesPerSecond(engine)).toFixed(2)}× that`,
    );
  }
}

function parseOptions(argv: string[]): Options {
  return numberOptions(argv, {
    projects: { default: 200, min: 1 },
    concurrency: { default: 20, min: 1 },
    warmup: { default: 10, min: 0 },
  });
}
