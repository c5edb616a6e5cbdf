/**
 * Idempotency as payment APIs have it, and waiting that ends (issue 8), over HTTP on SQLite
 * and PostgreSQL: a key is scoped to (caller, action, target); the same key and body answer
 * the first result again, also after continue-as-new and after the project closed; another
 * body is 422; another caller's key is theirs. Starting a project with an Idempotency-Key
 * starts one project however often (and however concurrently) it is retried. With no worker
 * polling, or Temporal unreachable, an action answers 503 with Retry-After within the limit.
 */
import { createLogger } from '../../config/logger';
import { stateQuery, recordKpiUpdate } from '../../workflows/messages';
import { INPUT_REVISION } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { withTemporalUnreachable } from './unreachable-temporal';
import {
  act,
  hypercareTemplate,
  monitorTemplate,
  people,
  publish,
  startContinuingProject,
  startOn,
  type People,
} from './trust-support';

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'idem');
  });
  afterAll(async () => api.stop());

  it('scopes a key to its caller and answers a repeat, refusing another body', async () => {
    const id = await startOn(api, p, hypercareTemplate());
    const body = { kind: 'feedback', text: 'Ops joined early', idempotencyKey: 'fb-1' };
    const first = expectStatus(await act(api, p.olga, id, '/feedback', body), 201, 'first');
    const again = expectStatus(await act(api, p.olga, id, '/feedback', body), 201, 'again');
    expect(again.body).toEqual({ ...first.body, replayed: true });
    // Another caller's key never matches: their feedback is recorded.
    const theirs = expectStatus(await act(api, p.omar, id, '/feedback', body), 201, 'other user');
    expect(theirs.body.id).not.toBe(first.body.id);
    expect(theirs.body.replayed).toBeUndefined();
    // The same key with another body: 422, nothing recorded.
    const other = await act(api, p.olga, id, '/feedback', { ...body, text: 'Changed' });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({
      code: 'idempotency_key_reused',
      errors: [{ path: ['body', 'idempotencyKey'], code: 'idempotency_key_reused' }],
    });
    // The same key for another target (another issue) is another entry.
    const raise = (title: string) => act(api, p.olga, id, '/issues', { severity: 3, title });
    const [a, b] = [await raise('A'), await raise('B')];
    const resolve = (issue: string) =>
      act(api, p.omar, id, `/issues/${issue}/resolve`, { idempotencyKey: 'fix' });
    expect((await resolve(a.body.id as string)).body).toMatchObject({ id: a.body.id });
    expect((await resolve(b.body.id as string)).body).toMatchObject({ id: b.body.id });
    expect((await resolve(a.body.id as string)).body).toMatchObject({ replayed: true });
    const state = bodyOf<{ feedback: unknown[]; issues: { status: string }[] }>(
      await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token }),
      200,
      'project',
    );
    expect(state.feedback).toHaveLength(2);
    expect(state.issues.map((i) => i.status)).toEqual(['resolved', 'resolved']);
  });

  it('answers a key after continue-as-new and after the project closed', async () => {
    const template = monitorTemplate(1);
    const id = `idem-can-${Date.now()}`;
    const handle = await startContinuingProject(api, p, template, id);
    const kpi = { metric: 'adoption', value: 42, idempotencyKey: 'kpi-1' };
    const first = expectStatus(await act(api, p.olga, id, '/kpis', kpi), 201, 'kpi');
    const { runId: firstRun } = await handle.describe();
    await eventually(
      'a continue-as-new',
      async () => (await handle.describe()).runId,
      (runId) => runId !== firstRun,
    );
    const again = expectStatus(await act(api, p.olga, id, '/kpis', kpi), 201, 'after CAN');
    expect(again.body).toMatchObject({ ...first.body, replayed: true });
    // The workflow itself still knows the key in its new run (its state carried it over).
    const direct = await handle.executeUpdate(recordKpiUpdate, {
      args: [{ actor: { userId: p.olga.id }, rev: INPUT_REVISION, ...kpi }],
    });
    expect(direct).toMatchObject({ seq: first.body.seq, replayed: true });
    expect((await handle.query(stateQuery)).kpis).toHaveLength(1);

    const retire = { reason: 'steady', idempotencyKey: 'retire-1' };
    const retired = expectStatus(await act(api, p.olga, id, '/retire', retire), 200, 'retire');
    expect(retired.body.status).toBe('completed');
    await handle.result();
    // Closed: the workflow is gone, the app database answers.
    const afterClose = await act(api, p.olga, id, '/kpis', kpi);
    expect(afterClose.status).toBe(201);
    expect(afterClose.body).toMatchObject({ ...first.body, replayed: true });
    await eventually(
      'the retire key in the app database',
      () => act(api, p.olga, id, '/retire', retire),
      (r) => r.status === 200,
    );
    expect((await act(api, p.olga, id, '/retire', retire)).body).toMatchObject({
      status: 'completed',
      replayed: true,
    });
    expect((await act(api, p.olga, id, '/kpis', { ...kpi, value: 43 })).body.code).toBe(
      'idempotency_key_reused',
    );
    // Without a key, a closed project refuses as before.
    expect((await act(api, p.olga, id, '/kpis', { metric: 'adoption', value: 1 })).body.code).toBe(
      'project_closed',
    );
  });

  it('starts one project per Idempotency-Key, however often it is sent', async () => {
    const template = hypercareTemplate();
    await publish(api, p.pmo, template);
    const body = {
      name: `Keyed ${factory.name}`,
      template: template.key,
      participants: { pm: [p.pat.id], ops: [p.olga.id] },
    };
    const start = (key: string, b: unknown = body) =>
      api.call('POST', '/api/projects', {
        token: p.pmo.token,
        body: b,
        headers: { 'idempotency-key': key },
      });
    // Concurrent retries of one request (a client that timed out and tried again, twice).
    const replies = await Promise.all(Array.from({ length: 8 }, () => start('start-1')));
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = new Set(replies.map((r) => r.body.id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const rows = await api.db
      .selectFrom('projects')
      .select('id')
      .where('name', '=', body.name)
      .execute();
    expect(rows.map((r) => r.id)).toEqual([id]);
    // Later: the same project, as it is now.
    expectStatus(
      await act(api, p.olga, id!, '/feedback', { kind: 'feedback', text: 'x' }),
      201,
      'fb',
    );
    const late = expectStatus(await start('start-1'), 201, 'late retry');
    expect(late.body).toMatchObject({ id, status: 'active' });
    // Another body under the key: 422; another key: another project.
    const other = await start('start-1', { ...body, name: 'Something else' });
    expect(other.status).toBe(422);
    expect(other.body.errors).toEqual([
      expect.objectContaining({
        path: ['headers', 'idempotency-key'],
        code: 'idempotency_key_reused',
      }),
    ]);
    const second = expectStatus(await start('start-2'), 201, 'another key');
    expect(second.body.id).not.toBe(id);
    // Another PMO's same key is theirs.
    const otherPmo = await api.call('POST', '/api/users', {
      token: api.adminToken,
      body: { name: 'Paula', email: `paula-${factory.name}@example.test`, pmo: true },
    });
    const theirs = await api.call('POST', '/api/projects', {
      token: otherPmo.body.token as string,
      body,
      headers: { 'idempotency-key': 'start-1' },
    });
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe(id);
    // A malformed key is the client's mistake.
    const bad = await start('with spaces');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toEqual(['headers', 'idempotency-key']);
  });
});

