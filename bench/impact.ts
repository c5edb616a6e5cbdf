/**
 * `npm run bench -- impact [--projects N] [--concurrency C]`: impact analysis (issue 15) of N
 * running projects of the built-in template (default 1,000) against a draft that adds a
 * required deliverable to its first gate. Project i has taken the first i mod K steps of the
 * happy path (real Updates), so the portfolio stands everywhere from the start to the PIR.
 * Reports the analysis's time and its ratio to a baseline measured in the same run: fetching
 * the same histories (every run of each) without analysing them; and the replays alone (the
 * interpreter's CPU over the fetched histories, one after another), so a slow figure says
 * whether Temporal or the interpreter is the cost. A measurement, not an assertion.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { projectLifecycle } from '../workflows';
import * as m from '../workflows/messages';
import {
  INPUT_REVISION,
  opsIntegratedDelivery,
  seatParticipants,
  type ActionResult,
  type Command,
  type Template,
} from '../workflows/model';
import { actionOf } from '../workflows/model';
import { analyseProject, summarise, type ProjectHistory } from '../workflows/lifecycle';
import { readProjectHistory } from '../server/impact/history';
import { analyseProjects } from '../server/impact/analyse';
import { startBenchEnvironment } from './environment';
import { runPool } from './measure';
import { numberOptions } from './options';
import { rehearse } from './plan';

const PMO = 'pmo-1';
/** Happy-path steps the furthest project has taken (the PIR is a few steps further). */
const FURTHEST = 30;

export async function main(argv: string[]): Promise<void> {
  const { projects, concurrency } = numberOptions(argv, {
    projects: { default: 1000, min: 1 },
    concurrency: { default: 16, min: 1 },
  });
  const template = opsIntegratedDelivery;
  const participants = seatParticipants(template);
  const [load] = os.loadavg();
  console.log(
    `impact bench: ${projects} running projects of ${template.key} (${os.availableParallelism()} ` +
      `CPUs, load average ${load?.toFixed(1)}, node ${process.version})`,
  );
  const env = await startBenchEnvironment({
    workflowsPath: require.resolve('../workflows'),
    users: [PMO, ...new Set(Object.values(participants).flat())],
    pmo: [PMO],
  });
  try {
    const prefix = randomUUID().slice(0, 8);
    const steps = rehearse({
      projectId: 'plan',
      name: 'Plan',
      template,
      version: 1,
      participants,
      startedBy: PMO,
      rev: INPUT_REVISION,
    }).slice(0, FURTHEST);
    const ids = Array.from({ length: projects }, (_, i) => `${prefix}-${i}`);
    let updates = 0;
    const setupStarted = performance.now();
    await runPool(projects, concurrency, async (i) => {
      const projectId = ids[i]!;
      const handle = await env.client.workflow.start<typeof projectLifecycle>(m.PROJECT_WORKFLOW, {
        taskQueue: env.taskQueue,
        workflowId: m.projectWorkflowId(projectId),
        args: [
          {
            projectId,
            name: `Bench ${projectId}`,
            template,
            version: 1,
            participants,
            startedBy: PMO,
            rev: INPUT_REVISION,
          },
        ],
      });
      for (const { command } of steps.slice(0, i % (steps.length + 1))) {
        await handle.executeUpdate<ActionResult, [unknown]>(actionOf(command.type), {
          args: [argsOf(command)],
        });
        updates += 1;
      }
    });
    console.log(
      `  portfolio: ${projects} projects, ${updates} Updates, ` +
        `in ${seconds(performance.now() - setupStarted)} (not measured)`,
    );

    const fetchStarted = performance.now();
    const histories = new Array<ProjectHistory>(projects);
    await runPool(projects, 8, async (i) => {
      histories[i] = await readProjectHistory(env.client, ids[i]!);
    });
    const fetchMs = performance.now() - fetchStarted;

    const draft = withDeliverableOnFirstGate(template);
    const replayStarted = performance.now();
    const now = Date.now();
    for (const history of histories) analyseProject(history, { template: draft, version: 2 }, now);
    const replayMs = performance.now() - replayStarted;

    const analyseStarted = performance.now();
    const impacts = await analyseProjects(env.client, ids, { template: draft, version: 2 });
    const analyseMs = performance.now() - analyseStarted;
    const { unchanged, differs, blocked } = summarise(impacts);
    console.log(`  baseline (histories fetched alone): ${seconds(fetchMs)}`);
    console.log(
      `  replays alone (the interpreter over those histories, serially): ${seconds(replayMs)} ` +
        `(${(replayMs / projects).toFixed(1)} ms per project)`,
    );
    console.log(
      `  impact analysis: ${seconds(analyseMs)} (${(analyseMs / fetchMs).toFixed(2)}× the ` +
        `baseline; ${(analyseMs / projects).toFixed(1)} ms per project): ${unchanged} unchanged, ` +
        `${differs} differ, ${blocked} blocked`,
    );
  } finally {
    await env.close();
  }
}

/** The change analysed: a required deliverable added to the template's first gate. */
function withDeliverableOnFirstGate(template: Template): Template {
  const gate = template.nodes.find((n) => n.type === 'gate')!;
  return {
    ...template,
    nodes: template.nodes.map((n) =>
      n === gate && n.type === 'gate'
        ? {
            ...n,
            deliverables: [
              ...(n.deliverables ?? []),
              { id: 'bench-risk-log', name: 'Risk log', required: true },
            ],
          }
        : n,
    ),
  };
}

/** The Update's argument: the command without its tag, as today's API sends it. */
function argsOf(command: Command): unknown {
  const { type: _type, ...args } = command;
  return { ...args, rev: INPUT_REVISION };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
