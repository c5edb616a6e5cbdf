/**
 * `npm run bench -- api [--connections C] [--seconds S] [--warmup W]`: C concurrent approvers
 * sign off and read state through the HTTP API, against the same Updates and Queries sent
 * straight to Temporal with the same concurrency in the same run. Prints throughput and p50/p99
 * latency of Updates and of reads for both, and the API's ratios to the direct path.
 *
 * Each approver owns a fresh project and cycles its start gate through real sign-offs (see
 * `approvers.ts`): every request is valid, so a single failed one fails the bench. The API runs
 * in this process, as production builds it (`createApp`, request logging to a sink that
 * discards the lines); its clients run on a worker thread with one keep-alive connection each.
 * The direct phase calls the same Temporal client the API uses, with the same arguments.
 */
import { listenApp, type ListeningApi } from './listen';
import os from 'node:os';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import { createToken } from '../db';
import { bootstrap } from '../server/bootstrap';
import { routes } from '../server/contract';
import type { projectLifecycle } from '../workflows';
import * as m from '../workflows/messages';
import {
  opsIntegratedDelivery,
  seatParticipants,
  signerRoles,
  type Participants,
  type Template,
} from '../workflows/model';
import { combine, report, type Phase, type PhaseResult } from './api-report';
import { runLoadThread } from './api-thread';
import { drive, round, type Cast, type Send } from './approvers';
import { cpuSpent, sampleCpu } from './cpu';
import { startBenchEnvironment, type BenchEnvironment } from './environment';
import { runPool } from './measure';
import { numberOptions } from './options';

const PMO = 'pmo-1';
/** Projects are created (untimed) this many at a time. */
const SETUP_CONCURRENCY = 10;

interface Options {
  connections: number;
  seconds: number;
  warmup: number;
}

/** What every phase of one run shares. */
interface Run {
  env: BenchEnvironment;
  options: Options;
  template: Template;
  participants: Participants;
  cast: Cast;
  api: { baseUrl: string; tokens: Record<string, string> };
  /** Requests the API failed and logged, for the report. */
  serverFailures: string[];
}

export async function main(argv: string[]): Promise<void> {
  const options = parseOptions(argv);
  // The built-in template: `bootstrap` publishes it as version 1.
  const template = opsIntegratedDelivery;
  const participants = seatParticipants(template);
  const cast = castOf(template, participants);
  const steps = round(cast, 0)
    .map((s) => {
      const what = s.kind === 'signoff' ? `sign off "${s.body.decision}"` : s.kind;
      return `${what} (${s.as === cast.pmo ? 'PMO' : 'signer'})`;
    })
    .join(' → ');
  const [load] = os.loadavg();
  console.log(
    `api bench: ${options.connections} approvers, one project each, cycling gate ` +
      `"${cast.gate}" (${steps}); ${options.seconds} s per phase, warm-up ${options.warmup} s ` +
      `each (${os.availableParallelism()} CPUs, load average ${load?.toFixed(1)})`,
  );

  const env = await startBenchEnvironment({
    workflowsPath: require.resolve('../workflows'),
    users: [PMO, ...new Set(Object.values(participants).flat())],
    pmo: [PMO],
  });
  try {
    await bootstrap(env.db);
    const tokens: Record<string, string> = {};
    for (const userId of [...cast.signers, cast.pmo]) {
      tokens[userId] = (await createToken(env.db, userId, 'bench')).token;
    }
    const serverFailures: string[] = [];
    const server = await listen(env, serverFailures);
    try {
      const run: Run = {
        env,
        options,
        template,
        participants,
        cast,
        api: { baseUrl: server.baseUrl, tokens },
        serverFailures,
      };
      await measure(run);
    } finally {
      await server.close();
    }
  } finally {
    await env.close();
  }
}

async function measure(run: Run): Promise<void> {
  const { seconds, warmup } = run.options;
  // Warm-up: JIT of both paths, the worker's first activations, server caches.
  const warm: PhaseResult[] = [];
  if (warmup > 0) {
    warm.push(await segment(run, 'api', warmup, 'w0'), await segment(run, 'direct', warmup, 'w1'));
  }
  // ABBA on fresh projects: drift over the run (a growing in-memory server, GC, other load on
  // the machine) weighs on both phases alike.
  const half = seconds / 2;
  const order: Phase[] = ['api', 'direct', 'direct', 'api'];
  const segments: PhaseResult[] = [];
  for (const [index, phase] of order.entries()) {
    segments.push(await segment(run, phase, half, `m${index}`));
  }
  const results = (['api', 'direct'] as const).map((phase) =>
    combine(
      phase,
      segments.filter((s) => s.phase === phase),
    ),
  );
  report(results);

  const failed = [...warm, ...segments].filter((s) => s.samples.errors > 0);
  if (failed.length > 0 || run.serverFailures.length > 0) {
    for (const s of failed) {
      console.error(`\n${s.phase}: ${s.samples.errors} failed requests, first:`);
      for (const e of s.samples.firstErrors) console.error(`  ${e}`);
    }
    for (const f of run.serverFailures) console.error(`  server: ${f}`);
    throw new Error('requests failed: every request of this workload should succeed');
  }
  console.log('\nevery request succeeded in both phases, warm-up included (the API answered 2xx)');
}

