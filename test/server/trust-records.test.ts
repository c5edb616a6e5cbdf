/**
 * Poison-proof records (issue 8), on SQLite and PostgreSQL: a record write the database
 * refuses for good goes to the dead-letter table, counts in the worker's metric and turns
 * `/readyz` degraded, while the project goes on; `gatehouse records repair` (run as users run
 * it) rebuilds the read model from the workflow and, once the cause is gone, writes the dead
 * letters again. A workflow ended outside Gatehouse shows as `terminated`, not `active`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { sql } from 'kysely';
import { listAudit, listOpenDeadLetters } from '../../db';
import { projectWorkflowId } from '../../workflows/messages';
import type { ProjectView } from '../../server/contract';
import { createWorkerMetrics } from '../../worker/metrics';
import { eachDatabase, type DatabaseFactory } from '../support/databases';
import { PROJECT_ROOT } from '../support/processes';
import { requireTestEnv, TEST_ENV } from '../support/env';
import { connectTestTemporal } from '../support/temporal';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { act, hypercareTemplate, people, startOn, type People } from './trust-support';

/** Makes the database refuse audit entries whose reason is "poison", as a constraint would. */
async function poison(api: ApiStack, dialect: DatabaseFactory['name']): Promise<void> {
  if (dialect === 'sqlite') {
    await sql`create trigger refuse_poison before insert on audit_entries
      when new.reason = 'poison' begin select raise(abort, 'poison refused'); end`.execute(api.db);
    return;
  }
  await sql`create function refuse_poison() returns trigger as $$
    begin
      if new.reason = 'poison' then
        raise exception 'poison refused' using errcode = 'check_violation';
      end if;
      return new;
    end $$ language plpgsql`.execute(api.db);
  await sql`create trigger refuse_poison before insert on audit_entries
    for each row execute function refuse_poison()`.execute(api.db);
}

async function cure(api: ApiStack, dialect: DatabaseFactory['name']): Promise<void> {
  if (dialect === 'sqlite') await sql`drop trigger refuse_poison`.execute(api.db);
  else await sql`drop trigger refuse_poison on audit_entries`.execute(api.db);
}

