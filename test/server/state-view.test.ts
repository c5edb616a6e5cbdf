/**
 * A project's state as it leaves the API carries the project's data, never the workflow's
 * idempotency bookkeeping: neither `keys` (by scope) nor the legacy `idempotency` map, whose
 * entries name the raw key a caller sent. `GET /api/projects/:id` (the workflow's state, or the
 * read model's) and the `state` event of its stream, on SQLite and PostgreSQL, also for a
 * project whose read model an older version wrote with a legacy key; and the OpenAPI
 * document's closed check fails an answer or an event that still carries them.
 */
import { upsertProjectSnapshot } from '../../db';
import type { ProjectState } from '../../workflows/model';
import { builtinStart } from '../fixtures/builtin-start';
import { createAnswerChecker } from '../support/answer-check';
import { eachDatabase } from '../support/databases';
import { bodyOf, expectStatus } from './drive-http';
import { SseStream, type SseEvent } from './sse-client';
import { startApiStack, type ApiStack } from './stack';
import { act, hypercareTemplate, people, startOn, type People } from './trust-support';

type Shown = Record<string, unknown>;

const BOOKKEEPING = ['keys', 'idempotency'];

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'view');
  });
  afterAll(async () => api.stop());

  const getProject = async (id: string, user: { token: string }) =>
    bodyOf<Shown>(await api.call('GET', `/api/projects/${id}`, { token: user.token }), 200, id);

  /** The first event of the project's stream: its `state`. */
  async function stateEvent(id: string, user: { token: string }): Promise<SseEvent> {
    const stream = await SseStream.open(`${api.baseUrl}/api/projects/${id}/events`, {
      authorization: `Bearer ${user.token}`,
    });
    try {
      const event = await stream.next();
      expect(event?.event).toBe('state');
      return event!;
    } finally {
      await stream.close();
    }
  }

  function expectNoBookkeeping(shown: Shown, rawKey: string) {
    for (const field of BOOKKEEPING) expect(shown).not.toHaveProperty(field);
    expect(JSON.stringify(shown)).not.toContain(rawKey);
  }

  /** A started project on which olga posted feedback under an idempotency key. */
  async function keyedProject(rawKey: string): Promise<string> {
    const id = await startOn(api, p, hypercareTemplate());
    const body = { kind: 'feedback', text: 'Ops joined early', idempotencyKey: rawKey };
    expectStatus(await act(api, p.olga, id, '/feedback', body), 201, 'keyed feedback');
    return id;
  }

  it('shows neither map of a project whose workflow holds a key', async () => {
    const id = await keyedProject('fb-raw-key');
    const shown = await getProject(id, p.pmo);
    expect(shown.feedback).toHaveLength(1);
    expectNoBookkeeping(shown, 'fb-raw-key');
    const event = await stateEvent(id, p.olga);
    const streamed = JSON.parse(event.data) as Shown;
    expect(streamed.feedback).toHaveLength(1);
    expectNoBookkeeping(streamed, 'fb-raw-key');
  });

  it('shows no legacy key of a project an older version recorded', async () => {
    const id = `legacy-view-${factory.name}`;
    const participants = { pm: [p.pat.id], 'ops-lead': [p.olga.id] };
    const state = builtinStart(id, participants, { startedBy: p.pmo.id });
    // As code before scoped keys wrote the read model: no version, no `keys`, a raw key.
    const { version: _v, keys: _k, feedbackCount: _f, ...old } = state;
    const idempotency = {
      'k:legacy-raw-key': {
        type: 'feedback',
        result: { status: 'active', current: state.current },
      },
    };
    await upsertProjectSnapshot(api.db, { ...old, idempotency } as unknown as ProjectState);
    // No workflow answers for it: both read the read model's snapshot.
    const shown = await getProject(id, p.pat);
    expect(shown.name).toBe(state.name);
    expectNoBookkeeping(shown, 'legacy-raw-key');
    const event = await stateEvent(id, p.olga);
    expectNoBookkeeping(JSON.parse(event.data) as Shown, 'legacy-raw-key');
  });

  it('fails the document check for an answer or event still carrying them', async () => {
    const id = await keyedProject('fb-check-key');
    const url = `/api/projects/${id}`;
    const shown = await getProject(id, p.pmo);
    const event = await stateEvent(id, p.pmo);
    const legacy = { 'k:x': { type: 'feedback', result: { status: 'active', current: [] } } };
    const internal = { keys: {}, idempotency: legacy };
    const checker = createAnswerChecker();
    const answer = (body: Shown) =>
      checker.inspect({
        route: 'getProject',
        method: 'GET',
        url,
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify(body),
      });
    const stateItem = (data: Shown) =>
      checker.inspectEvent(`${url}/events`, {
        id: event.id!,
        event: 'state',
        data: JSON.stringify(data),
      });
    answer(shown);
    stateItem(JSON.parse(event.data) as Shown);
    expect(checker.take()).toEqual([]);
    answer({ ...shown, ...internal });
    stateItem({ ...(JSON.parse(event.data) as Shown), ...internal });
    expect(checker.take()).toEqual([
      `getProject: GET ${url} → 200: /keys is not declared; /idempotency is not declared`,
      `events: GET ${url}/events event state: /data/keys is not declared; /data/idempotency is not declared`,
    ]);
  });
});
