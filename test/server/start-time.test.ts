/**
 * A project has one start time from the moment it is listed, on the real stack (API over
 * HTTP, Temporal dev server, a worker with the real activities) on SQLite and PostgreSQL. The
 * API lists a project it starts at once (its provisional snapshot); the worker here starts
 * only after that has been read, so the workflow's first task runs later on the clock. Its
 * record write must leave the start time where it was: in the list, the participant's list,
 * the detail, the export; and a list paged by start time across that write shows each project
 * exactly once.
 */
import { createActivities } from '../../activities';
import { migrateThroughWorker } from '../../worker/project-updates';
import { opsIntegratedDelivery } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { startTestWorker, uniqueId, type RunningTestWorker } from '../support/temporal';
import { BUILTIN_SEATS, eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';
import { withTemporalUnreachable } from './unreachable-temporal';

interface Listed {
  id: string;
  startedAt: number;
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  let pat: TestUser;
  let worker: RunningTestWorker | undefined;

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { worker: false });
    pmo = await api.user('pmo', { pmo: true });
    pat = await api.user('pat');
    for (const id of ['olga', 'mona', 'sue', 'stan']) await api.user(id);
  }, 60_000);
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });
  afterAll(async () => api?.stop());

  /** The worker, started now: the projects' first workflow tasks run from here on. */
  async function startWorker() {
    worker = await startTestWorker({
      taskQueue: api.taskQueue,
      activities: createActivities({ db: api.db, migrateProject: migrateThroughWorker }),
    });
  }

  async function start(name: string, key?: string): Promise<Listed> {
    const reply = await api.call('POST', '/api/projects', {
      token: pmo.token,
      body: { name, template: opsIntegratedDelivery.key, participants: BUILTIN_SEATS },
      ...(key && { headers: { 'idempotency-key': key } }),
    });
    return expectStatus(reply, 201, `start ${name}`).body as Listed;
  }

  /** A page of the projects whose names hold `q`, as `user` lists them. */
  async function page(q: string, user: TestUser, limit = 50, cursor?: string) {
    const query = new URLSearchParams({ q, limit: String(limit), ...(cursor && { cursor }) });
    const reply = await api.call('GET', `/api/projects?${query.toString()}`, { token: user.token });
    return expectStatus(reply, 200, `list ${q}`).body as { items: Listed[]; nextCursor?: string };
  }

  /** Whether the worker has written the project's record (the API's snapshot has no attempt). */
  async function recorded(id: string): Promise<boolean> {
    const row = await api.db
      .selectFrom('projects')
      .select('attempt')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.attempt !== undefined && row.attempt !== null;
  }

  async function untilRecorded(ids: string[]) {
    await eventually(
      `the record writes of ${ids.join(', ')}`,
      async () => Promise.all(ids.map(recorded)),
      (done) => done.every(Boolean),
    );
  }

  /** The export's `started_at` of each project whose name holds `q`, by id. */
  async function exported(q: string): Promise<Map<string, string>> {
    const reply = await api.call('GET', `/api/portfolio/export?q=${q}`, { token: pmo.token });
    const lines = (expectStatus(reply, 200, 'export').body as string)
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter((line) => line !== '');
    // The names and ids here hold no comma or quote: plain fields up to started_at.
    const [header, ...rows] = lines.map((line) => line.split(','));
    const [id, at] = ['id', 'started_at'].map((column) => header!.indexOf(column));
    return new Map(rows.map((row) => [row[id!]!, row[at!]!]));
  }

  it('keeps the start time the API listed it with through its first record write', async () => {
    const q = uniqueId('one');
    const key = uniqueId('key');
    // Two tries of one start at once: one project, one start time, whichever started it.
    const [started, again] = await Promise.all([start(`${q} A`, key), start(`${q} A`, key)]);
    expect(again).toMatchObject({ id: started.id, startedAt: started.startedAt });
    const { id, startedAt } = started;
    expect((await page(q, pmo)).items).toEqual([expect.objectContaining({ id, startedAt })]);
    expect(await recorded(id)).toBe(false);

    await startWorker();
    await untilRecorded([id]);
    const detail = await api.call('GET', `/api/projects/${id}`, { token: pmo.token });
    const state = expectStatus(detail, 200, 'detail').body as {
      startedAt: number;
      current: string[];
      nodes: Record<string, { enteredAt?: number }>;
    };
    expect(state.startedAt).toBe(startedAt);
    expect(state.nodes[state.current[0]!]?.enteredAt).toBe(startedAt);
    expect((await page(q, pmo)).items).toEqual([expect.objectContaining({ id, startedAt })]);
    expect((await page(q, pat)).items).toEqual([expect.objectContaining({ id, startedAt })]);
    expect(await exported(q)).toEqual(new Map([[id, new Date(startedAt).toISOString()]]));
  });

  it('starts a project at the time of the try that starts it, long after one that could not', async () => {
    const q = uniqueId('late');
    const key = uniqueId('key');
    const body = {
      name: `${q} L`,
      template: opsIntegratedDelivery.key,
      participants: BUILTIN_SEATS,
    };
    // The first try claims the key but cannot start the workflow: Temporal is out of reach.
    const refused = await withTemporalUnreachable(api, 1_000, (base) =>
      fetch(`${base}/api/projects`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${pmo.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(body),
      }),
    );
    expect(refused.status).toBe(503);
    // Two hours pass before the user tries again.
    await api.db
      .updateTable('project_starts')
      .set((eb) => ({ created_at: eb('created_at', '-', 2 * 3600_000) }))
      .where('key', '=', key)
      .execute();
    const before = Date.now();
    const started = await start(body.name, key);
    // Its deadlines count from now, not from two hours ago.
    expect(started.startedAt).toBeGreaterThanOrEqual(before);
    await startWorker();
    await untilRecorded([started.id]);
    expect((await page(q, pmo)).items).toEqual([
      expect.objectContaining({ id: started.id, startedAt: started.startedAt }),
    ]);
  });

  it('pages by start time across the first record writes, each project once', async () => {
    const q = uniqueId('paged');
    // Newest first: the first one started is listed last, alone on the second page.
    const first = await start(`${q} 1`);
    const second = await start(`${q} 2`);
    const third = await start(`${q} 3`);
    // The PMO's list (by the projects' rows) and a participant's (by their member rows).
    const ones = await Promise.all([pmo, pat].map((user) => page(q, user, 2)));
    for (const one of ones) expect(one.items.map((p) => p.id)).toEqual([third.id, second.id]);

    // The workflows' first tasks run, and their record writes land, between the pages.
    await startWorker();
    await untilRecorded([first.id, second.id, third.id]);
    for (const [i, user] of [pmo, pat].entries()) {
      const two = await page(q, user, 2, ones[i]!.nextCursor);
      expect(two.items).toEqual([
        expect.objectContaining({ id: first.id, startedAt: first.startedAt }),
      ]);
      expect(two.nextCursor).toBeUndefined();
    }
  });
});
