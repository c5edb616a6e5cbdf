/**
 * A project ended outside Gatehouse (its workflow terminated in Temporal) changes its status in
 * the read model but not its audit sequence (db/projects.ts `markTerminated`): the open event
 * streams must still hear of it. The project's stream sends the terminated state and its end;
 * the inbox streams of its participants tell their to-do lists to refetch (its actions are
 * gone). Real app on a real port, both databases; the project is written straight to the read
 * model (no worker), as the worker's record write would.
 */
import { builtinStart } from '../fixtures/builtin-start';
import type { Kysely } from 'kysely';
import { createDatabase, markTerminated, upsertProjectSnapshot, type Database } from '../../db';
import { opsIntegratedDelivery, seatParticipants } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { uniqueId } from '../support/temporal';
import { expectStatus } from './drive-http';
import { SseStream, type SseEvent } from './sse-client';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const participants = { ...seatParticipants(opsIntegratedDelivery), pm: ['pat'] };

describe.each(eachDatabase())('a project ended outside Gatehouse on $name', (factory) => {
  let api: ApiStack;
  let other: Kysely<Database>;
  let pat: TestUser;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    api = await startApiStack(factory, {}, { worker: false });
    // Another process's connection, as `gatehouse records repair` or another API's would be.
    other = createDatabase(api.databaseUrl);
    pat = await api.user('pat');
  });
  afterEach(async () => {
    await Promise.all(streams.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await other.destroy();
    await api.stop();
  });

  /** A running project of pat's, in the read model. */
  async function running(): Promise<string> {
    const id = uniqueId('ended');
    expect(await upsertProjectSnapshot(api.db, builtinStart(id, participants))).toBe(true);
    return id;
  }

  async function open(path: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const stream = await SseStream.open(`${api.baseUrl}${path}`, {
      authorization: `Bearer ${pat.token}`,
      ...headers,
    });
    streams.push(stream);
    return stream;
  }

  /** The events that come within `ms` of each other. */
  async function drain(stream: SseStream, ms: number): Promise<SseEvent[]> {
    const events = [];
    for (let e = await stream.next(ms); e; e = await stream.next(ms)) events.push(e);
    return events;
  }

  it("sends the terminated state and the end to the project's open stream, and to a reconnect", async () => {
    const id = await running();
    const stream = await open(`/api/projects/${id}/events`);
    const first = await stream.next();
    expect(first).toMatchObject({ event: 'state' });
    const seen = first!.id!;
    expect(JSON.parse(first!.data)).toMatchObject({ status: 'active' });
    await drain(stream, 300);

    expect(await markTerminated(other, id)).toBe(true);
    const told = await stream.next(5_000);
    expect(told).toMatchObject({ event: 'state' });
    expect(JSON.parse(told!.data)).toMatchObject({ status: 'terminated' });
    expect((await stream.next(5_000))?.event).toBe('end');

    // A client that was away when it ended hears of it when it reconnects…
    const back = await open(`/api/projects/${id}/events`, { 'last-event-id': seen });
    expect(back.status).toBe(200);
    const missed = await back.next();
    expect(JSON.parse(missed!.data)).toMatchObject({ status: 'terminated' });
    expect((await back.next())?.event).toBe('end');
    // …and one that saw the end is told to stop reconnecting.
    const done = await open(`/api/projects/${id}/events`, { 'last-event-id': told!.id! });
    expect(done.status).toBe(204);
  });

  it("tells the participants' inbox streams that their to-do lists changed", async () => {
    const id = await running();
    const todo = await api.call('GET', '/api/inbox', { token: pat.token });
    expectStatus(todo, 200, 'inbox');
    expect(todo.body.items.some((a: { projectId: string }) => a.projectId === id)).toBe(true);
    const stream = await open('/api/inbox/events');
    const before = await stream.next();
    expect(before?.event).toBe('inbox');
    await drain(stream, 300);

    expect(await markTerminated(other, id)).toBe(true);
    const after = await stream.next(5_000);
    expect(after?.event).toBe('inbox');
    expect(JSON.parse(after!.data).actions).not.toBe(JSON.parse(before!.data).actions);
    const now = await api.call('GET', '/api/inbox', { token: pat.token });
    expect(now.body.items.some((a: { projectId: string }) => a.projectId === id)).toBe(false);
  });
});
