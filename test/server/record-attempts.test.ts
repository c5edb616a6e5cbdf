/**
 * A record write in a workflow task attempt the history never records, on the real stack (API
 * over HTTP, Temporal dev server, a worker with the real activities) on SQLite and PostgreSQL.
 * The worker's `recordEffects` is wrapped to make the task that sent one chosen batch fail
 * once (test/support/fail-task-interceptor.ts): after writing it (the write then belongs to
 * no history), or before writing it, the write coming late, after the retried attempt's (a
 * slow old attempt). Either way the retried attempt writes the same positions with its own
 * content (its own clock), and afterwards readers must see exactly the history: each accepted
 * action once in the audit trail, contiguous, equal to the workflow's timeline; the read
 * model equal to the workflow's state; the idempotency key answering what the history holds.
 */
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities, type RecordedBatch } from '../../activities';
import { WORKFLOW_BUNDLE_OPTIONS } from '../../worker/workflow-bundle';
import {
  findKey,
  getProjectState,
  listAudit,
  recordFence,
  verifyProjectTrail,
  type Database,
} from '../../db';
import { recordedState } from '../../workflows/lifecycle';
import { projectWorkflowId, stateQuery } from '../../workflows/messages';
import { eachDatabase } from '../support/databases';
import { connectTestTemporal, startTestWorker, type RunningTestWorker } from '../support/temporal';
import { eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type Reply } from './stack';
import { act, hypercareTemplate, people, startOn, type People } from './trust-support';

