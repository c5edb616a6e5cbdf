/**
 * User administration over HTTP with a running project: an admin deactivates a participant
 * (their token stops on the next request, the project shows them inactive, the PMO is told in
 * the inbox to reassign them), reactivates them, grants and removes PMO and admin, and can
 * never leave Gatehouse without an active admin; each change is in the admin audit trail,
 * whose hash chain holds.
 */
import { verifyAdminTrail } from '../../db';
import { databaseFactory } from '../support/databases';
import { SseStream } from './sse-client';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const ROLES = ['pm', 'ops-lead', 'ops-manager', 'support', 'steering'] as const;
let api: ApiStack;
let pmo: TestUser;
const people: Record<string, TestUser> = {};
let projectId: string;

beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
  pmo = await api.user('ua-pmo', { pmo: true });
  for (const role of ROLES) people[role] = await api.user(`ua-${role}`);
  const started = await api.call('POST', '/api/projects', {
    token: pmo.token,
    body: {
      name: 'Warehouse scanners',
      template: 'ops-integrated-delivery',
      participants: Object.fromEntries(ROLES.map((r) => [r, [people[r]!.id]])),
    },
  });
  expect(started.status).toBe(201);
  projectId = started.body.id;
});
afterAll(async () => api?.stop());

const admin = () => api.adminToken;
const patch = (id: string, body: unknown, token = admin()) =>
  api.call('PATCH', `/api/users/${id}`, { token, body });

it('deactivates a participant: their token stops, the project shows them inactive, the PMO is told', async () => {
  const lead = people['ops-lead']!;
  expect((await api.call('GET', '/api/me', { token: lead.token })).status).toBe(200);
  const off = await patch(lead.id, { active: false });
  expect(off.status).toBe(200);
  expect(off.body).toMatchObject({ id: lead.id, active: false, identities: [] });
  const refused = await api.call('GET', '/api/me', { token: lead.token });
  expect(refused.status).toBe(401);

  const participants = await api.call('GET', `/api/projects/${projectId}/participants`, {
    token: people.pm!.token,
  });
  expect(participants.status).toBe(200);
  expect(participants.body.items).toContainEqual({
    userId: lead.id,
    name: lead.id,
    roles: ['ops-lead'],
    active: false,
  });
  expect(participants.body.items.filter((p: { active: boolean }) => !p.active)).toHaveLength(1);

  const inbox = await api.call('GET', '/api/inbox/notifications', { token: pmo.token });
  expect(inbox.body.items).toContainEqual(
    expect.objectContaining({
      projectId,
      kind: 'message',
      subject: `Reassign ${lead.id} in Warehouse scanners`,
      text: expect.stringContaining('ops-lead'),
    }),
  );
  // The directory shows it too, and pickers can ask for active people only.
  const directory = await api.call('GET', `/api/users?q=ua-&active=true`, { token: pmo.token });
  expect(directory.body.items.map((u: { id: string }) => u.id)).not.toContain(lead.id);

  const on = await patch(lead.id, { active: true });
  expect(on.body.active).toBe(true);
  // Reactivated, but the revoked token stays revoked: an admin makes a new one.
  expect((await api.call('GET', '/api/me', { token: lead.token })).status).toBe(401);
  const fresh = await api.call('POST', `/api/users/${lead.id}/tokens`, {
    token: admin(),
    body: { label: 'back from leave', expiresInDays: 30 },
  });
  expect(fresh.status).toBe(201);
  expect((await api.call('GET', '/api/me', { token: fresh.body.token })).status).toBe(200);
});

it('ends the open event streams of a deactivated user within seconds', async () => {
  const steering = people.steering!;
  const stream = await SseStream.open(`${api.baseUrl}/api/projects/${projectId}/events`, {
    authorization: `Bearer ${steering.token}`,
  });
  expect(stream.status).toBe(200);
  expect((await stream.next())?.event).toBe('state');
  expect((await patch(steering.id, { active: false })).status).toBe(200);
  let event = await stream.next(8_000);
  while (event?.event === 'state') event = await stream.next(8_000);
  expect(event?.event).toBe('signed-out');
  // The server closes the stream itself.
  for (let i = 0; i < 50 && !stream.done; i++) await new Promise((r) => setTimeout(r, 100));
  expect(stream.done).toBe(true);
  expect((await patch(steering.id, { active: true })).status).toBe(200);
});

it('grants and removes PMO and admin, which take effect on the next request', async () => {
  const support = people.support!;
  const draft = () =>
    api.call('PUT', '/api/templates/ua-draft/draft', { token: support.token, body: { name: 'x' } });
  expect((await draft()).status).toBe(403);
  expect((await patch(support.id, { pmo: true })).body).toMatchObject({ pmo: true });
  expect((await draft()).status).toBe(200);
  expect((await patch(support.id, { pmo: false, admin: true })).body).toMatchObject({
    pmo: false,
    admin: true,
  });
  expect((await api.call('GET', '/api/admin/audit', { token: support.token })).status).toBe(200);
  expect((await patch(support.id, { admin: false })).body.admin).toBe(false);
  expect((await api.call('GET', '/api/admin/audit', { token: support.token })).status).toBe(403);
});

it('never leaves Gatehouse without an active admin, nor lets an admin deactivate themselves', async () => {
  const self = await patch('admin', { active: false });
  expect(self.status).toBe(409);
  expect(self.body.code).toBe('cannot_deactivate_self');
  const second = await api.user('ua-second-admin', { admin: true });
  // The bootstrap admin steps down; the second one cannot follow.
  expect((await patch('admin', { admin: false }, second.token)).status).toBe(200);
  const last = await patch(second.id, { admin: false }, second.token);
  expect(last.status).toBe(409);
  expect(last.body).toMatchObject({ code: 'last_admin', errors: [{ path: ['body', 'admin'] }] });
  expect((await patch('admin', { admin: true }, second.token)).status).toBe(200);
});

it('answers clearly for an unknown user or an empty change', async () => {
  expect((await patch('nobody', { active: false })).status).toBe(404);
  const empty = await patch(people.pm!.id, {});
  expect(empty.status).toBe(400);
  const unknown = await patch(people.pm!.id, { superuser: true });
  expect(unknown.status).toBe(400);
  expect(unknown.body.errors[0].path).toEqual(['body']);
});

it('lists every change in the admin audit trail, newest first, its chain intact', async () => {
  const first = await api.call('GET', '/api/admin/audit?limit=5', { token: admin() });
  expect(first.status).toBe(200);
  expect(first.body.items).toHaveLength(5);
  const seqs = first.body.items.map((e: { seq: number }) => e.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  const all: { action: string }[] = [...first.body.items];
  let cursor = first.body.nextCursor;
  while (cursor) {
    const page = await api.call('GET', `/api/admin/audit?limit=5&cursor=${cursor}`, {
      token: admin(),
    });
    all.push(...page.body.items);
    cursor = page.body.nextCursor;
  }
  const lead = people['ops-lead']!.id;
  expect(all).toContainEqual(
    expect.objectContaining({
      action: 'user.deactivated',
      actor: 'admin',
      target: lead,
      detail: {
        revokedTokens: 1,
        endedSessions: 0,
        revokedDelegations: 0,
        runningProjects: [projectId],
      },
    }),
  );
  for (const action of ['user.reactivated', 'user.role_granted', 'user.role_removed']) {
    expect(all.map((e) => e.action)).toContain(action);
  }
  expect(await verifyAdminTrail(api.db)).toEqual({ trail: 'admin', entries: all.length });
});
