/**
 * Operations agree the metrics version they saw, over HTTP on SQLite and PostgreSQL: when the
 * PM changed a target after operations looked, `POST /metrics/agree` with the
 * `metricsChangedAt` they saw answers 409 problem+json `metrics_changed` naming the field and
 * records nothing; with the version as it stands, or without the field, it agrees.
 */
import type { Template } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import { startApiStack, type ApiStack } from './stack';
import {
  act,
  fieldErrors,
  people,
  pmOpsTemplate,
  PM_AND_OPS_SIGN,
  projectAs,
  startOn,
  type People,
} from './trust-support';

/** An inception gate (pm + ops) whose metric operations agree, then the end. */
function agreeTemplate(): Template {
  return pmOpsTemplate('seen', {
    name: 'Metrics agreed as seen',
    metrics: [
      { key: 'adoption', name: 'Adoption', target: 80, direction: 'increase', min: 0, max: 100 },
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
      { id: 'done', type: 'end', name: 'Done', result: 'completed' },
      { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
    ],
    edges: [
      { from: 'inception', to: 'done', on: 'go' },
      { from: 'inception', to: 'killed', on: 'kill' },
    ],
  });
}

interface Seen {
  seq: number;
  metrics?: { changedAt: number; agreed?: unknown; values: Record<string, unknown> };
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let p: People;
  beforeAll(async () => {
    api = await startApiStack(factory);
    p = await people(api, 'seen');
  });
  afterAll(async () => api.stop());

  const state = (id: string) => projectAs<Seen>(api, p.pmo, id);
  const setTarget = async (id: string, target: number) =>
    expectStatus(
      await act(api, p.pat, id, '/metrics', { metrics: { adoption: { target } } }),
      200,
      `target ${target}`,
    );
  const audit = async (id: string) =>
    (await api.call('GET', `/api/projects/${id}/audit?limit=200`, { token: p.pmo.token })).body
      .items as { seq: number; action: string }[];

  it('refuses an agreement to metrics changed since they were seen, and records nothing', async () => {
    const id = await startOn(api, p, agreeTemplate());
    await setTarget(id, 60);
    const seen = (await state(id)).metrics!.changedAt;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await setTarget(id, 70);
    const before = await state(id);
    expect(before.metrics!.changedAt).toBeGreaterThan(seen);
    const trail = await eventually(
      'both changes in the audit trail',
      () => audit(id),
      (items) => items.filter((e) => e.action === 'metrics.set').length === 2,
    );

    const stale = await act(api, p.olga, id, '/metrics/agree', {
      metricsChangedAt: seen,
      comment: 'as shown',
    });
    expect(stale.status).toBe(409);
    expect(stale.headers.get('content-type')).toContain('application/problem+json');
    expect(stale.body.code).toBe('metrics_changed');
    expect(fieldErrors(stale)).toEqual(['body.metricsChangedAt: metrics_changed']);
    expect(stale.body.errors[0].message).toContain('review the new values');

    const after = await state(id);
    expect(after.seq).toBe(before.seq);
    expect(after.metrics).toEqual(before.metrics);
    expect(await audit(id)).toEqual(trail);

    // Shown the new values, operations agree to them; an older client sends no version.
    expectStatus(
      await act(api, p.olga, id, '/metrics/agree', { metricsChangedAt: after.metrics!.changedAt }),
      200,
      'agree as seen',
    );
    expect((await state(id)).metrics!.agreed).toMatchObject({ by: p.olga.id, role: 'ops' });
  });

  it('agrees without a version as before, and with null while the project set none', async () => {
    const id = await startOn(api, p, agreeTemplate());
    expectStatus(
      await act(api, p.omar, id, '/metrics/agree', { metricsChangedAt: null }),
      200,
      'null',
    );
    const other = await startOn(api, p, agreeTemplate());
    await setTarget(other, 55);
    const bad = await act(api, p.olga, other, '/metrics/agree', { metricsChangedAt: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(fieldErrors(bad)[0]).toMatch(/^body\.metricsChangedAt: /);
    const noVersion = await act(api, p.olga, other, '/metrics/agree', {});
    expectStatus(noVersion, 200, 'no version');
  });
});