type Mode = 'written' | 'late';

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  let worker: RunningTestWorker;
  /** The batch to fail the task of, once, and how. */
  let sabotage: { match: (batch: RecordedBatch) => boolean; mode: Mode } | undefined;
  /** The batches the sabotaged attempts sent, for a late write. */
  const held: RecordedBatch[] = [];
  let failedTasks = 0;
  let activities: ReturnType<typeof createActivities>;
  let startWorker: () => Promise<RunningTestWorker>;

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { worker: false });
    p = await people(api, 'attempts');
    activities = createActivities({ db: api.db });
    const recordEffects = async (batch: RecordedBatch) => {
      const chosen = sabotage?.match(batch) ? sabotage : undefined;
      if (!chosen) return activities.recordEffects(batch);
      sabotage = undefined;
      failedTasks += 1;
      if (chosen.mode === 'late') {
        held.push(batch);
        return { channels: [], failTask: true };
      }
      return { ...(await activities.recordEffects(batch)), failTask: true };
    };
    // Bundled once with the interceptor; each (re)started worker loads that bundle.
    const { code } = await bundleWorkflowCode({
      ...WORKFLOW_BUNDLE_OPTIONS,
      workflowInterceptorModules: [require.resolve('../support/fail-task-interceptor')],
      logger: new DefaultLogger('WARN'),
    });
    startWorker = () =>
      startTestWorker({
        taskQueue: api.taskQueue,
        workflowBundle: { code },
        // Its record sinks (test/support/temporal.ts) settle through the real writeBatch.
        activities: { ...activities, recordEffects },
      });
    worker = await startWorker();
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await api?.stop();
  });

  /** Sends the request as a client does: again with the same key while the API answers 503. */
  async function retried(send: () => Promise<Reply>): Promise<Reply> {
    for (let i = 0; ; i++) {
      const reply = await send();
      if (reply.status !== 503 || i >= 10) return reply;
    }
  }

  async function expectHistoryInRecords(db: Kysely<Database>, id: string) {
    const { client } = await connectTestTemporal();
    const state = await client.workflow.getHandle(projectWorkflowId(id)).query(stateQuery);
    const audit = await listAudit(db, id, { limit: 1000 });
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => audit[0]!.seq + i));
    expect(audit.at(-1)!.seq).toBe(state.seq - 1);
    // The timeline is the history's own copy of the latest entries, clock included.
    const bySeq = new Map(audit.map((e) => [e.seq, e]));
    for (const entry of state.timeline) {
      expect(bySeq.get(entry.seq)).toMatchObject({
        action: entry.action,
        actor: entry.actor,
        at: entry.at,
      });
    }
    // The stored state is the state as recorded: its idempotency keys live in their own table.
    expect(await getProjectState(db, id)).toEqual(recordedState(state));
    for (const scope of Object.keys(state.keys)) {
      expect(await findKey(db, id, scope, 0)).toMatchObject({ scope, fp: state.keys[scope]!.fp });
    }
    expect(await verifyProjectTrail(db, id)).toMatchObject({ trail: id, entries: audit.length });
    expect(await verifyProjectTrail(db, id)).not.toHaveProperty('broken');
    return { state, audit };
  }

  it.each<[Mode]>([['written'], ['late']])(
    'keeps the records equal to the history when the task that wrote fails (%s)',
    async (mode) => {
      const id = await startOn(api, p, hypercareTemplate());
      const key = `fb-${mode}`;
      const body = { kind: 'feedback', text: `Ops joined early (${mode})`, idempotencyKey: key };
      sabotage = {
        mode,
        match: (batch) =>
          batch.audits.some((a) => a.projectId === id && a.action === 'feedback.recorded'),
      };
      const failedBefore = failedTasks;
      const first = expectStatus(
        await retried(() => act(api, p.olga, id, '/feedback', body)),
        201,
        'feedback',
      );
      expect(failedTasks).toBe(failedBefore + 1);
      if (mode === 'late') {
        // The failed attempt's write arrives after the retried attempt's: it changes nothing.
        await activities.recordEffects(held.pop()!);
      }

      const { state, audit } = await expectHistoryInRecords(api.db, id);
      const feedback = audit.filter((e) => e.action === 'feedback.recorded');
      expect(feedback).toHaveLength(1);
      expect(feedback[0]).toMatchObject({ actor: p.olga.id, seq: first.body.seq });
      expect(state.seq - 1).toBe(audit.at(-1)!.seq);

      // The key answers what the history holds: the same action, not a second one.
      const again = expectStatus(
        await retried(() => act(api, p.olga, id, '/feedback', body)),
        201,
        'feedback again',
      );
      // Answered by the stored key (marked replayed) or, while the history may not hold it
      // yet, by the workflow joining the first Update: the first result either way.
      const { replayed, ...answer } = again.body as { replayed?: boolean };
      expect(answer).toEqual(first.body);
      expect([true, undefined]).toContain(replayed);
      const after = await expectHistoryInRecords(api.db, id);
      expect(after.audit.filter((e) => e.action === 'feedback.recorded')).toHaveLength(1);
    },
    120_000,
  );

  it('settles the records on the history when the workflow is loaded again', async () => {
    const id = await startOn(api, p, hypercareTemplate());
    const { client } = await connectTestTemporal();
    const handle = client.workflow.getHandle(projectWorkflowId(id));
    const state = await handle.query(stateQuery);
    await expectHistoryInRecords(api.db, id);
    // What an attempt the history never recorded leaves behind: an entry and a state ahead,
    // tagged as a later attempt of this run would be (workflows/outbox.ts attemptTag).
    const fence = await recordFence(api.db, id);
    const { historyLength } = (await handle.describe()).raw.workflowExecutionInfo!;
    const digits = (n: number, width: number) => String(n).padStart(width, '0');
    const phantom = {
      attempt:
        fence!.attempt.slice(0, 15) + digits(Number(historyLength), 10) + digits(Date.now(), 15),
      from: { seq: state.seq, note: state.notified },
      audits: [
        { projectId: id, seq: state.seq, at: Date.now(), actor: p.olga.id, action: 'phantom' },
      ],
      notifications: [],
      project: { ...state, seq: state.seq + 1, name: 'Phantom' },
    };
    await activities.recordEffects(phantom);
    expect((await listAudit(api.db, id)).at(-1)).toMatchObject({ action: 'phantom' });

    // A new worker loads the workflow from its history for an action it refuses.
    await worker.stop();
    worker = await startWorker();
    const refused = await act(api, p.olga, id, '/nodes/pir/signoffs', { decision: 'go' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    await eventually(
      'the phantom superseded',
      () => listAudit(api.db, id),
      (audit) => audit.every((e) => e.action !== 'phantom'),
    );
    await expectHistoryInRecords(api.db, id);
    expect(await verifyProjectTrail(api.db, id)).toMatchObject({ superseded: 1 });
  }, 120_000);
});
