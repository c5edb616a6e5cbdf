/**
 * Co-created metrics and KPI reviews that are done (issue 13 items 1 and 4), over HTTP on
 * SQLite and PostgreSQL: the project's own targets within the template's range, refusals with
 * their status and field, operations' agreement a gate waits for, the metrics fixed once it
 * passed; a KPI review in the reviewers' inbox until one does it, its follow-up in the owner's.
 */
import type { Template } from '../../workflows/model';
import type { ProjectStateView } from '../../server/contract';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import { SseStream } from './sse-client';
import {
  act,
  fieldErrors,
  monitorTemplate,
  pmOpsTemplate,
  PM_AND_OPS_SIGN,
  projectAs,
  startOn,
  todosIn,
} from './trust-support';
import { trustStack } from './trust-stack';

/** An inception gate (pm + ops) that waits for operations to agree the metrics, then a stage. */
function inceptionTemplate(): Template {
  return pmOpsTemplate('metrics', {
    name: 'Metrics agreed at inception',
    metrics: [
      {
        key: 'adoption',
        name: 'Adoption',
        unit: '%',
        baseline: 10,
        target: 80,
        direction: 'increase',
        min: 0,
        max: 100,
      },
    ],
    start: 'inception',
    nodes: [
      {
        id: 'inception',
        type: 'gate',
        name: 'Inception',
        signoff: PM_AND_OPS_SIGN,
        decisions: ['go', 'kill'],
        metricsAgreed: true,
      },
      { id: 'plan', type: 'stage', name: 'Plan', owner: 'pm', deliverables: [] },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'inception', to: 'plan', on: 'go' },
      { from: 'plan', to: 'done', on: 'done' },
      { from: 'inception', to: 'killed', on: 'kill' },
    ],
  });
}

/** A monitor from the start whose reviews (every 2 s) are due 1 min after their period. */
const reviewTemplate = () => monitorTemplate(2, { reviewWithin: 'PT60S', escalate: ['pm'] });

