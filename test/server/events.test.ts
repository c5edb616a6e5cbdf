/**
 * `GET /api/projects/:id/events`: Server-Sent Events of state changes, read the way a browser
 * reads them. The event id is the state's audit sequence: a client that reconnects with
 * `Last-Event-ID` misses nothing and gets nothing twice.
 */
import { opsIntegratedDelivery } from '../../workflows/model';
import type { ProjectStateView } from '../../server/contract';
import { eachDatabase } from '../support/databases';
import { fullMarks, nodeOf } from '../workflows/drive';
import { expectStatus, startProject } from './drive-http';
import { SseStream, type SseEvent } from './sse-client';
import { liveStack } from './live-stack';
import type { TestUser } from './stack';

/** Long enough for the server to poll the read model a few times (it polls every 500 ms). */
const QUIET_MS = 1_600;

describe.each(eachDatabase())('$name', (factory) => {
  const s = liveStack(factory);

  const startCrm = () => startProject(s.api, s.pmo, 'CRM rollout');

  async function act(user: TestUser, id: string, path: string, body: unknown): Promise<void> {
    const reply = await s.api.call('POST', `/api/projects/${id}${path}`, {
      token: user.token,
      body,
    });
    expectStatus(reply, 200, `POST ${path}`);
  }

  async function open(id: string, user: TestUser, lastEventId?: string): Promise<SseStream> {
    const stream = await SseStream.open(`${s.api.baseUrl}/api/projects/${id}/events`, {
      authorization: `Bearer ${user.token}`,
      ...(lastEventId !== undefined && { 'last-event-id': lastEventId }),
    });
    s.streams.push(stream);
    return stream;
  }

  /** The next `state` event whose state satisfies `until`, checking each event on the way. */
  async function nextState(
    stream: SseStream,
    until: (state: ProjectStateView) => boolean = () => true,
  ): Promise<{ event: SseEvent; state: ProjectStateView }> {
    for (;;) {
      const event = await stream.next();
      if (!event) throw new Error('no state event came');
      expect(event.event).toBe('state');
      const state = JSON.parse(event.data) as ProjectStateView;
      expect(event.id).toBe(String(state.seq));
      if (until(state)) return { event, state };
    }
  }

  it('streams each change with a higher id and resumes from Last-Event-ID', async () => {
    const id = await startCrm();
    const inception = nodeOf(opsIntegratedDelivery, 'inception');
    const deliverables = inception.type === 'gate' ? (inception.deliverables ?? []) : [];
    for (const d of deliverables.filter((x) => x.required))
      await act(s.pat, id, `/nodes/inception/deliverables/${d.id}`, { text: d.name });
    const go = { decision: 'go', criteria: fullMarks(inception) };
    // Operations agree the metrics: the inception gate waits for that before a go.
    await act(s.olga, id, '/metrics/agree', {});

    const live = await open(id, s.olga);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toContain('text/event-stream');
    expect(live.headers.get('cache-control')).toContain('no-cache');
    // The first event is the current state; the read model may still catch up on deliverables.
    const first = await nextState(live);
    const allIn = (state: ProjectStateView) =>
      Object.keys(state.nodes.inception!.deliverables).length === 4 &&
      state.metrics?.agreed !== undefined;
    const ready = allIn(first.state) ? first : await nextState(live, allIn);

    await act(s.pat, id, '/nodes/inception/signoffs', go);
    const signed = await nextState(live);
    expect(Number(signed.event.id)).toBeGreaterThan(Number(ready.event.id));
    expect(signed.state.nodes.inception!.votes).toEqual([
      expect.objectContaining({ userId: 'pat', decision: 'go' }),
    ]);
    await live.close();

    // Reconnecting with the latest id: nothing until the next change, which then comes once.
    const resumed = await open(id, s.olga, signed.event.id);
    expect(await resumed.next(QUIET_MS)).toBeUndefined();
    await act(s.olga, id, '/nodes/inception/signoffs', go);
    const passed = await nextState(resumed);
    expect(Number(passed.event.id)).toBeGreaterThan(Number(signed.event.id));
    expect(passed.state.current).toEqual(['operationalization-plan']);
    expect(await resumed.next(QUIET_MS)).toBeUndefined();

    // Reconnecting with an older id: the current state at once.
    const behind = await open(id, s.pat, first.event.id);
    const caughtUp = await nextState(behind);
    expect(caughtUp.event.id).toBe(passed.event.id);
    expect(caughtUp.state.current).toEqual(['operationalization-plan']);
  });

  it('ends the stream when the project closes', async () => {
    const id = await startCrm();
    const stream = await open(id, s.pmo);
    await nextState(stream);
    await act(s.pmo, id, '/cancel', { reason: 'merged into another project' });
    const cancelled = await nextState(stream, (state) => state.status === 'cancelled');
    expect(cancelled.state.status).toBe('cancelled');
    expect(await stream.next()).toEqual({ event: 'end', data: '{"status":"cancelled"}' });
    expect(await stream.next()).toBeUndefined();
    expect(stream.done).toBe(true);

    // A client that saw the end is told not to reconnect (EventSource stops on 204)...
    const again = await open(id, s.pmo, cancelled.event.id);
    expect(again.status).toBe(204);
    // ...while a newcomer still gets the final state and the end.
    const late = await open(id, s.pat);
    expect((await nextState(late)).state.status).toBe('cancelled');
    expect((await late.next())?.event).toBe('end');
    expect(await late.next()).toBeUndefined();
    expect(late.done).toBe(true);
  });

  it('streams only to participants and the PMO', async () => {
    const id = await startCrm();
    const stranger = await s.api.user(`stranger-${factory.name}`);
    const refused = await open(id, stranger);
    expect(refused.status).toBe(403);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await open('no-such-project', s.pmo)).status).toBe(404);
    const anonymous = await SseStream.open(`${s.api.baseUrl}/api/projects/${id}/events`, {});
    s.streams.push(anonymous);
    expect(anonymous.status).toBe(401);
  });
});
