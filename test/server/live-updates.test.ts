/**
 * Live updates that fan out (issue 12, item 2), on a real app on a real port, both databases:
 * one change feed per API process wakes the streams a change concerns. A write by another
 * connection (another process's) reaches the project's stream and each participant's inbox
 * stream; fifty idle streams cost about the queries one does (counted, not timed); the
 * PostgreSQL LISTEN connection comes back after it is killed; a delegation starting by time
 * reaches the delegate's inbox stream; the per-user cap answers 429 `too_many_streams`.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { createDatabase, getProjectState, upsertProjectSnapshot, type Database } from '../../db';
import { createMetrics, queriesRun } from '../../server/metrics';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus, startProject as startBuiltin } from './drive-http';
import { SseStream } from './sse-client';
import { startApiStack, type ApiStack, type TestUser } from './stack';

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let other: Kysely<Database>;
  const metrics = createMetrics();
  const users: Record<string, TestUser> = {};
  const streams: SseStream[] = [];

  beforeAll(async () => {
    api = await startApiStack(factory, { metrics });
    // Another process's connection: what the worker writes through.
    other = createDatabase(api.databaseUrl);
    users.pmo = await api.user('pmo', { pmo: true });
    for (const id of ['pat', 'olga', 'mona', 'sue', 'stan', 'yves']) users[id] = await api.user(id);
  });
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await other.destroy();
    await api.stop();
  });

  async function startProject(name: string): Promise<string> {
    const id = await startBuiltin(api, users.pmo!, name);
    // The worker's first record write (it carries an attempt) would replace a state written
    // here before it, whatever its sequence: the test writes after it.
    await eventually(
      "the worker's snapshot",
      () => api.db.selectFrom('projects').select('attempt').where('id', '=', id).executeTakeFirst(),
      (row) => row?.attempt !== null && row?.attempt !== undefined,
    );
    return id;
  }

  async function open(path: string, user: TestUser): Promise<SseStream> {
    const stream = await SseStream.open(`${api.baseUrl}${path}`, {
      authorization: `Bearer ${user.token}`,
    });
    streams.push(stream);
    return stream;
  }

  /** Writes the project's state again one audit sequence on, through `db`. */
  async function bump(db: Kysely<Database>, id: string): Promise<number> {
    // The worker may store the project's next state first: then on from that one.
    for (let tries = 0; tries < 5; tries++) {
      const stored = (await getProjectState(db, id))!;
      const state = { ...stored, seq: stored.seq + 1, updatedAt: Date.now() };
      if (await upsertProjectSnapshot(db, state)) return state.seq;
    }
    throw new Error(`the snapshot of ${id} could not be written`);
  }

  /**
   * The first `state` event at `seq` or later within 5 s (the worker may write the project's
   * own next state meanwhile; either tells the change).
   */
  async function stateFrom(stream: SseStream, seq: number) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const event = await stream.next(Math.max(1, deadline - Date.now()));
      if (!event || (event.event === 'state' && Number(event.id) >= seq)) return event;
    }
  }

  /** The events that come within `ms`. */
  async function drain(stream: SseStream, ms: number) {
    const events = [];
    for (let e = await stream.next(ms); e; e = await stream.next(ms)) events.push(e);
    return events;
  }

  it("tells a write of another process to the project's stream and each participant's inbox stream", async () => {
    const id = await startProject('Fan out');
    const project = await open(`/api/projects/${id}/events`, users.pat!);
    const first = await project.next();
    expect(first?.event).toBe('state');
    const inboxes = await Promise.all(
      ['pat', 'olga', 'mona'].map((who) => open('/api/inbox/events', users[who]!)),
    );
    const before = await Promise.all(inboxes.map((s) => s.next()));
    expect(before.map((e) => e?.event)).toEqual(['inbox', 'inbox', 'inbox']);
    await drain(project, 300);
    await Promise.all(inboxes.map((s) => drain(s, 300)));

    const seq = await bump(other, id);
    expect(await stateFrom(project, seq)).toMatchObject({ event: 'state' });
    const after = await Promise.all(inboxes.map((s) => s.next(5_000)));
    after.forEach((event, i) => {
      expect(event?.event).toBe('inbox');
      expect(event?.id).not.toBe(before[i]?.id);
    });
  });

  it('costs about the queries of one stream with fifty idle streams open', async () => {
    const id = await startProject('Idle');
    /** Queries the API runs in a window long enough to hold a sign-in recheck (5 s). */
    const idleQueries = async () => {
      const start = await queriesRun(metrics);
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      return (await queriesRun(metrics)) - start;
    };
    const one = await open(`/api/projects/${id}/events`, users.pat!);
    expect((await one.next())?.event).toBe('state');
    await drain(one, 500);
    const withOne = await idleQueries();

    // Fifty more callers, each their own sign-in to check.
    const many = [];
    for (let i = 0; i < 50; i++) {
      const pmo = await api.user(`watcher-${factory.name}-${i}`, { pmo: true });
      many.push(await open(`/api/projects/${id}/events`, pmo));
    }
    const firsts = await Promise.all(many.map((s) => s.next()));
    expect(firsts.every((e) => e?.event === 'state')).toBe(true);
    await Promise.all(many.map((s) => drain(s, 300)));
    const withMany = await idleQueries();
    // Polling each stream would run about 50 × 2 queries every 500 ms; the shared feed runs
    // the same handful whatever the number (SQLite's poller, one batched sign-in check).
    expect(withMany).toBeLessThanOrEqual(withOne + 6);
    expect(withMany).toBeLessThanOrEqual(30);

    // And a change still reaches every one of them.
    const seq = await bump(other, id);
    const moved = await Promise.all(many.map((s) => stateFrom(s, seq)));
    expect(moved.map((e) => e?.event)).toEqual(many.map(() => 'state'));
  });

  it("tells a delegate's inbox stream when a delegation starts, with no write then", async () => {
    const id = await startProject('Handed over');
    const stream = await open('/api/inbox/events', users.yves!);
    const before = await stream.next();
    expect(before?.event).toBe('inbox');
    const startsAt = Date.now() + 1_500;
    const reply = await api.call('POST', '/api/delegations', {
      token: users.pat!.token,
      body: {
        delegate: 'yves',
        project: id,
        from: new Date(startsAt).toISOString(),
        until: new Date(startsAt + 3_600_000).toISOString(),
      },
    });
    expectStatus(reply, 201, 'pat delegates');
    await drain(stream, 200);
    const started = await stream.next(5_000);
    expect(Date.now()).toBeGreaterThanOrEqual(startsAt);
    expect(started?.event).toBe('inbox');
    expect(started?.id).not.toBe(before?.id);
    // Standing in for pat now, yves hears of pat's project moving.
    await drain(stream, 300);
    await bump(other, id);
    expect((await stream.next(5_000))?.event).toBe('inbox');
  });

  it('signs out only the streams of a caller no longer signed in, checked for all streams together', async () => {
    const id = await startProject('Signed out');
    const gone = await api.user(`leaver-${factory.name}`, { pmo: true });
    const stays = await Promise.all(
      ['pat', 'olga'].map((who) => open(`/api/projects/${id}/events`, users[who]!)),
    );
    const leaving = await open(`/api/projects/${id}/events`, gone);
    await Promise.all([...stays, leaving].map((s) => s.next()));
    const reply = await api.call('PATCH', `/api/users/${gone.id}`, {
      token: api.adminToken,
      body: { active: false },
    });
    expectStatus(reply, 200, 'deactivate');
    let event = await leaving.next(8_000);
    while (event?.event === 'state') event = await leaving.next(8_000);
    expect(event?.event).toBe('signed-out');
    // The others' streams stay open and live.
    expect(stays.map((s) => s.done)).toEqual([false, false]);
    const seq = await bump(other, id);
    const moved = await Promise.all(stays.map((s) => stateFrom(s, seq)));
    expect(moved.map((e) => e?.event)).toEqual(['state', 'state']);
  });

  if (factory.name === 'postgres') {
    it('listens again after its LISTEN connection is killed, misses no change, and lets go when no stream is open', async () => {
      const id = await startProject('Reconnect');
      const stream = await open(`/api/projects/${id}/events`, users.pat!);
      expect((await stream.next())?.event).toBe('state');
      const listeners = async () =>
        (
          await sql<{ pid: number }>`select pid from pg_stat_activity
            where datname = current_database() and application_name = 'gatehouse-changes'`.execute(
            other,
          )
        ).rows.map((r) => r.pid);
      const [killed] = await eventually('the listener', listeners, (p) => p.length === 1);
      await sql`select pg_terminate_backend(${killed})`.execute(other);
      await eventually('a new listener', listeners, (p) => p.length === 1 && p[0] !== killed);
      await drain(stream, 300);
      const seq = await bump(other, id);
      expect(await stateFrom(stream, seq)).toMatchObject({ event: 'state' });
      // With no stream open the feed stops: no connection is held for nobody.
      await stream.close();
      await eventually('no listener', listeners, (p) => p.length === 0, 5_000);
    });
  }
});

describe.each(eachDatabase())('the cap on open streams on $name', (factory) => {
  let api: ApiStack;
  let pat: TestUser;
  beforeAll(async () => {
    api = await startApiStack(
      factory,
      { security: { limits: { streamsPerUser: 2 } } },
      { worker: false },
    );
    pat = await api.user('pat');
  });
  afterAll(async () => api.stop());

  it('answers 429 too_many_streams past the cap, and a closed stream frees its slot', async () => {
    const url = `${api.baseUrl}/api/inbox/events`;
    const open = () => SseStream.open(url, { authorization: `Bearer ${pat.token}` });
    const held = [await open(), await open()];
    expect(held.map((s) => s.status)).toEqual([200, 200]);
    const refused = await api.call('GET', '/api/inbox/events', { token: pat.token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_streams' });
    await held.shift()!.close();
    const again = await eventually(
      'a free slot',
      async () => {
        const s = await open();
        if (s.status !== 200) await s.close();
        return s;
      },
      (s) => s.status === 200,
      5_000,
    );
    await again.close();
    await Promise.all(held.map((s) => s.close()));
  });
});
