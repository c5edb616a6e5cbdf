/**
 * A PIR that is a review (issue 13, item 3) over HTTP on SQLite and PostgreSQL: the steering
 * committee records decisions and follow-up actions on the current review, each action in its
 * owner's inbox until that owner completes it with a note; refusals with their status, code and
 * field (422, 403 not a reviewer / `not_responsible`, 404 unknown action, 409 not current or
 * already done), each changing nothing; everything audited.
 */
import type { PendingAction } from '../../workflows/lifecycle';
import type { ProjectView } from '../../server/contract';
import { eachDatabase } from '../support/databases';
import { pirTemplate } from '../fixtures/pir-template';
import { bodyOf, createUser, eventually, expectStatus, type ApiUser } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import { act, fieldErrors, publish } from './trust-support';

const marks = { 'benefits-measured': true, 'training-support': 8, 'strategic-fit': 7 };

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let pmo: ApiUser, pat: ApiUser, olga: ApiUser, stan: ApiUser, sue: ApiUser, sid: ApiUser;
  let projects = 0;
  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await createUser(api, 'pir-pmo', { pmo: true });
    const user = (name: string) => createUser(api, `pir-${name}`);
    [pat, olga, stan, sue, sid] = [
      await user('pat'),
      await user('olga'),
      await user('stan'),
      await user('sue'),
      await user('sid'),
    ];
    await publish(api, pmo, pirTemplate());
  });
  afterAll(async () => api.stop());

  const start = async () => {
    const reply = await api.call('POST', '/api/projects', {
      token: pmo.token,
      body: {
        name: `PIR ${++projects}`,
        template: pirTemplate().key,
        participants: {
          pm: [pat.id],
          ops: [olga.id],
          steering: [stan.id],
          support: [sue.id, sid.id],
        },
      },
    });
    return expectStatus(reply, 201, 'start').body.id as string;
  };
  const state = async (id: string) =>
    bodyOf<ProjectView>(
      await api.call('GET', `/api/projects/${id}`, { token: pmo.token }),
      200,
      'project',
    );
  const inbox = async (user: ApiUser, id: string) =>
    bodyOf<{ items: PendingAction[] }>(
      await api.call('GET', '/api/inbox?limit=200', { token: user.token }),
      200,
      'inbox',
    ).items.filter((item) => item.projectId === id);

  it('records decisions and actions, and the owner completes an action from the inbox', async () => {
    const id = await start();
    const decided = await act(api, stan, id, '/nodes/pir/review-decisions', {
      text: 'Roll out to the second region next quarter',
      idempotencyKey: 'd-1',
    });
    expect(expectStatus(decided, 201, 'decision').body.id).toBe('pir-1-d1');
    const toRole = { text: 'Refresher training', due: 'P14D', owner: 'support' };
    const set = await act(api, stan, id, '/nodes/pir/review-actions', {
      ...toRole,
      idempotencyKey: 'a-1',
    });
    expect(expectStatus(set, 201, 'action').body.id).toBe('pir-1-a1');
    const again = await act(api, stan, id, '/nodes/pir/review-actions', {
      ...toRole,
      idempotencyKey: 'a-1',
    });
    expect(again.body).toMatchObject({ replayed: true, id: 'pir-1-a1', seq: set.body.seq });
    const toSid = { text: 'Update the FAQ', due: '2099-06-30', assignee: sid.id };
    expectStatus(await act(api, olga, id, '/nodes/pir/review-actions', toSid), 201, 'to sid');

    const s = await state(id);
    expect(s.nodes.pir!.review!.decisions).toEqual([
      expect.objectContaining({
        id: 'pir-1-d1',
        by: stan.id,
        text: 'Roll out to the second region next quarter',
      }),
    ]);
    expect(s.conditions).toEqual([
      expect.objectContaining({ id: 'pir-1-a1', kind: 'review-action', owner: 'support' }),
      expect.objectContaining({
        id: 'pir-1-a2',
        owner: 'support',
        assignee: sid.id,
        dueAt: Date.parse('2099-06-30T23:59:59.999Z'),
      }),
    ]);
    await eventually(
      'the actions in their owners’ inboxes',
      async () => [await inbox(sue, id), await inbox(sid, id)] as const,
      ([mine, his]) => mine.length === 1 && his.length === 2,
    );
    expect((await inbox(sue, id))[0]).toMatchObject({
      action: 'complete-review-action',
      nodeId: 'pir',
      itemId: 'pir-1-a1',
      detail: 'Refresher training',
    });

    const done = await act(api, sue, id, '/review-actions/pir-1-a1/done', {
      note: 'Night shift trained, 14 of 14',
    });
    expectStatus(done, 200, 'done');
    const after = await state(id);
    expect(after.conditions[0]).toMatchObject({
      status: 'met',
      metBy: sue.id,
      note: 'Night shift trained, 14 of 14',
    });
    await eventually(
      'the done action off the inboxes',
      async () => [await inbox(sue, id), await inbox(sid, id)] as const,
      ([mine, his]) => mine.length === 0 && his.map((i) => i.itemId).join() === 'pir-1-a2',
    );
    const audit = await api.call('GET', `/api/projects/${id}/audit?limit=200`, {
      token: pmo.token,
    });
    const trail = (
      expectStatus(audit, 200, 'audit').body.items as { action: string; actor: string }[]
    )
      .filter((e) => e.action.startsWith('review.'))
      .map((e) => [e.action, e.actor]);
    expect(trail).toEqual([
      ['review.decision', stan.id],
      ['review.action-set', stan.id],
      ['review.action-set', olga.id],
      ['review.action-done', sue.id],
    ]);
  });

  it('refuses with the status, the code and the field, changing nothing', async () => {
    const id = await start();
    const path = '/nodes/pir/review-actions';
    const noOwner = await act(api, stan, id, path, { text: 'x', due: 'P1D' });
    expect(noOwner.status).toBe(400);
    expect(fieldErrors(noOwner)).toEqual(['body.owner: custom']);
    const badDue = await act(api, stan, id, path, { text: 'x', due: 'soon', owner: 'support' });
    expect(fieldErrors(badDue)[0]).toMatch(/^body\.due: /);
    const longText = await act(api, stan, id, '/nodes/pir/review-decisions', {
      text: 'x'.repeat(501),
    });
    expect(longText.status).toBe(422);
    expect(fieldErrors(longText)[0]).toMatch(/^body\.text: /);
    const ghost = await act(api, stan, id, path, { text: 'x', due: 'P1D', owner: 'ghost' });
    expect([ghost.status, ghost.body.code, fieldErrors(ghost)]).toEqual([
      422,
      'unknown_role',
      ['body.owner: unknown_role'],
    ]);
    const stranger = await act(api, stan, id, path, { text: 'x', due: 'P1D', assignee: pmo.id });
    expect([stranger.status, fieldErrors(stranger)]).toEqual([
      422,
      ['body.assignee: invalid_participants'],
    ]);
    const past = await act(api, stan, id, path, { text: 'x', due: '2020-01-01', owner: 'pm' });
    expect([past.status, fieldErrors(past)]).toEqual([422, ['body.due: out_of_range']]);
    const notReviewer = await act(api, pat, id, path, { text: 'x', due: 'P1D', owner: 'pm' });
    expect([notReviewer.status, notReviewer.body.code]).toEqual([403, 'not_signer']);
    const pmoToo = await act(api, pmo, id, '/nodes/pir/review-decisions', { text: 'x' });
    expect(pmoToo.status).toBe(403);
    const unknown = await act(api, sue, id, '/review-actions/pir-1-a7/done', {});
    expect([unknown.status, unknown.body.code]).toEqual([404, 'unknown_action']);
    expect((await state(id)).conditions).toEqual([]);

    expectStatus(
      await act(api, stan, id, path, { text: 'FAQ', due: 'P7D', owner: 'support' }),
      201,
      'action',
    );
    const notOwner = await act(api, stan, id, '/review-actions/pir-1-a1/done', {});
    expect([notOwner.status, notOwner.body.code]).toEqual([403, 'not_responsible']);
    expectStatus(await act(api, sid, id, '/review-actions/pir-1-a1/done'), 200, 'done');
    const twice = await act(api, sue, id, '/review-actions/pir-1-a1/done', { note: 'me too' });
    expect([twice.status, twice.body.code]).toEqual([409, 'already_done']);

    for (const user of [stan, olga]) {
      const body = { decision: 'go', criteria: marks };
      expectStatus(await act(api, user, id, '/nodes/pir/signoffs', body), 200, 'sign');
    }
    const late = await act(api, stan, id, '/nodes/pir/review-decisions', { text: 'late' });
    expect([late.status, late.body.code, fieldErrors(late)]).toEqual([
      409,
      'not_active',
      ['body.nodeId: not_active'],
    ]);
    const s = await state(id);
    expect(s.nodes.pir!.review).toBeUndefined();
    expect(s.conditions.map((c) => [c.id, c.status, c.metBy])).toEqual([
      ['pir-1-a1', 'met', sid.id],
    ]);
  });
});
