/**
 * The PMO's first-run checklist (issue 10, item 4), over HTTP on both databases: each step is
 * ticked off by what really happened — a draft with a gate, a published version, a started
 * project, an approver's sign-off, a hypercare escalation — on a fast practice template made by
 * the same function as the seeded one, and only for the PMO who did it.
 */
import { opsIntegratedDelivery, PRACTICE_KEY, practiceTemplate } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus } from './drive-http';
import { advance, type Cast } from './happy-path';
import { startApiStack, type ApiStack, type TestUser } from './stack';

/** Two seconds a week: hypercare (P28D) expires after 8 s, then escalates at once. */
const FAST = practiceTemplate(opsIntegratedDelivery, { secondsPerWeek: 2 });

interface Checklist {
  steps: { key: string; done: boolean; at?: number; projectId?: string }[];
  complete: boolean;
  project?: { id: string; name: string; templateKey: string };
  practice: { template: string; secondsPerWeek: number };
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  let other: TestUser;
  const cast: Cast = {};

  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('fr-pmo', { pmo: true });
    other = await api.user('fr-other-pmo', { pmo: true });
    for (const role of ['pm', 'ops-lead', 'ops-manager', 'support', 'steering']) {
      cast[role] = await api.user(`fr-${role}`);
    }
  });
  afterAll(async () => api.stop());

  const checklist = async (user: TestUser) =>
    expectStatus(await api.call('GET', '/api/first-run', { token: user.token }), 200, 'first run')
      .body as Checklist;
  const done = (list: Checklist) => list.steps.filter((s) => s.done).map((s) => s.key);

  it('ticks each step off as it really happens', async () => {
    const fresh = await checklist(pmo);
    expect(fresh).toEqual({
      steps: ['design', 'publish', 'start', 'sign', 'escalate'].map((key) => ({
        key,
        done: false,
      })),
      complete: false,
      practice: { template: PRACTICE_KEY, secondsPerWeek: 60 },
    });

    // A draft without a gate is no gate designed.
    const draft = (body: unknown) =>
      api.call('PUT', `/api/templates/${PRACTICE_KEY}/draft`, { token: pmo.token, body });
    expectStatus(await draft({ name: 'Nothing yet', nodes: [] }), 200, 'empty draft');
    expect(done(await checklist(pmo))).toEqual([]);
    expectStatus(await draft(FAST), 200, 'draft');
    expect(done(await checklist(pmo))).toEqual(['design']);

    expectStatus(
      await api.call('POST', `/api/templates/${PRACTICE_KEY}/publish`, { token: pmo.token }),
      201,
      'publish',
    );
    expect(done(await checklist(pmo))).toEqual(['design', 'publish']);

    const started = await api.call('POST', '/api/projects', {
      token: pmo.token,
      body: {
        name: 'Practice run',
        template: PRACTICE_KEY,
        participants: Object.fromEntries(Object.entries(cast).map(([r, u]) => [r, [u.id]])),
      },
    });
    const id = expectStatus(started, 201, 'start').body.id as string;
    const afterStart = await checklist(pmo);
    expect(done(afterStart)).toEqual(['design', 'publish', 'start']);
    expect(afterStart.project).toEqual({ id, name: 'Practice run', templateKey: PRACTICE_KEY });
    expect(afterStart.steps[2]).toMatchObject({ projectId: id, at: expect.any(Number) });

    // An approver signs: the inception gate's operations lead, its deliverables in.
    const template = started.body.template as { version: number };
    expect(template.version).toBe(2);
    await advance(api, cast, id, FAST, 'inception', 'hypercare');
    const signed = await eventually(
      'the sign-off in the trail',
      () => checklist(pmo),
      (list) => list.steps[3]!.done,
    );
    expect(signed.steps[3]).toMatchObject({ key: 'sign', done: true, projectId: id });

    // Nobody accepts the hypercare exit: it expires after 8 s and escalates.
    const escalated = await eventually(
      'the hypercare escalation',
      () => checklist(pmo),
      (list) => list.complete,
      30_000,
    );
    expect(escalated.steps[4]).toMatchObject({ key: 'escalate', done: true, projectId: id });

    // Another PMO's checklist knows nothing of it.
    expect(done(await checklist(other))).toEqual([]);
  });
});