/** Runs one phase for `seconds` on `connections` fresh projects. */
async function segment(
  run: Run,
  phase: Phase,
  seconds: number,
  label: string,
): Promise<PhaseResult> {
  const projectIds = await startProjects(run, label);
  if (phase === 'direct') {
    const cpu0 = sampleCpu();
    const samples = await drive(
      projectIds,
      run.cast,
      seconds,
      directSender(run.env.client, run.cast),
    );
    const { selfMs, childrenMs } = cpuSpent(cpu0, sampleCpu());
    return { phase, samples, cpu: { selfMs, loadMs: undefined, serverMs: childrenMs } };
  }
  return runLoadThread({ ...run.api, cast: run.cast, projectIds, seconds });
}

/** The same Updates and Queries the API sends, with the arguments it builds from a request. */
function directSender(client: Client, cast: Cast): Send {
  const handles = new Map<string, WorkflowHandle<typeof projectLifecycle>>();
  const handleOf = (projectId: string) => {
    let handle = handles.get(projectId);
    if (!handle) {
      handle = client.workflow.getHandle(m.projectWorkflowId(projectId));
      handles.set(projectId, handle);
    }
    return handle;
  };
  // As the API's `actorOf`: the PMO flag comes with the user.
  const actor = (userId: string) => ({ userId, ...(userId === cast.pmo && { pmo: true }) });
  return async (projectId, step) => {
    const handle = handleOf(projectId);
    switch (step.kind) {
      case 'read':
        await handle.query(m.stateQuery);
        return;
      case 'signoff':
        await handle.executeUpdate(m.signoffUpdate, {
          args: [{ actor: actor(step.as), nodeId: cast.gate, ...step.body }],
        });
        return;
      case 'resume':
        await handle.executeUpdate(m.resumeUpdate, {
          args: [{ actor: actor(step.as), ...step.body }],
        });
        return;
    }
  };
}

const StartedProject = z.object({ id: z.string() });

/** Starts one project per connection through the API (untimed setup), as the PMO. */
async function startProjects(run: Run, label: string): Promise<string[]> {
  const count = run.options.connections;
  const ids: string[] = new Array<string>(count);
  await runPool(count, Math.min(count, SETUP_CONCURRENCY), async (i) => {
    const response = await fetch(new URL(routes.startProject.path, run.api.baseUrl), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${run.api.tokens[run.cast.pmo]}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        name: `Bench ${label}-${i}`,
        template: run.template.key,
        version: 1,
        participants: run.participants,
      }),
    });
    const body: unknown = await response.json();
    if (response.status !== routes.startProject.status) {
      throw new Error(`starting a project: HTTP ${response.status} ${JSON.stringify(body)}`);
    }
    ids[i] = StartedProject.parse(body).id;
  });
  return ids;
}

/** The API on a random local port; unexpected failures are collected. */
function listen(env: BenchEnvironment, failures: string[]): Promise<ListeningApi> {
  return listenApp({
    db: env.db,
    temporal: { client: env.client, taskQueue: env.taskQueue },
    log: (message, fields) => failures.push(`${message} ${JSON.stringify(fields)}`),
  });
}

/** The start gate, signed by one user of each of its signer roles and resumed by the PMO. */
function castOf(template: Template, participants: Participants): Cast {
  const gate = template.nodes.find((n) => n.id === template.start);
  if (gate?.type !== 'gate') throw new Error(`"${template.start}" is not a gate`);
  if (gate.decisions && !gate.decisions.includes('hold')) {
    throw new Error(`gate "${gate.id}" does not allow hold`);
  }
  const roles = signerRoles(gate);
  const signers = roles.map((role) => {
    const user = participants[role]?.[0];
    if (user === undefined) throw new Error(`no participant for role "${role}"`);
    return user;
  });
  return { gate: gate.id, signers, pmo: PMO };
}

function parseOptions(argv: string[]): Options {
  return numberOptions(argv, {
    connections: { default: 50, min: 1 },
    seconds: { default: 20, min: 1, integer: false },
    warmup: { default: 3, min: 0, integer: false },
  });
}
