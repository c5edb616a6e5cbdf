/**
 * Crash recovery with the real worker process (`npm run worker`'s entry): SIGKILL it in the
 * middle of a lifecycle, start a new one on the same task queue and database, and the project
 * finishes with every sign-off kept — once each, in order, in the workflow's state and in the
 * app database's audit trail.
 */
import type { Kysely } from 'kysely';
import { insertUser, listAudit, type Database } from '../../db';
import {
  PROJECT_WORKFLOW,
  projectWorkflowId,
  recordKpiUpdate,
  retireUpdate,
  signoffUpdate,
} from '../../workflows/messages';
import type { projectLifecycle } from '../../workflows';
import { TIMELINE_LIMIT, timelineEntryOf } from '../../workflows/lifecycle/context';
import { INPUT_REVISION } from '../../workflows/model';
import { shortTemplate } from '../fixtures/short-template';
import { databaseFactory, openMigrated } from '../support/databases';
import { startWorkerProcess, type TestProcess } from '../support/processes';
import { connectTestTemporal, uniqueId } from '../support/temporal';
import {
  BUILTIN_SIGNOFF_ORDER,
  builtinParticipants as people,
  completeStage,
  fullMarks,
  nodeOf,
  passGate,
  prepareGo,
  submitRequired,
} from './drive';
import { PMO, projectOf, type Project } from './harness';

const template = shortTemplate({ hypercare: 3, every: 2 });
const taskQueue = uniqueId('crash');

let db: Kysely<Database>;
let databaseUrl: string;
let closeDatabase: (() => Promise<void>) | undefined;
/** Every worker process this file started, for cleanup and failure messages. */
const workers: TestProcess[] = [];

beforeAll(async () => {
  const database = await openMigrated(databaseFactory('sqlite'));
  ({ db, url: databaseUrl, close: closeDatabase } = database);
  for (const id of [PMO, ...Object.values(people).flat()]) {
    await insertUser(db, { id, name: id, email: `${id}@example.test`, pmo: id === PMO });
  }
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await closeDatabase?.();
});

it('finishes the lifecycle with every sign-off after the worker is SIGKILLed', () =>
  withWorkerOutput(async () => {
    const first = await startWorker('worker 1');
    const project = await startProject();
    await passGate(project, template, 'inception', people);
    await completeStage(project, template, 'operationalization-plan', 'pat');
    await passGate(project, template, 'plan-approval', people);
    await completeStage(project, template, 'pilot', 'pat');
    await passGate(project, template, 'pilot-review', people);
    await submitRequired(project, template, 'handoff', 'pat');
    await prepareGo(project, template, 'handoff', people);
    await signHandoff(project, 'pat', 'pm');

    // Handoff has one of its three sign-offs: kill the worker without letting it clean up.
    expect(await first.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    // With no worker polling, the next sign-off is accepted by nobody: it waits, it is not lost.
    const monaSigns = signHandoff(project, 'mona', 'ops-manager');
    const early = await Promise.race([
      monaSigns.then(
        () => 'completed',
        (error: unknown) => `failed: ${String(error)}`,
      ),
      sleep(2_000).then(() => 'pending'),
    ]);
    expect(early).toBe('pending');

    // The new worker gets it once the dead worker's sticky queue times out (~10 s after the
    // Update was sent): a crash, unlike a shutdown, does not hand the workflow back.
    const second = await startWorker('worker 2');
    expect(second.pid).not.toBe(first.pid);
    expect((await monaSigns).current).toEqual(['handoff']);
    expect((await signHandoff(project, 'sue', 'support')).current).toEqual(['hypercare']);

    await project.until((s) => s.nodes.hypercare?.hypercare?.phase === 'awaiting_exit');
    await passGate(project, template, 'hypercare', people);
    await project.act(recordKpiUpdate, {
      actor: { userId: 'mona' },
      metric: 'adoption-rate',
      value: 85,
    });
    await passGate(project, template, 'pir', people);
    await project.until((s) => (s.nodes['kpi-monitoring']?.monitor?.reviews ?? 0) >= 1);
    const retired = await project.act(retireUpdate, {
      actor: { userId: 'mona' },
      reason: 'steady state reached',
    });
    expect(retired.status).toBe('completed');

    const final = await project.handle.result();
    expect(final).toMatchObject({ status: 'completed', current: ['completed'] });
    expect(final.nodes.handoff!.votes.map((v) => v.userId)).toEqual(['pat', 'mona', 'sue']);
    for (const id of ['inception', 'plan-approval', 'pilot-review', 'handoff']) {
      expect(final.nodes[id]).toMatchObject({ status: 'done', outcome: 'go' });
    }
    // Every signed node was decided exactly once: no sign-off was replayed into a second visit.
    for (const id of [
      'inception',
      'plan-approval',
      'pilot-review',
      'handoff',
      'hypercare',
      'pir',
    ]) {
      expect(final.nodes[id]).toMatchObject({ status: 'done', visits: 1 });
      expect(final.nodes[id]!.decisions).toHaveLength(1);
    }
    const signedInState = Object.entries(final.nodes).flatMap(([nodeId, node]) =>
      node.votes.map((v) => `${nodeId}:${v.userId}`),
    );
    expect([...signedInState].sort()).toEqual([...BUILTIN_SIGNOFF_ORDER].sort());

    // The app database holds the trail exactly once: seqs 1..n without gaps or repeats, its
    // latest entries what the workflow's own timeline shows, every sign-off once and in order.
    const audit = await waitForAudit(project.id, (entries) =>
      entries.some((e) => e.action === 'project.ended'),
    );
    const seqs = Array.from({ length: final.seq - 1 }, (_, i) => i + 1);
    expect(audit.map((e) => e.seq)).toEqual(seqs);
    expect(audit.slice(-TIMELINE_LIMIT).map(timelineEntryOf)).toEqual(final.timeline);
    const signoffs = audit
      .filter((e) => e.action === 'signoff')
      .map((e) => `${e.nodeId}:${e.actor}`);
    expect(signoffs).toEqual(BUILTIN_SIGNOFF_ORDER);
  }));

async function startProject(): Promise<Project> {
  const { client } = await connectTestTemporal();
  const id = uniqueId('p');
  const handle = await client.workflow.start<typeof projectLifecycle>(PROJECT_WORKFLOW, {
    taskQueue,
    workflowId: projectWorkflowId(id),
    args: [
      {
        projectId: id,
        name: 'Crash-tested rollout',
        template,
        version: 1,
        participants: people,
        startedBy: PMO,
        rev: INPUT_REVISION,
      },
    ],
  });
  return projectOf(id, handle);
}

function signHandoff(project: Project, userId: string, role: string) {
  return project.act(signoffUpdate, {
    actor: { userId },
    nodeId: 'handoff',
    decision: 'go',
    role,
    criteria: fullMarks(nodeOf(template, 'handoff')),
  });
}

async function startWorker(name: string): Promise<TestProcess> {
  const worker = await startWorkerProcess({ taskQueue, databaseUrl, name });
  workers.push(worker);
  return worker;
}

/** Runs `fn`, adding every worker's output to the error when it fails. */
async function withWorkerOutput(fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof Error) {
      error.message += workers.map((w) => `\n\n${w.describe()}`).join('');
    }
    throw error;
  }
}

async function waitForAudit(
  projectId: string,
  done: (e: Awaited<ReturnType<typeof listAudit>>) => boolean,
) {
  for (let i = 0; i < 100; i++) {
    const entries = await listAudit(db, projectId, { limit: 1000 });
    if (done(entries)) return entries;
    await sleep(100);
  }
  throw new Error('audit trail incomplete');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
