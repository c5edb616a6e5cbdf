/**
 * Access withdrawn while it is in use, over HTTP on both databases: what a caller could do a
 * moment ago stops at once when an admin or a PMO takes it away.
 *
 * - A deactivated user's delegations end with the account: their delegate no longer opens
 *   their projects, sees their sign-offs as to-dos, or signs in their name.
 * - An open project event stream sends nothing more once its caller may no longer open the
 *   project (a delegation revoked, a reassignment away, a PMO role removed): it ends, and a
 *   reconnect meets the 403.
 */
import { listAdminAudit, listAudit } from '../../db';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { fullMarks, nodeOf } from '../workflows/drive';
import { expectStatus, startProject } from './drive-http';
import { SseStream } from './sse-client';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(eachDatabase())('access withdrawn on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  const users: Record<string, TestUser> = {};

  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('pmo', { pmo: true });
    for (const id of ['pat', 'olga', 'mona', 'sue', 'stan', 'dee', 'zoe', 'wim', 'vic']) {
      users[id] = await api.user(id);
    }
    users.boss = await api.user('boss', { pmo: true });
  });
  afterAll(async () => api.stop());

  /** A project of the built-in with `pm` as its PM, its inception gate ready for votes. */
  async function project(name: string, pm = 'pat'): Promise<string> {
    const participants = {
      pm: [pm],
      'ops-lead': ['olga'],
      'ops-manager': ['mona'],
      support: ['sue'],
      steering: ['stan'],
    };
    const id = await startProject(api, pmo, name, { version: 1, participants });
    const node = nodeOf(builtin, 'inception');
    for (const d of node.type === 'gate' ? (node.deliverables ?? []) : []) {
      const path = `/api/projects/${id}/nodes/inception/deliverables/${d.id}`;
      const body = { url: `https://docs.example.test/${d.id}` };
      expectStatus(await api.call('POST', path, { token: users[pm]!.token, body }), 200, d.id);
    }
    const agree = { token: users.olga!.token, body: {} };
    expectStatus(await api.call('POST', `/api/projects/${id}/metrics/agree`, agree), 200, 'agree');
    return id;
  }

  const delegate = async (from: string, to: string, project: string) => {
    const body = {
      delegate: to,
      project,
      from: iso(Date.now() - 1000),
      until: iso(Date.now() + DAY),
    };
    const reply = await api.call('POST', '/api/delegations', { token: users[from]!.token, body });
    return expectStatus(reply, 201, `${from} delegates to ${to}`).body.id as string;
  };
  const open = (who: TestUser, id: string) =>
    api.call('GET', `/api/projects/${id}`, { token: who.token });
  const stream = (who: TestUser, id: string) =>
    SseStream.open(`${api.baseUrl}/api/projects/${id}/events`, {
      authorization: `Bearer ${who.token}`,
    });

  it("ends a deactivated user's delegations: their delegate no longer acts in their name", async () => {
    const id = await project('Leaver', 'dee');
    await delegate('dee', 'zoe', id);
    expect((await open(users.zoe!, id)).status).toBe(200);

    const off = { token: api.adminToken, body: { active: false } };
    expectStatus(await api.call('PATCH', '/api/users/dee', off), 200, 'deactivate dee');

    expect((await open(users.zoe!, id)).status).toBe(403);
    const inbox = await api.call('GET', '/api/inbox', { token: users.zoe!.token });
    expect(inbox.body.items).toEqual([]);
    const vote = await api.call('POST', `/api/projects/${id}/nodes/inception/signoffs`, {
      token: users.zoe!.token,
      body: {
        decision: 'go',
        criteria: fullMarks(nodeOf(builtin, 'inception')),
        onBehalfOf: 'dee',
      },
    });
    // No longer let into the project at all, before any vote is looked at.
    expect({ status: vote.status, code: vote.body?.code }).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const cast = (await listAudit(api.db, id, { limit: 100 })).filter(
      (e) => e.actor === 'zoe' || (e.detail as { onBehalfOf?: string })?.onBehalfOf === 'dee',
    );
    expect(cast).toEqual([]);
    const given = await api.call('GET', '/api/delegations', { token: users.zoe!.token });
    expect(given.body.received).toEqual([expect.objectContaining({ status: 'revoked' })]);
    const entry = (await listAdminAudit(api.db, { limit: 50 })).items.find(
      (e) => e.action === 'user.deactivated' && e.target === 'dee',
    );
    expect(entry?.detail).toMatchObject({ revokedDelegations: 1 });
  });

  it('ends a project stream whose caller may no longer open the project', async () => {
    const id = await project('Withdrawn');
    const delegation = await delegate('stan', 'wim', id);
    const callers = { wim: users.wim!, mona: users.mona!, boss: users.boss! };
    const streams = Object.fromEntries(
      await Promise.all(
        Object.entries(callers).map(async ([name, who]) => [name, await stream(who, id)] as const),
      ),
    );
    for (const [name, s] of Object.entries(streams)) {
      expect([name, s.status, (await s.next())?.event]).toEqual([name, 200, 'state']);
    }

    const revoke = await api.call('DELETE', `/api/delegations/${delegation}`, {
      token: users.stan!.token,
    });
    expect(revoke.status).toBe(204);
    const moved = await api.call('POST', `/api/projects/${id}/participants/reassign`, {
      token: pmo.token,
      body: { role: 'ops-manager', from: 'mona', to: 'vic' },
    });
    expect(moved.status).toBe(200);
    const demoted = { token: api.adminToken, body: { pmo: false } };
    expectStatus(await api.call('PATCH', '/api/users/boss', demoted), 200, 'remove PMO');
    for (const who of Object.values(callers)) expect((await open(who, id)).status).toBe(403);

    const secret = 'posted after they lost access';
    const feedback = { text: secret, kind: 'feedback' };
    const posted = await api.call('POST', `/api/projects/${id}/feedback`, {
      token: users.sue!.token,
      body: feedback,
    });
    expect(posted.status).toBe(201);
    for (const [name, s] of Object.entries(streams)) {
      const seen: string[] = [];
      for (let e = await s.next(8_000); e; e = await s.next(8_000)) seen.push(e.data);
      expect([name, seen.filter((data) => data.includes(secret)), s.done]).toEqual([
        name,
        [],
        true,
      ]);
      await s.close();
    }
  });
});
