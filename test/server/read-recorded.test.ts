/**
 * Reading a project answers from the read model, recorded before every action answered: it
 * never waits for a worker. Temporal's server is still asked whether the workflow was ended
 * outside Gatehouse (trust-records.test.ts); the workflow's own state is compared with the read
 * model in the background, and a read model ahead of the workflow (a reset, an attempt that
 * never reached the history) is rewritten to it and sent to the project's open stream. With
 * Temporal's server out of reach a read waits for it only briefly (an ended project not at all).
 * Real API on a real port, real Temporal, both databases.
 */
import { getEventListeners } from 'node:events';
import { getProjectState, upsertProjectSnapshot } from '../../db';
import type { ProjectView } from '../../server/contract';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually } from './drive-http';
import { SseStream } from './sse-client';
import { startApiStack, type ApiStack } from './stack';
import { hypercareTemplate, people, startOn, type People } from './trust-support';
import { withTemporalUnreachable } from './unreachable-temporal';

/** Far longer than a read may take: a read that waited for a worker would wait this long. */
const LIMIT_MS = 60_000;

describe.each(eachDatabase())('$name', (factory) => {
  describe('with no worker polling', () => {
    let api: ApiStack;
    let p: People;
    beforeAll(async () => {
      api = await startApiStack(factory, { actionTimeoutMs: LIMIT_MS }, { worker: false });
      p = await people(api, 'idle');
    });
    afterAll(async () => api.stop());

    it('opens a project at once, from the read model', async () => {
      const id = await startOn(api, p, hypercareTemplate());
      const started = Date.now();
      const read = await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token });
      const elapsed = Date.now() - started;
      expect(bodyOf<ProjectView>(read, 200, 'get')).toMatchObject({ id, status: 'active' });
      // Before, the read waited the whole limit for the workflow's answer, then fell back.
      expect(elapsed).toBeLessThan(LIMIT_MS / 4);
    });

    it("answers without Temporal's server, open and ended projects alike", async () => {
      const open = await startOn(api, p, hypercareTemplate());
      const ended = await startOn(api, p, hypercareTemplate());
      const state = (await getProjectState(api.db, ended))!;
      expect(
        await upsertProjectSnapshot(api.db, { ...state, seq: state.seq + 1, status: 'cancelled' }),
      ).toBe(true);
      await withTemporalUnreachable(api, LIMIT_MS, async (base) => {
        for (const [id, status] of [
          [open, 'active'],
          [ended, 'cancelled'],
        ]) {
          const started = Date.now();
          const read = await fetch(`${base}/api/projects/${id}`, {
            headers: { authorization: `Bearer ${p.pmo.token}` },
          });
          expect([read.status, await read.json()]).toMatchObject([200, { id, status }]);
          // Before, the read waited the whole limit for the server's answer.
          expect(Date.now() - started).toBeLessThan(LIMIT_MS / 4);
        }
      });
    });
  });

  describe('with a worker', () => {
    let api: ApiStack;
    let p: People;
    // The API's own "stopping" signal, to see what listens to it.
    const stopping = new AbortController();
    beforeAll(async () => {
      api = await startApiStack(factory, { stopping: stopping.signal });
      p = await people(api, 'ahead');
    });
    afterAll(async () => {
      stopping.abort();
      await api.stop();
    });

    it("keeps no listener on the API's stopping signal per read", async () => {
      const ids = await Promise.all([1, 2, 3].map(() => startOn(api, p, hypercareTemplate())));
      for (let round = 0; round < 5; round++) {
        for (const id of ids) {
          const read = await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token });
          expect(read.status).toBe(200);
        }
      }
      // The Temporal client adds a listener to the signal of each call and never removes it.
      expect(getEventListeners(stopping.signal, 'abort').length).toBeLessThanOrEqual(1);
    });

    it('rewrites a read model ahead of the workflow, and the open stream hears of it', async () => {
      const id = await startOn(api, p, hypercareTemplate());
      const recorded = await eventually(
        "the worker's snapshot",
        () => getProjectState(api.db, id),
        (state) => (state?.seq ?? 0) > 1,
      );
      // As a workflow reset to an earlier point leaves it: the read model holds a later state,
      // of a later workflow task attempt than any the workflow's own writes carry now.
      const ahead = { ...recorded!, seq: recorded!.seq + 5, name: 'Never happened' };
      const later = '9'.repeat(40);
      expect(await upsertProjectSnapshot(api.db, ahead, { force: true, attempt: later })).toBe(
        true,
      );
      const stream = await SseStream.open(`${api.baseUrl}/api/projects/${id}/events`, {
        authorization: `Bearer ${p.pmo.token}`,
      });
      try {
        expect(JSON.parse((await stream.next())!.data)).toMatchObject({ name: 'Never happened' });
        // The read answers what is recorded, and has the workflow's state compared with it.
        const read = await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token });
        expect(bodyOf<ProjectView>(read, 200, 'get')).toMatchObject({ name: 'Never happened' });
        const told = await stream.next(20_000);
        expect(told?.event).toBe('state');
        const back = JSON.parse(told!.data) as ProjectView;
        expect(back.name).toBe(recorded!.name);
        expect(back.seq).toBeLessThan(ahead.seq);
        const stored = await getProjectState(api.db, id);
        expect(stored?.name).toBe(recorded!.name);
        expect(stored?.seq).toBeLessThan(ahead.seq);
        // Reads go on answering the workflow's state, now recorded again.
        const again = await api.call('GET', `/api/projects/${id}`, { token: p.pmo.token });
        expect(bodyOf<ProjectView>(again, 200, 'get')).toMatchObject({ name: recorded!.name });
      } finally {
        await stream.close();
      }
    });
  });
});