/** `gatehouse records repair [project]` as a process, against the stack's database. */
function repair(api: ApiStack, project?: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(PROJECT_ROOT, 'bin', 'gatehouse.js'),
        'records',
        'repair',
        ...(project ? [project] : []),
      ],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          DATABASE_URL: api.databaseUrl,
          TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
          TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
        },
      },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe.each(eachDatabase())('$name', (factory) => {
  const metrics = createWorkerMetrics();
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory, {}, { activities: { metrics: metrics.notifications } });
    p = await people(api, 'rec');
  });
  afterAll(async () => api.stop());

  const readModel = async (id: string) =>
    (await api.db
      .selectFrom('projects')
      .select(['status', 'seq'])
      .where('id', '=', id)
      .executeTakeFirst())!;
  const ready = async (): Promise<unknown> => (await api.call('GET', '/readyz')).body;
  const deadLetterCount = async () =>
    Number(/gatehouse_record_dead_letters_total (\d+)/.exec(await metrics.registry.metrics())?.[1]);

  it('dead-letters a write that can never succeed, goes on, and is repaired', async () => {
    const id = await startOn(api, p, hypercareTemplate());
    await poison(api, factory.name);

    // Accepted by the workflow; the record write fails for good.
    expectStatus(
      await act(api, p.olga, id, '/hypercare/extend', { reason: 'poison' }),
      200,
      'extend',
    );
    await eventually(
      'the dead letter',
      () => listOpenDeadLetters(api.db, id),
      (l) => l.length === 1,
    );
    expect(await ready()).toMatchObject({ status: 'degraded', deadLetters: 1 });
    expect(await deadLetterCount()).toBe(1);
    const [letter] = await listOpenDeadLetters(api.db, id);
    expect(letter!.error).toMatch(/poison refused/);
    expect(letter!.entry).toMatchObject({
      audits: [expect.objectContaining({ reason: 'poison' })],
    });

    // The lifecycle goes on: later records are written.
    expectStatus(
      await act(api, p.pat, id, '/feedback', { kind: 'feedback', text: 'still here' }),
      201,
      'fb',
    );
    await eventually(
      'the feedback in the audit trail',
      () => listAudit(api.db, id),
      (trail) => trail.some((e) => e.action === 'feedback.recorded'),
    );
    // The last write fails too: the read model stays behind the workflow (still active).
    const cancelled = await act(api, p.pmo, id, '/cancel', { reason: 'poison' });
    expect(expectStatus(cancelled, 200, 'cancel').body.status).toBe('cancelled');
    await eventually(
      'two dead letters',
      () => listOpenDeadLetters(api.db, id),
      (l) => l.length === 2,
    );
    expect((await readModel(id)).status).toBe('active');
    expect(await deadLetterCount()).toBe(2);

    // Repair with the cause still there: the read model is rebuilt, the letters still fail.
    const first = await repair(api, id);
    expect(first.code).toBe(1);
    expect(first.out).toContain(`${id}: status active → cancelled`);
    expect(first.out).toMatch(/not repaired: dead letter .* still fails: .*poison refused/);
    expect((await readModel(id)).status).toBe('cancelled');
    const listed = bodyOf<{ items: { id: string }[] }>(
      await api.call('GET', '/api/projects?status=cancelled', { token: p.pmo.token }),
      200,
      'list',
    );
    expect(listed.items.map((i) => i.id)).toContain(id);
    expect(await ready()).toMatchObject({ status: 'degraded', deadLetters: 2 });

    // The cause removed, repair writes the letters: the trail is whole, readiness is back.
    await cure(api, factory.name);
    const second = await repair(api);
    expect(second.code).toBe(0);
    expect(second.out).toMatch(/dead letter .* written/);
    expect(await ready()).toMatchObject({ status: 'ready', deadLetters: 0 });
    const trail = await listAudit(api.db, id);
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(trail.filter((e) => e.reason === 'poison').map((e) => e.action)).toEqual([
      'hypercare.extended',
      'project.cancelled',
      'project.ended',
    ]);
  });

  it('shows a project whose workflow was ended outside Gatehouse as terminated', async () => {
    const { client } = await connectTestTemporal();
    const seen = await startOn(api, p, hypercareTemplate());
    const unseen = await startOn(api, p, hypercareTemplate());
    for (const id of [seen, unseen]) {
      await eventually(
        'the worker snapshot',
        () => readModel(id),
        (row) => row.seq > 1,
      );
      await client.workflow.getHandle(projectWorkflowId(id)).terminate('cleaned up by hand');
    }
    // Read by the API: detected and recorded (at once when Temporal's server answers within
    // the read's grace, else by the answer that comes later: server/routes/project-access.ts).
    await eventually(
      'the read that detects it',
      async () =>
        bodyOf<ProjectView>(
          await api.call('GET', `/api/projects/${seen}`, { token: p.pmo.token }),
          200,
          'get',
        ).status,
      (status) => status === 'terminated',
    );
    const listed = bodyOf<{ items: { id: string }[] }>(
      await api.call('GET', '/api/projects?status=terminated', { token: p.pmo.token }),
      200,
      'list',
    );
    expect(listed.items.map((i) => i.id)).toEqual([seen]);
    const refused = await act(api, p.olga, seen, '/feedback', { kind: 'feedback', text: 'x' });
    expect(refused.body).toMatchObject({ status: 409, code: 'project_terminated' });
    // Never read: repair finds it.
    const repaired = await repair(api, unseen);
    expect(repaired.out).toContain(`${unseen}: status active → terminated`);
    expect((await readModel(unseen)).status).toBe('terminated');
  });
});