describe.each(eachDatabase())('$name', (factory) => {
  const s = trustStack(factory, 'metrics');

  const state = (id: string) => projectAs(s.api, s.pmo, id);
  const inbox = (user: { token: string }, id: string) => todosIn(s.api, user, id);

  it('sets, refuses, agrees and fixes the project’s own metrics', async () => {
    const id = await startOn(s.api, s, inceptionTemplate());
    const set = await act(s.api, s.pat, id, '/metrics', {
      metrics: { adoption: { baseline: 25, target: 90 } },
      delivery: { targetDate: '2027-03-31', budget: 120000, currency: 'EUR' },
      idempotencyKey: 'm-1',
    });
    expectStatus(set, 200, 'set metrics');
    // The same key and body answer the first result again.
    const again = await act(s.api, s.pat, id, '/metrics', {
      metrics: { adoption: { baseline: 25, target: 90 } },
      delivery: { targetDate: '2027-03-31', budget: 120000, currency: 'EUR' },
      idempotencyKey: 'm-1',
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, seq: set.body.seq });
    expect((await state(id)).metrics).toMatchObject({
      values: { adoption: { baseline: 25, target: 90 } },
      delivery: { targetDate: '2027-03-31', budget: 120000, currency: 'EUR' },
      changedBy: s.pat.id,
    });

    const high = await act(s.api, s.olga, id, '/metrics', {
      metrics: { adoption: { target: 120 } },
    });
    expect(high.status).toBe(422);
    expect(high.body.code).toBe('out_of_range');
    expect(fieldErrors(high)).toEqual(['body.metrics.adoption.target: out_of_range']);
    expect(high.body.errors[0].message).toContain('0 … 100');
    const unknown = await act(s.api, s.olga, id, '/metrics', { metrics: { nps: { target: 1 } } });
    expect(fieldErrors(unknown)).toEqual(['body.metrics.nps: unknown_metric']);
    const badDate = await act(s.api, s.olga, id, '/metrics', { delivery: { targetDate: 'soon' } });
    expect(badDate.status).toBe(400);
    expect(fieldErrors(badDate)[0]).toMatch(/^body\.delivery\.targetDate: /);
    const outsider = await act(s.api, s.stranger as never, id, '/metrics', {
      metrics: { adoption: { target: 50 } },
    });
    expect(outsider.status).toBe(403);
    expect((await state(id)).metrics!.values).toEqual({ adoption: { baseline: 25, target: 90 } });

    // The gate waits for operations; the ops participants see the agreement in their inbox.
    expect((await inbox(s.olga, id)).map((i) => i.action).sort()).toEqual([
      'agree-metrics',
      'signoff',
    ]);
    const early = await act(s.api, s.pat, id, '/nodes/inception/signoffs', { decision: 'go' });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('metrics_not_agreed');
    expect(fieldErrors(early)).toEqual(['body.decision: metrics_not_agreed']);
    const notOps = await act(s.api, s.pat, id, '/metrics/agree', {});
    expect([notOps.status, notOps.body.code]).toEqual([403, 'not_allowed']);
    expectStatus(
      await act(s.api, s.olga, id, '/metrics/agree', { comment: 'Desk agrees' }),
      200,
      'agree',
    );
    expect((await state(id)).metrics!.agreed).toMatchObject({ by: s.olga.id, role: 'ops' });
    const twice = await act(s.api, s.omar, id, '/metrics/agree', {});
    expect([twice.status, twice.body.code]).toEqual([409, 'already_agreed']);
    await eventually(
      'the agreement off the inbox',
      () => inbox(s.omar, id),
      (items) => !items.some((i) => i.action === 'agree-metrics'),
    );

    expectStatus(
      await act(s.api, s.pat, id, '/nodes/inception/signoffs', { decision: 'go' }),
      200,
      'pm go',
    );
    expectStatus(
      await act(s.api, s.olga, id, '/nodes/inception/signoffs', { decision: 'go' }),
      200,
      'ops go',
    );
    const late = await act(s.api, s.pat, id, '/metrics', { metrics: { adoption: { target: 50 } } });
    expect([late.status, late.body.code]).toEqual([409, 'metrics_locked']);

    const audit = await s.api.call('GET', `/api/projects/${id}/audit?limit=200`, {
      token: s.pmo.token,
    });
    const actions = (
      expectStatus(audit, 200, 'audit').body.items as { action: string; actor: string }[]
    )
      .filter((e) => e.action.startsWith('metrics.'))
      .map((e) => [e.action, e.actor]);
    expect(actions).toEqual([
      ['metrics.set', s.pat.id],
      ['metrics.agreed', s.olga.id],
    ]);
  });

  it('a KPI review is the reviewers’ to do: values, a decision, follow-ups; then it clears', async () => {
    const id = await startOn(s.api, s, reviewTemplate());
    const none = await act(s.api, s.olga, id, '/nodes/monitor/kpi-reviews', { decision: 'keep' });
    expect([none.status, none.body.code]).toEqual([409, 'no_review_open']);
    const [item] = await eventually(
      'a KPI review in the reviewer’s inbox',
      () => inbox(s.olga, id),
      (items) => items.some((i) => i.action === 'kpi-review'),
    );
    expect(item).toMatchObject({ action: 'kpi-review', nodeId: 'monitor', itemId: '1' });
    expect(await inbox(s.pat, id)).toEqual([]);

    const notReviewer = await act(s.api, s.pat, id, '/nodes/monitor/kpi-reviews', {
      decision: 'keep',
    });
    expect([notReviewer.status, notReviewer.body.code]).toEqual([403, 'not_allowed']);
    const noActions = await act(s.api, s.olga, id, '/nodes/monitor/kpi-reviews', {
      decision: 'act',
    });
    expect(noActions.status).toBe(422);
    expect(fieldErrors(noActions)).toEqual(['body.actions: actions_required']);
    const badDecision = await act(s.api, s.olga, id, '/nodes/monitor/kpi-reviews', {
      decision: 'shrug',
    });
    expect(badDecision.status).toBe(400);
    expect(fieldErrors(badDecision)[0]).toMatch(/^body\.decision: /);

    const done = await act(s.api, s.olga, id, '/nodes/monitor/kpi-reviews', {
      values: { adoption: 60 },
      decision: 'act',
      comment: 'Adoption lags in the night shift',
      actions: [{ text: 'Night-shift training session', due: 'P7D', owner: 'pm' }],
    });
    expectStatus(done, 201, 'KPI review');
    expect(done.body).toMatchObject({ nodeId: 'monitor', id: '1' });
    const mon = (await state(id)).nodes.monitor!.monitor!;
    expect(mon.done![0]).toMatchObject({
      number: 1,
      status: 'done',
      by: s.olga.id,
      decision: 'act',
      results: [{ metric: 'adoption', value: 60, target: 80, met: false }],
    });
    expect(mon.done![0]!.commentRef).toBeDefined();
    // The live stream's state carries the comment beside its reference, as GET does (and the
    // document declares it there: the stream's events are checked against it).
    const stream = await SseStream.open(`${s.api.baseUrl}/api/projects/${id}/events`, {
      authorization: `Bearer ${s.pmo.token}`,
    });
    try {
      const first = await stream.next();
      expect(first?.event).toBe('state');
      const live = JSON.parse(first!.data) as ProjectStateView;
      expect(live.nodes.monitor!.monitor!.done![0]).toMatchObject({
        comment: 'Adoption lags in the night shift',
      });
    } finally {
      await stream.close();
    }
    // Done: off both reviewers' inboxes (until the next period opens the next review);
    // the follow-up is in the pm's.
    const followUps = await eventually(
      'the follow-up in the pm’s inbox',
      () => inbox(s.pat, id),
      (items) => items.some((i) => i.action === 'meet-condition'),
    );
    expect(followUps).toEqual([
      expect.objectContaining({
        action: 'meet-condition',
        itemId: 'monitor-review-1-1',
        detail: 'Night-shift training session',
      }),
    ]);
    await eventually(
      'review 1 off the reviewers’ inboxes',
      () => inbox(s.omar, id),
      (items) => !items.some((i) => i.action === 'kpi-review' && i.itemId === '1'),
    );
    expectStatus(
      await act(s.api, s.pat, id, '/conditions/monitor-review-1-1/met', { note: 'held on Monday' }),
      200,
      'follow-up met',
    );
    expectStatus(await act(s.api, s.olga, id, '/retire', { reason: 'steady' }), 200, 'retire');
  });
});