describe.each(eachDatabase())('$name, waiting that ends', (factory) => {
  const LIMIT_MS = 1500;
  let api: ApiStack;
  let p: People;
  const logged: string[] = [];
  beforeAll(async () => {
    const logger = createLogger('gatehouse-api', 'info', { write: (line) => logged.push(line) });
    // No worker polls this stack's task queue.
    api = await startApiStack(factory, { actionTimeoutMs: LIMIT_MS, logger }, { worker: false });
    p = await people(api, 'wait');
  });
  afterAll(async () => api.stop());

  it('answers an action with 503 and Retry-After within the limit when no worker polls', async () => {
    const id = await startOn(api, p, hypercareTemplate());
    const started = Date.now();
    const reply = await act(api, p.olga, id, '/feedback', { kind: 'feedback', text: 'anyone?' });
    const elapsed = Date.now() - started;
    expect(reply.status).toBe(503);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.headers.get('retry-after')).toBe('5');
    expect(reply.body.code).toBe('project_timeout');
    expect(elapsed).toBeGreaterThanOrEqual(LIMIT_MS - 50);
    expect(elapsed).toBeLessThan(LIMIT_MS + 3000);
    // The operator's log says why, on the request's own line: what Temporal answered.
    const line = logged
      .map((l) => JSON.parse(l) as { requestId?: string; err?: { type?: string } })
      .find((l) => l.requestId === reply.headers.get('x-request-id'));
    expect(line?.err?.type).toMatch(/Timeout|Cancel|ServiceError|GrpcError/);
    // Reading the project does not hang either: the read model answers.
    const read = await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token });
    expect(read.status).toBe(200);
  });

  it('answers 503 when Temporal cannot be reached (actions, starts, readiness)', async () => {
    const id = await startOn(api, p, hypercareTemplate());
    await withTemporalUnreachable(api, LIMIT_MS, async (base) => {
      const post = (path: string, body: unknown) =>
        fetch(`${base}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${p.olga.token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const action = await post(`/api/projects/${id}/feedback`, { kind: 'lesson', text: 'x' });
      expect(action.status).toBe(503);
      expect(action.headers.get('retry-after')).toBe('5');
      const template = hypercareTemplate();
      await publish(api, p.pmo, template);
      const start = await fetch(`${base}/api/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${p.pmo.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'Nowhere',
          template: template.key,
          participants: { pm: [p.pat.id], ops: [p.olga.id] },
        }),
      });
      expect(start.status).toBe(503);
      expect(await start.json()).toMatchObject({ status: 503 });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      const read = await fetch(`${base}/api/projects/${id}`, {
        headers: { authorization: `Bearer ${p.pmo.token}` },
      });
      expect(read.status).toBe(200);
    });
  });
});
