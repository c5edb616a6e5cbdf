/**
 * An action whose workflow task fails under it is applied once, not answered 503. A retire
 * ends the run; when a timer fires while the retire's task runs, the server refuses to close the
 * run over the new event (UNHANDLED_COMMAND), fails the task and drops the Update unapplied with
 * WorkflowNotReady, which the SDK does not send again. The API sends it again within its time
 * limit. The race is made certain on PostgreSQL: the test holds the project's records lock (the
 * advisory lock every record write takes) so that the retire's task waits in its record write
 * until the monitor's timer has fired.
 */
import { Client as PgClient } from 'pg';
import { temporal } from '@temporalio/proto';
import { projectWorkflowId } from '../../workflows/messages';
import { databaseFactory } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf, eventually } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { act, monitorTemplate, people, startOn, type People } from './trust-support';

const { EventType, WorkflowTaskFailedCause } = temporal.api.enums.v1;
/** The monitor's review timer: long enough to send the retire before it fires. */
const REVIEW_SECONDS = 6;

let api: ApiStack;
let p: People;
let locker: PgClient;
beforeAll(async () => {
  api = await startApiStack(databaseFactory('postgres'));
  p = await people(api, 'wft');
  locker = new PgClient({ connectionString: api.databaseUrl });
  await locker.connect();
});
afterAll(async () => {
  await locker.end();
  await api.stop();
});

it('sends a retire again when a timer fired during its workflow task, and records it once', async () => {
  const id = await startOn(api, p, monitorTemplate(REVIEW_SECONDS));
  const { client } = await connectTestTemporal();
  const handle = client.workflow.getHandle(projectWorkflowId(id));
  const history = async () => (await handle.fetchHistory()).events ?? [];
  const timer = await eventually(
    "the monitor's first review timer",
    async () => (await history()).find((e) => e.eventType === EventType.EVENT_TYPE_TIMER_STARTED),
    (e) => e !== undefined,
  );
  // To the millisecond: the project starts at the API's time, a little before its workflow
  // task, so the timer's duration has a fraction of a second.
  const ms = (t: { seconds?: unknown; nanos?: number | null }) =>
    Number(t.seconds) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
  const due = ms(timer!.eventTime!) + ms(timer!.timerStartedEventAttributes!.startToFireTimeout!);
  expect(due - Date.now()).toBeGreaterThan(1_000); // Room to send the retire before it fires.

  await locker.query('begin');
  await locker.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [
    `gatehouse-records:${id}`,
  ]);
  let retired: ReturnType<typeof act> | undefined;
  try {
    retired = act(api, p.olga, id, '/retire', { reason: 'steady', idempotencyKey: 'retire-1' });
    await eventually(
      "the retire's record write waiting for the lock",
      async () =>
        (
          await locker.query(`select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event = 'advisory'`)
        ).rows[0].n as number,
      (n) => n > 0,
    );
    await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now()) + 1_000));
  } finally {
    await locker.query('commit');
  }
  const reply = bodyOf<{ status: string }>(await retired, 200, 'retire');
  expect(reply.status).toBe('completed');
  await handle.result();

  // The race took place: the task that held the retire failed over the fired timer.
  const events = await history();
  const failed = events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
  expect(failed.map((e) => e.workflowTaskFailedEventAttributes?.cause)).toContain(
    WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
  );
  // Applied once: one accepted Update, one retirement in the audit trail.
  const accepted = events.filter(
    (e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
  );
  expect(accepted).toHaveLength(1);
  const audit = bodyOf<{ items: { action: string }[] }>(
    await api.call('GET', `/api/projects/${id}/audit`, { token: p.pmo.token }),
    200,
    'audit',
  );
  expect(audit.items.filter((e) => e.action === 'project.retired')).toHaveLength(1);
});
