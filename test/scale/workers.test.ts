/**
 * Scale-out and graceful shutdown: the API (in this process) and two worker processes share
 * one task queue and one PostgreSQL app database. Twenty projects run their whole lifecycle at
 * once over HTTP; when half of them have passed their first gate, one worker is SIGTERMed. It
 * must drain and exit 0 by itself, and the other must carry every project to the end: each
 * sign-off audited once, the read model complete, and no workflow or activity task failed or
 * timed out in any history (bar workflow tasks re-routed by the races of the worker's shutdown).
 */
import type { Page, ProjectSummary } from '../../db';
import { TIMELINE_LIMIT, timelineEntryOf } from '../../workflows/lifecycle/context';
import { projectWorkflowId } from '../../workflows/messages';
import type { AuditEntry, Template } from '../../workflows/model';
import type { ProjectView } from '../../server/contract';
import { miniTemplate } from '../fixtures/mini-template';
import { databaseFactory } from '../support/databases';
import { startWorkerProcess, type Exit, type TestProcess } from '../support/processes';
import { connectTestTemporal } from '../support/temporal';
import {
  allPages,
  bodyOf,
  createUser,
  eventually,
  expectStatus,
  Participant,
  type ApiUser,
} from '../server/drive-http';
import { startApiStack, type ApiStack } from '../server/stack';
import { handedOver, readHistories } from './histories';

const PROJECTS = 20;
/** How long the SIGTERMed worker may take to drain and exit. */
const DRAIN_LIMIT_MS = 30_000;
/** How long before the SIGTERM a task may have been meant for the worker and still be lost. */
const SHUTDOWN_RACE_MS = 2_000;

/** The mini lifecycle under its own key, with a 2 s hypercare. */
const template: Template = {
  ...miniTemplate,
  key: 'mini-scale',
  nodes: miniTemplate.nodes.map((node) =>
    node.type === 'hypercare' ? { ...node, duration: 'PT2S' } : node,
  ),
};

/** Every sign-off of one project, in the order `drive` gives them. */
const EXPECTED_SIGNOFFS = [
  'approval:pat',
  'approval:olga',
  'approval:omar',
  'hypercare:olga',
  'pir:sam',
  'pir:olga',
];

let api: ApiStack;
/** Every worker process this file started, for cleanup and failure messages. */
const workers: TestProcess[] = [];
/** `first` is SIGTERMed half-way; `second` finishes the work. */
let first: TestProcess;
let second: TestProcess;
let people: Record<'pmo' | 'pat' | 'olga' | 'omar' | 'sam', ApiUser>;

beforeAll(async () => {
  // Two workers starting and one draining on a shared 2-core machine can take longer than
  // the default action limit per workflow task: this test is about scale-out, not waiting.
  api = await startApiStack(
    databaseFactory('postgres'),
    { actionTimeoutMs: 120_000 },
    {
      worker: false,
    },
  );
  const start = (name: string) =>
    startWorkerProcess({ taskQueue: api.taskQueue, databaseUrl: api.databaseUrl, name }).then(
      (worker) => {
        workers.push(worker);
        return worker;
      },
    );
  // Each process loads the workflow bundle and creates its worker: side by side, as one.
  [first, second] = await Promise.all([start('worker 1'), start('worker 2')]);
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await api?.stop();
});

