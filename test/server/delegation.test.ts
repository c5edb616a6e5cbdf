/**
 * Delegation and reassignment (issue 10, item 6) over HTTP on both databases, with the real
 * app, worker and Temporal dev server: the refusals of a delegation, each with its reason and
 * field; a delegate who signs for a participant (the vote is the participant's, the audit says
 * who cast it, the quorum counts the participant once and the delegate's own role apart); the
 * delegate's to-do list and inbox copies; revoking; and the PMO replacing a participant.
 */
import { inboxVersion, listAdminAudit } from '../../db';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { fullMarks, nodeOf } from '../workflows/drive';
import { bodyOf, eventually, expectStatus, startProject as startBuiltin } from './drive-http';
import { startApiStack, type ApiStack, type Reply, type TestUser } from './stack';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(eachDatabase())('delegation on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('pmo', { pmo: true });
    for (const id of ['pat', 'olga', 'mona', 'sue', 'stan', 'yves', 'ida', 'zoe']) {
      users[id] = await api.user(id);
    }
    const off = await api.call('PATCH', '/api/users/ida', {
      token: api.adminToken,
      body: { active: false },
    });
    expectStatus(off, 200, 'deactivate ida');
  });
  afterAll(async () => api.stop());

  async function startProject(name: string): Promise<string> {
    const id = await startBuiltin(api, pmo, name, { version: 1 });
    const node = nodeOf(builtin, 'inception');
    for (const d of node.type === 'gate' ? (node.deliverables ?? []) : []) {
      const path = `/api/projects/${id}/nodes/inception/deliverables/${d.id}`;
      const body = { url: `https://docs.example.test/${d.id}` };
      expectStatus(await api.call('POST', path, { token: users.pat!.token, body }), 200, d.id);
    }
    // Operations agree the metrics: the inception gate waits for that before a go.
    const agree = { token: users.olga!.token, body: {} };
    expectStatus(await api.call('POST', `/api/projects/${id}/metrics/agree`, agree), 200, 'agree');
    return id;
  }

  const delegate = (from: string, body: object) =>
    api.call('POST', '/api/delegations', { token: users[from]!.token, body });
  const sign = (who: string, id: string, extra: object = {}) =>
    api.call('POST', `/api/projects/${id}/nodes/inception/signoffs`, {
      token: users[who]!.token,
      body: { decision: 'go', criteria: fullMarks(nodeOf(builtin, 'inception')), ...extra },
    });
  const now = () => Date.now();

  /** A problem+json refusal with `code`, naming the body field at fault (none: the body). */
  function refusal(reply: Reply, status: number, code: string, field?: string) {
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body.errors).toEqual([
      expect.objectContaining({
        path: field === undefined ? ['body'] : ['body', field],
        code,
        message: expect.any(String),
      }),
    ]);
  }

  it('refuses a delegation with the reason and the field: self, no user, inactive, period, project, overlap', async () => {
    const project = await startProject('Refusals');
    const period = { from: iso(now()), until: iso(now() + 7 * DAY) };
    refusal(
      await delegate('pat', { delegate: 'pat', ...period }),
      422,
      'delegate_self',
      'delegate',
    );
    refusal(
      await delegate('pat', { delegate: 'nobody', ...period }),
      422,
      'unknown_user',
      'delegate',
    );
    refusal(
      await delegate('pat', { delegate: 'ida', ...period }),
      422,
      'inactive_user',
      'delegate',
    );
    refusal(
      await delegate('pat', { delegate: 'yves', from: period.until, until: period.from }),
      422,
      'until_before_from',
      'until',
    );
    refusal(
      await delegate('yves', { delegate: 'zoe', project, ...period }),
      422,
      'not_participant',
      'project',
    );

    // One per scope and period: the same scope overlapping is refused, another scope is not.
    const first = await delegate('mona', { delegate: 'zoe', project, ...period });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      delegator: { id: 'mona', name: 'mona' },
      delegate: { id: 'zoe', name: 'zoe' },
      project: { id: project, name: 'Refusals' },
      status: 'active',
    });
    const later = { from: iso(now() + 3 * DAY), until: iso(now() + 10 * DAY) };
    refusal(
      await delegate('mona', { delegate: 'yves', project, ...later }),
      422,
      'overlapping_delegation',
      'from',
    );
    expect((await delegate('mona', { delegate: 'yves', ...later })).status).toBe(201);
    // Right after the first one ends is no overlap.
    const next = { from: period.until, until: iso(now() + 20 * DAY) };
    expect((await delegate('mona', { delegate: 'yves', project, ...next })).status).toBe(201);

    // Refusals wrote nothing: mona's three and nothing of pat's or yves's.
    const mine = bodyOf<{ given: unknown[]; received: unknown[] }>(
      await api.call('GET', '/api/delegations', { token: users.mona!.token }),
      200,
      'list',
    );
    expect(mine.given).toHaveLength(3);
    const pats = await api.call('GET', '/api/delegations', { token: users.pat!.token });
    expect(pats.body).toEqual({ given: [], received: [] });
    const zoes = await api.call('GET', '/api/delegations', { token: users.zoe!.token });
    expect(zoes.body.received).toEqual([
      expect.objectContaining({ delegator: { id: 'mona', name: 'mona' } }),
    ]);
  });

  const state = async (id: string) =>
    bodyOf<{
      current: string[];
      participants: Record<string, string[]>;
      nodes: Record<string, { votes: { userId: string; by?: string; role: string }[] }>;
    }>(await api.call('GET', `/api/projects/${id}`, { token: pmo.token }), 200, 'state');
  const audit = async (id: string) =>
    bodyOf<{ items: { actor: string; action: string; detail?: Record<string, unknown> }[] }>(
      await api.call('GET', `/api/projects/${id}/audit`, { token: pmo.token }),
      200,
      'audit',
    ).items;
  const todo = async (who: string) =>
    bodyOf<{ items: { projectId: string; action: string; onBehalfOf?: { id: string } }[] }>(
      await api.call('GET', '/api/inbox', { token: users[who]!.token }),
      200,
      'inbox',
    ).items;

  it('lets a delegate sign for the participant: one signature for the role, audited "by Y for X"', async () => {
    const project = await startProject('Out of office');
    // Not delegated: a participant may not vote for another one (the field named).
    refusal(await sign('olga', project, { onBehalfOf: 'pat' }), 403, 'not_delegate', 'onBehalfOf');

    const period = { from: iso(now() - 1000), until: iso(now() + 7 * DAY) };
    expect((await delegate('pat', { delegate: 'olga', project, ...period })).status).toBe(201);
    // Olga's to-do list: her own sign-off, and pat's, for pat.
    const items = (await todo('olga')).filter((i) => i.projectId === project);
    expect(items).toEqual([
      expect.objectContaining({ action: 'signoff', roles: ['ops-lead'] }),
      expect.objectContaining({
        action: 'signoff',
        roles: ['pm'],
        onBehalfOf: { id: 'pat', name: 'pat' },
      }),
    ]);
    expect(items[0]).not.toHaveProperty('onBehalfOf');

    const forPat = bodyOf<{ current: string[] }>(
      await sign('olga', project, { onBehalfOf: 'pat' }),
      200,
      'olga for pat',
    );
    expect(forPat.current).toEqual(['inception']);
    expect((await state(project)).nodes.inception!.votes).toEqual([
      expect.objectContaining({ userId: 'pat', by: 'olga', role: 'pm' }),
    ]);
    // One signature per person: pat's own, or a second one for pat, is the same signature.
    refusal(await sign('pat', project), 409, 'already_signed');
    refusal(await sign('olga', project, { onBehalfOf: 'pat' }), 409, 'already_signed');
    // Olga's own role counts apart, for her own sign-off: the quorum (pm + ops lead) is met.
    const own = bodyOf<{ current: string[] }>(await sign('olga', project), 200, 'olga herself');
    expect(own.current).not.toContain('inception');
    const votes = (await state(project)).nodes.inception!.votes;
    expect(votes.map((v) => [v.userId, v.by, v.role])).toEqual([
      ['pat', 'olga', 'pm'],
      ['olga', undefined, 'ops-lead'],
    ]);
    const signoffs = (await audit(project)).filter((e) => e.action === 'signoff');
    expect(signoffs.map((e) => [e.actor, e.detail?.role, e.detail?.onBehalfOf])).toEqual([
      ['olga', 'pm', 'pat'],
      ['olga', 'ops-lead', undefined],
    ]);
  });

  it("shows a delegate the participant's work and notifications, lets them open the project, and revoking ends it", async () => {
    const period = { from: iso(now() - 1000), until: iso(now() + 7 * DAY) };
    const given = bodyOf<{ id: string }>(
      await delegate('pat', { delegate: 'yves', ...period }),
      201,
      'pat delegates all his projects',
    );
    const project = await startProject('Away all month');
    // yves takes no part in the project: he may open it, he may not sign as himself.
    expectStatus(
      await api.call('GET', `/api/projects/${project}`, { token: users.yves!.token }),
      200,
      'yves opens the project',
    );
    refusal(await sign('yves', project), 403, 'not_signer');
    expect((await todo('yves')).filter((i) => i.projectId === project)).toEqual([
      expect.objectContaining({
        nodeId: 'inception',
        action: 'signoff',
        onBehalfOf: { id: 'pat', name: 'pat' },
      }),
    ]);
    // pat's notifications land in yves's inbox too, marked as pat's.
    const copies = await eventually(
      "a copy of pat's notification",
      async () =>
        bodyOf<{ items: { projectId: string; forUserId?: string; kind: string }[] }>(
          await api.call('GET', `/api/inbox/notifications?project=${project}`, {
            token: users.yves!.token,
          }),
          200,
          'notifications',
        ).items,
      (items) => items.some((i) => i.kind === 'action-required'),
    );
    expect(copies.map((i) => i.forUserId)).toEqual(copies.map(() => 'pat'));
    // The delegate's inbox stream hears of the project moving, as a participant's does.
    const before = (await inboxVersion(api.db, 'yves')).actions;
    expect(await sign('yves', project, { onBehalfOf: 'pat' })).toMatchObject({ status: 200 });
    const moved = await eventually(
      "the project's move in yves's inbox version",
      () => inboxVersion(api.db, 'yves'),
      (v) => v.actions !== before,
    );
    expect((await state(project)).nodes.inception!.votes).toEqual([
      expect.objectContaining({ userId: 'pat', by: 'yves', role: 'pm' }),
    ]);

    // Revoked: the project closes to yves again; only pat could revoke it.
    const other = await api.call('DELETE', `/api/delegations/${given.id}`, {
      token: users.yves!.token,
    });
    expect(other.status).toBe(404);
    expect(
      (await api.call('DELETE', `/api/delegations/${given.id}`, { token: users.pat!.token }))
        .status,
    ).toBe(204);
    expect(
      (await api.call('GET', `/api/projects/${project}`, { token: users.yves!.token })).status,
    ).toBe(403);
    expect((await inboxVersion(api.db, 'yves')).actions).not.toBe(moved.actions);
    expect((await todo('yves')).filter((i) => i.projectId === project)).toEqual([]);
    const listed = await api.call('GET', '/api/delegations', { token: users.pat!.token });
    expect(listed.body.given).toContainEqual(
      expect.objectContaining({ id: given.id, status: 'revoked', revokedAt: expect.any(String) }),
    );
    const trail = (await listAdminAudit(api.db)).items.filter((e) => e.target === given.id);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['delegation.revoked', 'pat'],
      ['delegation.created', 'pat'],
    ]);
  });

  it('lets the PMO replace a participant in a role, with the staffing check of the start', async () => {
    const project = await startProject('Handover');
    const reassign = (token: string, body: object) =>
      api.call('POST', `/api/projects/${project}/participants/reassign`, { token, body });
    expect((await reassign(users.pat!.token, { role: 'pm', from: 'pat', to: 'zoe' })).status).toBe(
      403,
    );
    refusal(
      await reassign(pmo.token, { role: 'pm', from: 'pat', to: 'nobody' }),
      422,
      'unknown_user',
      'to',
    );
    refusal(
      await reassign(pmo.token, { role: 'pm', from: 'pat', to: 'ida' }),
      422,
      'inactive_user',
      'to',
    );
    refusal(
      await reassign(pmo.token, { role: 'pm', from: 'sue', to: 'zoe' }),
      422,
      'invalid_input',
      'from',
    );
    refusal(
      await reassign(pmo.token, { role: 'nope', from: 'pat', to: 'zoe' }),
      422,
      'unknown_role',
      'role',
    );

    const moved = await reassign(pmo.token, {
      role: 'pm',
      from: 'pat',
      to: 'zoe',
      reason: 'pat moved to another programme',
    });
    expect(moved.status).toBe(200);
    expect((await state(project)).participants.pm).toEqual(['zoe']);
    const entry = (await audit(project)).find((e) => e.action === 'participant.reassigned');
    expect(entry).toMatchObject({ actor: 'pmo', detail: { role: 'pm', from: 'pat', to: 'zoe' } });
    // The new pm signs; the old one no longer may.
    expect((await sign('pat', project)).status).toBe(403);
    expect((await sign('zoe', project)).status).toBe(200);
  });

  it('offers as delegates the active people one works with: the whole directory to the PMO', async () => {
    await startProject('Colleagues');
    const names = async (who: TestUser, q = '') =>
      bodyOf<{ items: { id: string; active: boolean }[] }>(
        await api.call('GET', `/api/colleagues${q}`, { token: who.token }),
        200,
        'colleagues',
      ).items.map((u) => u.id);
    // Never oneself, nor a deactivated user, nor someone one shares no project with.
    const pats = await names(users.pat!);
    expect(pats).toEqual(expect.arrayContaining(['mona', 'olga', 'stan', 'sue']));
    for (const absent of ['pat', 'ida', 'yves']) expect(pats).not.toContain(absent);
    expect(await names(users.pat!, '?q=ol')).toEqual(['olga']);
    // yves takes part in nothing (he only stood in): nobody is his colleague.
    expect(await names(users.yves!)).toEqual([]);
    expect(await names(pmo)).toEqual(expect.arrayContaining(['yves', 'zoe', 'pat']));
    expect(await names(pmo)).not.toContain('ida');
  });
});
