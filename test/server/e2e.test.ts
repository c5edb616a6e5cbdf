/**
 * The whole built-in lifecycle over HTTP only, as the users of SPEC §1 would drive it: the PMO
 * publishes a template and starts the project, approvers work from `GET /api/inbox`, operations
 * raise and resolve hypercare issues, the PIR shows planned vs actual, the audit trail lists
 * every decision in order, and the portfolio lists the project by status and template.
 */
import type { Page, ProjectSummary } from '../../db';
import type { ProjectView } from '../../server/contract';
import type { AuditEntry } from '../../workflows/model';
import { shortTemplate } from '../fixtures/short-template';
import { BUILTIN_SIGNOFF_ORDER } from '../workflows/drive';
import { eachDatabase } from '../support/databases';
import {
  allPages,
  bodyOf,
  createUser,
  eventually,
  expectStatus,
  Participant,
  type ApiUser,
} from './drive-http';
import { startApiStack, type ApiStack } from './stack';

/** The built-in lifecycle with second-scale timers, published by the PMO under its own key. */
const template = { ...shortTemplate({ hypercare: 3, extendBy: 3, every: 2 }), key: 'ops-fast' };

/** Audit actions that decide where a project goes. */
const DECISIONS = new Set([
  'gate.decided',
  'hypercare.extended',
  'hypercare.exited',
  'review.accepted',
  'project.retired',
  'project.ended',
]);

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  beforeAll(async () => {
    api = await startApiStack(factory);
  });
  afterAll(async () => api.stop());

  it('drives a project through the whole built-in lifecycle over HTTP only', async () => {
    // The admin creates the people; the PMO publishes the template and starts the project.
    const pmo = await createUser(api, 'paula', { pmo: true });
    const pat = await createUser(api, 'pat');
    const olga = await createUser(api, 'olga');
    const mona = await createUser(api, 'mona');
    const sue = await createUser(api, 'sue');
    const stan = await createUser(api, 'stan');
    const everyone = [pat, olga, mona, sue, stan];
    const nameOf = (id: string) => everyone.find((u) => u.id === id)?.name ?? id;

    const draft = await api.call('PUT', '/api/templates/ops-fast/draft', {
      token: pmo.token,
      body: template,
    });
    expect(expectStatus(draft, 200, 'save draft').body).toMatchObject({ valid: true, errors: [] });
    const published = await api.call('POST', '/api/templates/ops-fast/publish', {
      token: pmo.token,
    });
    expect(published.status).toBe(201);
    expect(published.body).toEqual({ key: 'ops-fast', version: 1 });
    const templates = await api.call('GET', '/api/templates', { token: pat.token });
    expect(templates.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ key: 'ops-fast', latestVersion: 1 })]),
    );

    const participants = {
      pm: [pat.id],
      'ops-lead': [olga.id],
      'ops-manager': [mona.id],
      support: [sue.id],
      steering: [stan.id],
    };
    const started = await api.call('POST', '/api/projects', {
      token: pmo.token,
      body: { name: 'CRM rollout', template: 'ops-fast', participants },
    });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      template: { key: 'ops-fast', version: 1 },
      status: 'active',
      current: ['inception'],
    });
    const id = started.body.id as string;
    // Everyone works from the published version, fetched like any client would.
    const version = await api.call('GET', '/api/templates/ops-fast/versions/1', {
      token: pat.token,
    });
    const as = (user: ApiUser) => new Participant(api, user, id, version.body.template);
    const pm = as(pat);
    const opsLead = as(olga);
    const opsManager = as(mona);
    const support = as(sue);
    const steering = as(stan);
    const project = async () =>
      bodyOf<ProjectView>(
        await api.call('GET', `/api/projects/${id}`, { token: pmo.token }),
        200,
        'get project',
      );

    // Inception → plan → plan approval → pilot → pilot review → formal handoff.
    await pm.submitDeliverables('inception');
    await opsLead.agreeMetrics('inception');
    await pm.signoff('inception');
    await opsLead.signoff('inception');
    await pm.completeStage('operationalization-plan');
    await pm.signoff('plan-approval');
    await opsManager.signoff('plan-approval');
    await steering.signoff('plan-approval');
    await pm.completeStage('pilot');
    await pm.signoff('pilot-review');
    await opsLead.signoff('pilot-review');
    await support.signoff('pilot-review');
    await pm.submitDeliverables('handoff');
    // Readiness: the pm records the groups' stages and training; support confirms the model.
    await pm.recordReadiness('handoff');
    await support.recordReadiness('handoff');
    await pm.signoff('handoff');
    await opsManager.signoff('handoff');
    const handedOff = await support.signoff('handoff');
    expect(handedOff.body).toMatchObject({ status: 'active', current: ['hypercare'] });

    // Hypercare: support raises a minor (3) and a major, blocking (2) issue; the minor one is
    // fixed at once.
    const minor = await support.call('POST', '/issues', 201, { severity: 3, title: 'Label typo' });
    const blocking = await support.call('POST', '/issues', 201, {
      severity: 2,
      title: 'Exports time out',
    });
    expect(minor.body.id).toEqual(expect.any(String));
    expect(blocking.body.id).not.toBe(minor.body.id);
    await opsManager.call('POST', `/issues/${minor.body.id}/resolve`, 200, { note: 'fixed' });
    const early = await opsManager.call('POST', '/nodes/hypercare/signoffs', 422, {
      decision: 'go',
    });
    expect(early.body.code).toBe('blocking_issues_open');
    // Expiry with the blocking issue open extends hypercare and escalates by itself.
    await eventually(
      'the automatic hypercare extension',
      project,
      (s) => s.nodes.hypercare?.hypercare?.extensions === 1,
    );
    await eventually(
      "the extension's escalation in the ops manager's notifications",
      () => opsManager.notifications(),
      (items) => items.some((n) => n.kind === 'escalation' && n.subject.includes('extended')),
    );
    await opsManager.call('POST', `/issues/${blocking.body.id}/resolve`, 200, {
      note: 'index added',
    });
    // The next expiry asks the ops manager to accept the handover, and escalates until they do.
    await opsManager.awaitAction('hypercare', 'accept-hypercare');
    await eventually(
      'the expiry escalation to the ops manager and the PM',
      () => pm.notifications(),
      (items) => items.some((n) => n.kind === 'escalation' && n.subject.includes('escalation 1')),
    );
    await opsManager.signoff('hypercare', 'accept-hypercare');

    // Operations record KPIs and a lesson; the PIR shows planned vs actual.
    const readings = {
      'adoption-rate': 85,
      'support-tickets': 70,
      'processing-time': 18,
      'user-satisfaction': 4.4,
    };
    for (const [metric, value] of Object.entries(readings))
      await opsManager.call('POST', '/kpis', 201, { metric, value });
    await support.call('POST', '/feedback', 201, {
      kind: 'lesson',
      text: 'Involve support before the pilot',
    });
    const atReview = await eventually('the PIR', project, (s) => s.current.includes('pir'));
    // Planned (baseline, target) vs actual per metric; fewer tickets was the goal, not met.
    const pir = atReview.pir.map(({ key, baseline, target, actual, met }) => ({
      key,
      baseline,
      target,
      actual,
      met,
    }));
    expect(pir).toEqual([
      { key: 'adoption-rate', baseline: 0, target: 80, actual: 85, met: true },
      { key: 'support-tickets', baseline: 120, target: 60, actual: 70, met: false },
      { key: 'processing-time', baseline: 45, target: 20, actual: 18, met: true },
      { key: 'user-satisfaction', baseline: 3.1, target: 4.2, actual: 4.4, met: true },
    ]);
    expect(atReview.feedback).toEqual([expect.objectContaining({ kind: 'lesson', by: sue.id })]);
    expect(atReview.issues).toEqual([
      expect.objectContaining({ severity: 3, status: 'resolved', resolvedBy: mona.id }),
      expect.objectContaining({ severity: 2, status: 'resolved', resolvedBy: mona.id }),
    ]);
    await steering.signoff('pir');
    await opsManager.signoff('pir');

    // Monitoring: the ops manager reviews KPIs monthly (here: every 2 s), then retires it.
    await opsManager.awaitAction('kpi-monitoring', 'kpi-review');
    await eventually(
      'a KPI review notification',
      () => opsManager.notifications(),
      (items) => items.some((n) => n.kind === 'kpi-review'),
    );
    const retired = await opsManager.call('POST', '/retire', 200, { reason: 'steady state' });
    expect(retired.body.status).toBe('completed');
    const final = await project();
    expect(final).toMatchObject({ status: 'completed', current: ['completed'] });
    for (const node of ['inception', 'plan-approval', 'pilot-review', 'handoff'])
      expect(final.nodes[node]).toMatchObject({ status: 'done', outcome: 'go' });
    for (const node of ['hypercare', 'pir', 'kpi-monitoring'])
      expect(final.nodes[node]).toMatchObject({ status: 'done', outcome: 'done' });
    for (const user of [pm, opsLead, opsManager, support, steering])
      await eventually(
        'an empty inbox',
        () => user.inbox(),
        (items) => items.length === 0,
      );

    // The audit trail lists every decision in order, also when read a page at a time.
    const whole = await eventually(
      'the end of the audit trail',
      async () =>
        bodyOf<Page<AuditEntry>>(await pm.call('GET', '/audit?limit=200', 200), 200, 'audit'),
      (page) => page.items.some((e) => e.action === 'project.ended'),
    );
    const trail = whole.items;
    const seqs = trail.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const paged = await allPages(async (cursor) =>
      bodyOf<Page<AuditEntry>>(
        await steering.call('GET', `/audit?limit=7${cursor ? `&cursor=${cursor}` : ''}`, 200),
        200,
        'audit page',
      ),
    );
    expect(paged.pages).toBeGreaterThan(3);
    expect(paged.items).toEqual(trail);
    const signoffs = trail
      .filter((e) => e.action === 'signoff')
      .map((e) => `${e.nodeId}:${nameOf(e.actor)}`);
    expect(signoffs).toEqual(BUILTIN_SIGNOFF_ORDER);
    const decisions = trail
      .filter((e) => DECISIONS.has(e.action))
      .map((e) => `${e.action}:${e.nodeId}`);
    expect(decisions).toEqual([
      'gate.decided:inception',
      'gate.decided:plan-approval',
      'gate.decided:pilot-review',
      'gate.decided:handoff',
      'hypercare.extended:hypercare',
      'hypercare.exited:hypercare',
      'review.accepted:pir',
      'project.retired:kpi-monitoring',
      'project.ended:completed',
    ]);
    expect(trail.find((e) => e.action === 'project.started')?.actor).toBe(pmo.id);

    // The PMO's portfolio: more projects on the template, then filters and cursor paging.
    const start = async (name: string, key = 'ops-fast') =>
      expectStatus(
        await api.call('POST', '/api/projects', {
          token: pmo.token,
          body: { name, template: key, participants },
        }),
        201,
        `start ${name}`,
      ).body.id as string;
    const killed = await start('Killed early');
    const cancelled = await start('Cancelled');
    const running = await start('Still running');
    const other = await start('Other template', 'ops-integrated-delivery');
    const post = async (user: ApiUser, path: string, body: unknown) =>
      expectStatus(await api.call('POST', path, { token: user.token, body }), 200, path);
    await post(pat, `/api/projects/${killed}/nodes/inception/signoffs`, { decision: 'kill' });
    await post(pmo, `/api/projects/${cancelled}/cancel`, { reason: 'merged into another' });
    const list = async (query: string) =>
      bodyOf<Page<ProjectSummary>>(
        await api.call('GET', `/api/projects?${query}`, { token: pmo.token }),
        200,
        query,
      );
    const ids = (page: Page<ProjectSummary>) => page.items.map((p) => p.id);
    expect(ids(await list('status=completed&template=ops-fast'))).toEqual([id]);
    await eventually(
      'the killed project in the read model',
      () => list('template=ops-fast&status=killed'),
      (page) => ids(page).includes(killed),
    );
    await eventually(
      'the cancelled project in the read model',
      () => list('template=ops-fast&status=cancelled'),
      (page) => ids(page).includes(cancelled),
    );
    expect(ids(await list('status=active&template=ops-fast'))).toEqual([running]);
    const all = await list('template=ops-fast');
    expect(all.nextCursor).toBeUndefined();
    expect(new Set(ids(all))).toEqual(new Set([id, killed, cancelled, running]));
    expect(ids(all)).not.toContain(other);
    const walked = await allPages(async (cursor) => {
      const page = await list(
        `template=ops-fast&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(page.items).toHaveLength(1);
      return page;
    });
    expect(walked.pages).toBe(4);
    expect(walked.items.map((p) => p.id)).toEqual(ids(all));
  });
});