it(
  'finishes 20 concurrent projects when one of two workers is SIGTERMed half-way',
  () =>
    withWorkerOutput(async () => {
      people = {
        pmo: await createUser(api, 'paula', { pmo: true }),
        pat: await createUser(api, 'pat'),
        olga: await createUser(api, 'olga'),
        omar: await createUser(api, 'omar'),
        sam: await createUser(api, 'sam'),
      };
      await publish();
      const ids = await Promise.all(
        Array.from({ length: PROJECTS }, (_, i) => startProject(`Rollout ${i + 1}`)),
      );

      // Drive all projects at once; the SIGTERM goes out when half have passed their first gate.
      let passedFirstGate = 0;
      let drained: Promise<Drain> | undefined;
      const onFirstGate = () => {
        passedFirstGate += 1;
        if (passedFirstGate === PROJECTS / 2) drained = sigterm(first);
      };
      const driven = await Promise.allSettled(ids.map((id) => drive(id, onFirstGate)));
      const failed = driven.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;

      // The SIGTERMed worker drained and exited by itself; the other is still running.
      expect(drained).toBeDefined();
      const { exit, sentAt, exitedAt } = await drained!;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(await stillRunning(second)).toBe(true);

      // Every project completed, with each sign-off once in its state and in its audit trail.
      for (const id of ids) {
        const state = bodyOf<ProjectView>(
          await api.call('GET', `/api/projects/${id}`, { token: people.pmo.token }),
          200,
          'get project',
        );
        expect(state).toMatchObject({ status: 'completed', current: ['done'] });
        const votes = Object.entries(state.nodes).flatMap(([nodeId, node]) =>
          node.votes.map((v) => `${nodeId}:${nameOf(v.userId)}`),
        );
        expect(votes.sort()).toEqual([...EXPECTED_SIGNOFFS].sort());
        for (const nodeId of ['approval', 'hypercare', 'pir', 'monitor'])
          expect(state.nodes[nodeId]).toMatchObject({ status: 'done', visits: 1 });

        // The app database's trail ends with the workflow's own timeline: seqs 1..n, nothing
        // missing (the timeline keeps the latest entries, long strings shortened).
        const trail = await auditOf(id);
        expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
        expect(trail.slice(-TIMELINE_LIMIT).map(timelineEntryOf)).toEqual(state.timeline);
        expect(
          trail.filter((e) => e.action === 'signoff').map((e) => `${e.nodeId}:${nameOf(e.actor)}`),
        ).toEqual(EXPECTED_SIGNOFFS);
      }

      // The read model lists all of them as completed.
      const completed = await eventually(
        'every project completed in the read model',
        () =>
          allPages(async (cursor) =>
            bodyOf<Page<ProjectSummary>>(
              await api.call(
                'GET',
                `/api/projects?status=completed&template=${template.key}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
                { token: people.pmo.token },
              ),
              200,
              'list projects',
            ),
          ),
        (list) => list.items.length === PROJECTS,
      );
      expect(new Set(completed.items.map((p) => p.id))).toEqual(new Set(ids));

      // No task failed or timed out, bar the workflow tasks that the two races of a worker's
      // shutdown leave behind (see ReroutedTask): meant for the SIGTERMed worker at the moment
      // it stopped, then run by the other one. Both workers took part; the first started
      // nothing once gone, and the workflows it held when SIGTERMed went on with the second.
      const { client } = await connectTestTemporal();
      const report = await readHistories(client, ids.map(projectWorkflowId));
      const tasksOf = (worker: TestProcess) => report.started.filter((t) => t.pid === worker.pid);
      expect(report.failedTasks).toEqual([]);
      if (report.rerouted.length > 0)
        console.log(`re-routed when worker 1 stopped: ${JSON.stringify(report.rerouted)}`);
      for (const task of report.rerouted) {
        expect(task).toMatchObject({ heldBy: first.pid, rerunBy: second.pid });
        expect(task.since).toBeGreaterThanOrEqual(sentAt - SHUTDOWN_RACE_MS);
        if (task.cause === 'shutdown-poll') expect(task.since).toBeLessThanOrEqual(exitedAt);
      }
      expect(tasksOf(first).filter((t) => t.at < sentAt)).not.toEqual([]);
      expect(tasksOf(first).filter((t) => t.at > exitedAt)).toEqual([]);
      expect(tasksOf(second).filter((t) => t.at > exitedAt)).not.toEqual([]);
      expect(handedOver(report, first.pid, sentAt)).not.toEqual([]);
    }),
  90_000,
);

/** The PMO publishes the template over HTTP. */
async function publish(): Promise<void> {
  const token = people.pmo.token;
  const draft = await api.call('PUT', `/api/templates/${template.key}/draft`, {
    token,
    body: template,
  });
  expect(expectStatus(draft, 200, 'save draft').body).toMatchObject({ valid: true });
  expectStatus(
    await api.call('POST', `/api/templates/${template.key}/publish`, { token }),
    201,
    'publish',
  );
}

async function startProject(name: string): Promise<string> {
  const participants = {
    pm: [people.pat.id],
    ops: [people.olga.id, people.omar.id],
    steering: [people.sam.id],
  };
  const reply = await api.call('POST', '/api/projects', {
    token: people.pmo.token,
    body: { name, template: template.key, participants },
  });
  return expectStatus(reply, 201, `start ${name}`).body.id as string;
}

/** One project from its first stage to retirement, each step from the participant's inbox. */
async function drive(id: string, onFirstGate: () => void): Promise<void> {
  const as = (user: ApiUser) => new Participant(api, user, id, template);
  const [pm, ops1, ops2, steering] = [people.pat, people.olga, people.omar, people.sam].map(as) as [
    Participant,
    Participant,
    Participant,
    Participant,
  ];
  await pm.completeStage('plan');
  await pm.submitDeliverables('approval');
  await pm.signoff('approval');
  await ops1.signoff('approval');
  const passed = await ops2.signoff('approval');
  expect(passed.body.current).toEqual(['hypercare']);
  onFirstGate();
  await ops1.signoff('hypercare', 'accept-hypercare');
  await steering.signoff('pir');
  await ops1.signoff('pir');
  await ops1.awaitAction('monitor', 'kpi-review');
  const retired = await ops1.call('POST', '/retire', 200, { reason: 'steady state' });
  expect(retired.body.status).toBe('completed');
}

interface Drain {
  exit: Exit | 'timeout';
  sentAt: number;
  exitedAt: number;
}

/** SIGTERMs `worker` and waits for it to exit by itself: `'timeout'` past the drain limit. */
async function sigterm(worker: TestProcess): Promise<Drain> {
  const sentAt = Date.now();
  process.kill(worker.pid, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    worker.exited,
    new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), DRAIN_LIMIT_MS);
    }),
  ]);
  clearTimeout(timer);
  return { exit, sentAt, exitedAt: Date.now() };
}

async function stillRunning(worker: TestProcess): Promise<boolean> {
  const exited = await Promise.race([
    worker.exited.then(() => true),
    new Promise<false>((resolve) => setImmediate(() => resolve(false))),
  ]);
  return !exited;
}

/** The whole audit trail of a project, once its end is recorded. */
async function auditOf(id: string): Promise<AuditEntry[]> {
  const page = await eventually(
    `the end of ${id}'s audit trail`,
    async () =>
      bodyOf<Page<AuditEntry>>(
        await api.call('GET', `/api/projects/${id}/audit?limit=200`, { token: people.pmo.token }),
        200,
        'audit',
      ),
    (p) => p.items.some((e) => e.action === 'project.ended'),
  );
  return page.items;
}

function nameOf(userId: string): string {
  return Object.values(people).find((u) => u.id === userId)?.name ?? userId;
}

/** Runs `fn`, adding both workers' output to the error when it fails. */
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
