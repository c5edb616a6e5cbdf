/**
 * Actual delivery against the delivery measures (issue 13 items 1 and 3), over HTTP on SQLite
 * and PostgreSQL: the PM and the PMO record the actual cost (others 403, another currency
 * 422 naming the field, after the PIR 409), and `delivery` of the project's view compares the
 * handover date and the cost with the target date and the budget.
 */
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { expectStatus } from './drive-http';
import {
  act,
  fieldErrors,
  pmOpsTemplate,
  PM_AND_OPS_SIGN,
  projectAs,
  startOn,
} from './trust-support';
import { trustStack } from './trust-stack';

/** Handoff gate (pm + ops) → hypercare (ops accept early) → PIR (ops) → end. */
function handoverTemplate(): Template {
  return pmOpsTemplate('delivery', {
    name: 'Delivered at the handoff',
    start: 'handoff',
    nodes: [
      {
        id: 'handoff',
        type: 'gate',
        name: 'Handoff',
        owner: 'pm',
        signoff: PM_AND_OPS_SIGN,
        decisions: ['go', 'kill'],
      },
      {
        id: 'hypercare',
        type: 'hypercare',
        name: 'Hypercare',
        duration: 'P7D',
        exit: { rules: [{ role: 'ops', min: 1 }] },
        escalation: [{ after: 'PT0S', notify: ['pm'] }],
      },
      { id: 'pir', type: 'review', name: 'PIR', signoff: { rules: [{ role: 'ops', min: 1 }] } },
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'handoff', to: 'hypercare', on: 'go' },
      { from: 'handoff', to: 'killed', on: 'kill' },
      { from: 'hypercare', to: 'pir', on: 'done' },
      { from: 'pir', to: 'done', on: 'done' },
    ],
  });
}

/** Today as YYYY-MM-DD (UTC), moved by `days`. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

describe.each(eachDatabase())('$name', (factory) => {
  const s = trustStack(factory, 'delivery');

  const view = (id: string) => projectAs(s.api, s.pat, id);

  it('records the actual cost and compares the delivery with its measures', async () => {
    const id = await startOn(s.api, s, handoverTemplate());
    expectStatus(
      await act(s.api, s.pat, id, '/metrics', {
        delivery: { targetDate: day(-3), budget: 80_000, currency: 'EUR' },
      }),
      200,
      'delivery measures',
    );
    expect((await view(id)).delivery).toEqual({
      handover: { nodeId: 'handoff', name: 'Handoff' },
      targetDate: day(-3),
      schedule: 'overdue',
      daysLate: 3,
      budget: 80_000,
      currency: 'EUR',
      costFinal: false,
    });

    // The PM records the cost to date; a retry with its key answers the first result.
    const body = { spent: 50_000, comment: 'Invoices to date', idempotencyKey: 'cost-1' };
    const first = expectStatus(await act(s.api, s.pat, id, '/cost', body), 200, 'pm cost');
    const again = await act(s.api, s.pat, id, '/cost', body);
    expect(again.body).toMatchObject({ replayed: true, seq: first.body.seq });
    expect((await view(id)).actualCost).toMatchObject({
      spent: 50_000,
      currency: 'EUR',
      by: s.pat.id,
    });

    const ops = await act(s.api, s.olga, id, '/cost', { spent: 1 });
    expect([ops.status, ops.body.code]).toEqual([403, 'not_allowed']);
    expect(ops.body.detail).toContain('Project manager');
    const outsider = await act(s.api, s.stranger as never, id, '/cost', { spent: 1 });
    expect(outsider.status).toBe(403);
    const usd = await act(s.api, s.pat, id, '/cost', { spent: 1, currency: 'USD' });
    expect([usd.status, usd.body.code]).toEqual([422, 'invalid_input']);
    expect(fieldErrors(usd)).toEqual(['body.currency: invalid_input']);
    const negative = await act(s.api, s.pat, id, '/cost', { spent: -5 });
    expect(negative.status).toBe(400);
    expect(fieldErrors(negative)[0]).toMatch(/^body\.spent: /);

    // The handoff's go delivers the project; the PMO records the cost over budget.
    for (const user of [s.pat, s.olga]) {
      expectStatus(
        await act(s.api, user, id, '/nodes/handoff/signoffs', { decision: 'go' }),
        200,
        'handoff go',
      );
    }
    expectStatus(await act(s.api, s.pmo, id, '/cost', { spent: 92_000 }), 200, 'pmo cost');
    const delivered = (await view(id)).delivery;
    expect(delivered).toMatchObject({
      schedule: 'late',
      daysLate: 3,
      spent: 92_000,
      cost: 'over',
      variance: 0.15,
      costFinal: false,
    });
    expect(delivered?.deliveredAt).toBeGreaterThan(Date.now() - 60_000);

    // Hypercare accepted, the PIR signed: the cost is final.
    for (const node of ['hypercare', 'pir']) {
      expectStatus(
        await act(s.api, s.olga, id, `/nodes/${node}/signoffs`, { decision: 'go' }),
        200,
        `${node} go`,
      );
    }
    const state = await view(id);
    expect(state.status).toBe('completed');
    expect(state.delivery).toMatchObject({ spent: 92_000, costFinal: true });
    const closed = await act(s.api, s.pmo, id, '/cost', { spent: 95_000 });
    expect(closed.status).toBe(409);

    const audit = await s.api.call('GET', `/api/projects/${id}/audit?limit=200`, {
      token: s.pmo.token,
    });
    const costs = (
      expectStatus(audit, 200, 'audit').body.items as { action: string; actor: string }[]
    )
      .filter((e) => e.action === 'delivery.cost-recorded')
      .map((e) => e.actor);
    expect(costs).toEqual([s.pat.id, s.pmo.id]);
  });

  it('refuses a cost once the PIR was signed off while the project runs on (409 cost_locked)', async () => {
    const template = handoverTemplate();
    // A monitor after the PIR keeps the project running once the PIR passed.
    template.nodes.push({
      id: 'kpis',
      type: 'monitor',
      name: 'KPIs',
      every: 'P30D',
      reviewers: ['ops'],
    });
    template.edges = template.edges.map((e) => (e.from === 'pir' ? { ...e, to: 'kpis' } : e));
    template.edges.push({ from: 'kpis', to: 'done', on: 'done' });
    const id = await startOn(s.api, s, template);
    expectStatus(await act(s.api, s.pat, id, '/cost', { spent: 10, currency: 'EUR' }), 200, 'cost');
    for (const [user, node] of [
      [s.pat, 'handoff'],
      [s.olga, 'handoff'],
      [s.olga, 'hypercare'],
      [s.olga, 'pir'],
    ] as const) {
      expectStatus(
        await act(s.api, user, id, `/nodes/${node}/signoffs`, { decision: 'go' }),
        200,
        `${node} go`,
      );
    }
    const locked = await act(s.api, s.pat, id, '/cost', { spent: 20 });
    expect([locked.status, locked.body.code]).toEqual([409, 'cost_locked']);
    expect(locked.body.detail).toContain('"PIR"');
    expect((await view(id)).delivery).toMatchObject({ spent: 10, costFinal: true });
  });
});
