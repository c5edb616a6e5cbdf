/**
 * An inbox people live in (issue 10, item 5), over HTTP on both databases: notifications
 * filtered by project, kind and unread; one, several or all marked read (all or nothing, the
 * field at fault named); counts per project and kind; and the caller's inbox stream, which
 * tells of every new notification, read mark and move of their projects as it happens.
 */
import { insertInboxItems } from '../../db';
import type { Notification } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { eventually, expectStatus, startProject } from './drive-http';
import { liveStack } from './live-stack';
import { SseStream } from './sse-client';
import type { TestUser } from './stack';

describe.each(eachDatabase())('$name', (factory) => {
  const s = liveStack(factory);

  const list = async (user: TestUser, query = '') =>
    expectStatus(
      await s.api.call('GET', `/api/inbox/notifications${query}`, { token: user.token }),
      200,
      `notifications${query}`,
    ).body as { items: { id: string; projectId: string; kind: string; readAt?: number }[] };

  const summary = async (user: TestUser) =>
    expectStatus(
      await s.api.call('GET', '/api/inbox/summary', { token: user.token }),
      200,
      'summary',
    ).body as {
      total: number;
      unread: number;
      projects: { id: string; name: string; total: number; unread: number }[];
      kinds: { kind: string; total: number; unread: number }[];
    };

  const markRead = (user: TestUser, body: unknown) =>
    s.api.call('POST', '/api/inbox/notifications/read', { token: user.token, body });

  /** A notification put straight into the inbox (as the worker's activity would). */
  async function deliver(n: Partial<Notification> & Pick<Notification, 'key' | 'projectId'>) {
    await insertInboxItems(
      s.api.db,
      {
        projectName: 'Direct',
        kind: 'celebration',
        recipients: ['pat'],
        subject: `subject ${n.key}`,
        text: 'text',
        at: Date.now(),
        ...n,
      },
      n.recipients ?? ['pat'],
    );
  }

  it('filters by project, kind and unread, and marks one, several or all read', async () => {
    const crm = await startProject(s.api, s.pmo, 'CRM rollout');
    const erp = await startProject(s.api, s.pmo, 'ERP upgrade');
    // Each start asks the gate's signers (pat among them) to sign: one notification each.
    await eventually(
      'the start notifications',
      () => list(s.pat),
      (page) => page.items.length === 2,
    );
    await deliver({ key: `${crm}:extra`, projectId: crm, kind: 'celebration' });

    expect((await list(s.pat, `?project=${crm}`)).items.map((i) => i.projectId)).toEqual([
      crm,
      crm,
    ]);
    expect((await list(s.pat, `?project=${erp}`)).items).toHaveLength(1);
    expect((await list(s.pat, '?kind=celebration')).items.map((i) => i.projectId)).toEqual([crm]);
    expect((await list(s.pat, `?kind=action-required&project=${erp}`)).items).toHaveLength(1);

    let counts = await summary(s.pat);
    expect(counts).toMatchObject({ total: 3, unread: 3 });
    expect(counts.projects).toEqual([
      { id: crm, name: 'CRM rollout', total: 2, unread: 2 },
      { id: erp, name: 'ERP upgrade', total: 1, unread: 1 },
    ]);
    expect(counts.kinds).toEqual([
      { kind: 'action-required', total: 2, unread: 2 },
      { kind: 'celebration', total: 1, unread: 1 },
    ]);

    // One read: it keeps its read time, the counts follow, the unread filter drops it.
    const [first] = (await list(s.pat, `?project=${erp}`)).items;
    const one = expectStatus(await markRead(s.pat, { ids: [first!.id] }), 200, 'mark one');
    expect(one.body).toEqual({ marked: 1, unread: 2 });
    const readAt = (await list(s.pat, `?project=${erp}`)).items[0]!.readAt;
    expect(readAt).toEqual(expect.any(Number));
    expect(expectStatus(await markRead(s.pat, { ids: [first!.id] }), 200, 'again').body).toEqual({
      marked: 0,
      unread: 2,
    });
    expect((await list(s.pat, `?project=${erp}`)).items[0]!.readAt).toBe(readAt);
    expect((await list(s.pat, '?unread=true')).items.map((i) => i.projectId)).toEqual([crm, crm]);
    counts = await summary(s.pat);
    expect(counts.projects.find((p) => p.id === erp)).toMatchObject({ total: 1, unread: 0 });

    // Olga's notifications are hers: naming one of them marks nothing of Pat's either.
    const olgas = (await list(s.olga)).items;
    const pats = (await list(s.pat, '?unread=true')).items;
    const refused = await markRead(s.pat, { ids: [pats[0]!.id, olgas[0]!.id] });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      code: 'unknown_notification',
      errors: [{ path: ['body', 'ids', 1], code: 'unknown_notification' }],
    });
    expect((await summary(s.pat)).unread).toBe(2);
    expect((await summary(s.olga)).unread).toBe(2);

    // All: what is unread, Pat's only.
    expect(expectStatus(await markRead(s.pat, { all: true }), 200, 'all').body).toEqual({
      marked: 2,
      unread: 0,
    });
    expect((await list(s.pat, '?unread=true')).items).toEqual([]);
    expect((await summary(s.olga)).unread).toBe(2);
  });

  it('refuses a read mark that is neither ids nor all, naming the field', async () => {
    for (const [body, path] of [
      [{}, ['body']],
      [{ ids: ['a'], all: true }, ['body']],
      [{ all: false }, ['body', 'all']],
      [{ ids: [] }, ['body', 'ids']],
      [{ ids: ['not an id!'] }, ['body', 'ids', 0]],
      [{ all: true, project: 'x' }, ['body']],
    ] as const) {
      const reply = await markRead(s.pat, body);
      expect([JSON.stringify(body), reply.status]).toEqual([JSON.stringify(body), 400]);
      expect(reply.body.errors.map((e: { path: unknown }) => e.path)).toContainEqual(path);
    }
    const kind = await s.api.call('GET', '/api/inbox/notifications?kind=gossip', {
      token: s.pat.token,
    });
    expect(kind.status).toBe(400);
    expect(kind.body.errors[0].path).toEqual(['query', 'kind']);
  });

  it('streams the counts: new notifications, read marks and project moves, as they happen', async () => {
    const stream = await SseStream.open(`${s.api.baseUrl}/api/inbox/events`, {
      authorization: `Bearer ${s.olga.token}`,
    });
    s.streams.push(stream);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await stream.next();
    expect(first?.event).toBe('inbox');
    const before = JSON.parse(first!.data) as { unread: number; actions: string };

    // A new project asks Olga to sign: a notification and a new to-do.
    const id = await startProject(s.api, s.pmo, 'Payroll');
    const started = await nextInbox(stream, (c) => c.unread === before.unread + 1);
    expect(started.actions).not.toBe(before.actions);
    expect(started.projects.find((p) => p.id === id)).toMatchObject({ name: 'Payroll', unread: 1 });

    // She reads it.
    const [item] = (await list(s.olga, `?project=${id}`)).items;
    expectStatus(await markRead(s.olga, { ids: [item!.id] }), 200, 'read');
    const read = await nextInbox(stream, (c) => c.unread === before.unread);
    expect(read.actions).toBe(started.actions);

    // Pat submits a deliverable: nothing new to read, but the project moved.
    const path = `/api/projects/${id}/nodes/inception/deliverables/stakeholder-map`;
    expectStatus(
      await s.api.call('POST', path, { token: s.pat.token, body: { text: 'map' } }),
      200,
      'deliverable',
    );
    const moved = await nextInbox(stream, (c) => c.actions !== read.actions);
    expect(moved.unread).toBe(read.unread);

    // A reconnect that saw the latest state hears nothing until something changes.
    const again = await SseStream.open(`${s.api.baseUrl}/api/inbox/events`, {
      authorization: `Bearer ${s.olga.token}`,
      'last-event-id': moved.id,
    });
    s.streams.push(again);
    expect(await again.next(1_600)).toBeUndefined();
  });

  type Counts = {
    unread: number;
    actions: string;
    id: string;
    projects: { id: string; name: string; unread: number }[];
  };
  async function nextInbox(stream: SseStream, until: (c: Counts) => boolean): Promise<Counts> {
    for (;;) {
      const event = await stream.next(10_000);
      if (!event) throw new Error('no inbox event came');
      expect(event.event).toBe('inbox');
      const counts = { ...(JSON.parse(event.data) as Counts), id: event.id! };
      if (until(counts)) return counts;
    }
  }
});
