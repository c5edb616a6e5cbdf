/**
 * Feedback reaches whoever is expected to answer it (issue 13, item 6), over HTTP on SQLite and
 * PostgreSQL with the real app, worker and Temporal dev server: a frontline participant's item
 * is in the to-do inbox (`GET /api/inbox`, action `answer-feedback`) of the stewards of the node
 * it was posted at; acknowledged for an owner it is that owner's alone; closed, it leaves every
 * inbox. Refusals keep their codes (403 not a steward, 422 no response, 409 closed).
 */
import type { PendingAction } from '../../workflows/lifecycle';
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually, expectStatus, type ApiUser } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  FRONTLINE_ROLE,
  hypercareTemplate,
  startWithFrontline,
  expectFeedbackTodos,
  type People,
} from './trust-support';

/** Hypercare first (no owner: its exit signers, the ops users, are its stewards), frontline. */
function feedbackTemplate(): Template {
  const base = hypercareTemplate();
  return { ...base, roles: [...base.roles, FRONTLINE_ROLE] };
}

describe.each(eachDatabase())('feedback in the inbox on $name', (factory) => {
  let api: ApiStack;
  let p: People;
  let fran: ApiUser;
  let id: string;

  beforeAll(async () => {
    api = await startApiStack(factory);
    ({ p, fran, id } = await startWithFrontline(api, 'fbi', feedbackTemplate()));
  });
  afterAll(async () => api.stop());

  /** Waits until each user's feedback to-dos are as expected (the record write is async). */
  const expectTodos = async (expected: [ApiUser, unknown[]][]) => {
    for (const [user, items] of expected) await expectFeedbackTodos(api, user, id, items);
  };

  it("lists a frontline item in its stewards' inbox until it is acted on", async () => {
    const posted = await act(api, fran, id, '/feedback', {
      kind: 'feedback',
      text: 'The new tills are slow at lunch',
    });
    const feedbackId = expectStatus(posted, 201, 'post').body.id as string;
    const path = `/feedback/${feedbackId}/status`;
    // The hypercare's stewards have it; the PM and the poster do not.
    await expectTodos([
      [p.olga, [[feedbackId, 'open']]],
      [p.omar, [[feedbackId, 'open']]],
      [p.pat, []],
      [fran, []],
    ]);
    const item = bodyOf<{ items: PendingAction[] }>(
      await api.call('GET', '/api/inbox', { token: p.olga.token }),
      200,
      'inbox',
    ).items.find((a) => a.itemId === feedbackId);
    expect(item).toMatchObject({
      projectName: 'Tills',
      nodeId: 'hypercare',
      nodeName: 'Hypercare',
      roles: ['ops'],
      detail: 'open',
      feedback: { kind: 'feedback', text: 'The new tills are slow at lunch' },
    });

    // Refusals as before: not a steward, no response, and closed once closed.
    const notMine = await act(api, p.pat, id, path, { status: 'acknowledged' });
    expect([notMine.status, notMine.body.code]).toEqual([403, 'not_responsible']);
    expect(notMine.headers.get('content-type')).toContain('application/problem+json');

    // olga takes it on for omar: omar's alone now.
    const ack = { status: 'acknowledged', owner: p.omar.id, response: 'Looking into it' };
    expectStatus(await act(api, p.olga, id, path, ack), 200, 'acknowledge');
    await expectTodos([
      [p.omar, [[feedbackId, 'acknowledged']]],
      [p.olga, []],
    ]);
    const silent = await act(api, p.omar, id, path, { status: 'acted_on' });
    expect([silent.status, silent.body.code]).toEqual([422, 'invalid_input']);
    await expectTodos([[p.omar, [[feedbackId, 'acknowledged']]]]);

    const done = { status: 'acted_on', response: 'Lunch-time till added' };
    expectStatus(await act(api, p.omar, id, path, done), 200, 'acted on');
    await expectTodos([
      [p.omar, []],
      [p.olga, []],
    ]);
    const closed = await act(api, p.olga, id, path, { status: 'declined', response: 'No' });
    expect([closed.status, closed.body.code]).toEqual([409, 'feedback_closed']);

    // The poster heard both answers.
    await eventually(
      "the poster's notifications",
      async () =>
        bodyOf<{ items: { subject: string }[] }>(
          await api.call('GET', `/api/inbox/notifications?project=${id}`, { token: fran.token }),
          200,
          'notifications',
        ).items.map((n) => n.subject),
      (subjects) =>
        subjects.some((s) => s.includes('acknowledged')) &&
        subjects.some((s) => s.includes('acted on')),
    );
  });

  it("declines from the steward's inbox without taking it on first", async () => {
    const posted = await act(api, fran, id, '/feedback', { kind: 'lesson', text: 'Pilot first' });
    const feedbackId = expectStatus(posted, 201, 'post').body.id as string;
    await expectTodos([[p.omar, [[feedbackId, 'open']]]]);
    const listed = bodyOf<{ items: PendingAction[] }>(
      await api.call('GET', '/api/inbox', { token: p.omar.token }),
      200,
      'inbox',
    ).items.find((a) => a.itemId === feedbackId);
    expect(listed?.feedback).toEqual({ kind: 'lesson', text: 'Pilot first' });
    const path = `/feedback/${feedbackId}/status`;
    const no = { status: 'declined', response: 'We did pilot' };
    expectStatus(await act(api, p.omar, id, path, no), 200, 'declined');
    await expectTodos([
      [p.omar, []],
      [p.olga, []],
    ]);
  });
});
