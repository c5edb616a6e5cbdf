/**
 * Feedback follows reassignment and people hear about it (patch "feedback-handover"), over HTTP
 * on SQLite and PostgreSQL with the real app, worker and Temporal dev server: a frontline item
 * tells the hypercare's stewards; given to omar, it tells omar; when the PMO gives omar's ops
 * seat to vic, the item is vic's (audit entry `feedback.handed-over`), vic hears of it and has
 * it to do, and omar no longer does.
 */
import type { AuditEntry, Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { bodyOf, createUser, eventually, expectStatus, type ApiUser } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  FRONTLINE_ROLE,
  hypercareTemplate,
  projectAs,
  startWithFrontline,
  expectFeedbackTodos,
  type People,
} from './trust-support';

/** Hypercare first (no owner: its exit signers, the ops users, are its stewards), frontline. */
function feedbackTemplate(): Template {
  const base = hypercareTemplate();
  return { ...base, key: 'feedback-handover', roles: [...base.roles, FRONTLINE_ROLE] };
}

describe.each(eachDatabase())('feedback handed over on $name', (factory) => {
  let api: ApiStack;
  let p: People;
  let fran: ApiUser;
  let vic: ApiUser;
  let id: string;

  beforeAll(async () => {
    api = await startApiStack(factory);
    ({ p, fran, id } = await startWithFrontline(api, 'fho', feedbackTemplate()));
    vic = await createUser(api, 'fho-vic');
  });
  afterAll(async () => api.stop());

  /** Waits until `user` has the feedback notifications `subjects` of this project. */
  const expectNotices = (user: ApiUser, subjects: string[]) =>
    eventually(
      `${user.id}'s feedback notifications`,
      async () =>
        bodyOf<{ items: { subject: string }[] }>(
          await api.call('GET', `/api/inbox/notifications?project=${id}&kind=feedback`, {
            token: user.token,
          }),
          200,
          'notifications',
        )
          .items.map((n) => n.subject)
          .sort(),
      (got) => JSON.stringify(got) === JSON.stringify([...subjects].sort()),
    );
  const expectTodos = (user: ApiUser, items: unknown[]) =>
    expectFeedbackTodos(api, user, id, items);

  it('tells the stewards and the owner, and goes with the owner’s seat to the successor', async () => {
    const posted = await act(api, fran, id, '/feedback', {
      kind: 'feedback',
      text: 'The new tills are slow at lunch',
    });
    const feedbackId = expectStatus(posted, 201, 'post').body.id as string;
    await expectNotices(p.olga, ['Tills: new feedback to answer']);
    await expectNotices(p.omar, ['Tills: new feedback to answer']);
    await expectNotices(fran, []);

    const ack = { status: 'acknowledged', owner: p.omar.id, response: 'Looking into it' };
    expectStatus(await act(api, p.olga, id, `/feedback/${feedbackId}/status`, ack), 200, 'ack');
    await expectNotices(p.omar, ['Tills: new feedback to answer', 'Tills: feedback given to you']);
    await expectTodos(p.omar, [[feedbackId, 'acknowledged']]);

    const move = { role: 'ops', from: p.omar.id, to: vic.id, reason: 'omar moved team' };
    expectStatus(await act(api, p.pmo, id, '/participants/reassign', move), 200, 'reassign');
    await expectNotices(vic, ['Tills: feedback handed over to you']);
    await expectTodos(vic, [[feedbackId, 'acknowledged']]);
    await expectTodos(p.omar, []);
    await expectTodos(p.olga, []);
    const view = await projectAs<{ feedback: { id: string; owner?: string }[] }>(api, p.pmo, id);
    expect(view.feedback.find((f) => f.id === feedbackId)).toMatchObject({ owner: vic.id });
    const trail = bodyOf<{ items: AuditEntry[] }>(
      await api.call('GET', `/api/projects/${id}/audit?limit=200`, { token: p.pmo.token }),
      200,
      'audit',
    ).items.filter((e) => e.action === 'feedback.handed-over');
    expect(trail).toEqual([
      expect.objectContaining({
        actor: p.pmo.id,
        reason: 'omar moved team',
        detail: { id: feedbackId, role: 'ops', from: p.omar.id, to: vic.id },
      }),
    ]);

    // The new owner closes it; the old one may no longer answer.
    const gone = await act(api, p.omar, id, `/feedback/${feedbackId}/status`, {
      status: 'acted_on',
      response: 'Added a till',
    });
    expect(gone.status).toBe(403);
    const done = { status: 'acted_on', response: 'Lunch-time till added' };
    expectStatus(await act(api, vic, id, `/feedback/${feedbackId}/status`, done), 200, 'close');
    await expectTodos(vic, []);
  });
});
