/**
 * The to-do inbox (`GET /api/inbox`) over HTTP on both databases, with the real app, worker and
 * Temporal dev server: a page of the open-actions table in due order (no due date last), paged
 * by `limit` and `nextCursor` (an unknown cursor is a 400 naming `query.cursor`); a delegate's
 * page mixes in the delegator's sign-offs of the delegated projects only, for whom; and a
 * database upgraded without the table's rows gets them from `gatehouse migrate`.
 */
import { getProjectState, migrateToLatest } from '../../db';
import { DELEGABLE_ACTIONS, pendingActions, type PendingAction } from '../../workflows/lifecycle';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { bodyOf, eventually, expectStatus, startProject } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const DAY = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

type Page = { items: PendingAction[]; nextCursor?: string };

describe.each(eachDatabase())('the to-do inbox on $name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  const users: Record<string, TestUser> = {};
  const projects: string[] = [];

  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('pmo', { pmo: true });
    for (const id of ['pat', 'olga', 'mona', 'sue', 'stan']) users[id] = await api.user(id);
    for (const name of ['Alpha', 'Beta', 'Gamma'])
      projects.push(await startProject(api, pmo, name, { version: 1 }));
    // The worker's first snapshot replaces the API's: wait for it, so the rows hold still.
    await eventually(
      "the worker's snapshots",
      () => api.db.selectFrom('projects').select('attempt').execute(),
      (rows) => rows.length === projects.length && rows.every((r) => r.attempt !== null),
    );
  });
  afterAll(async () => api.stop());

  const page = async (who: string, query = '') =>
    bodyOf<Page>(
      await api.call('GET', `/api/inbox${query}`, { token: users[who]!.token }),
      200,
      `inbox${query}`,
    );

  /** Every item, following `nextCursor` with pages of `limit`. */
  async function everyPage(who: string, limit: number): Promise<PendingAction[]> {
    const items: PendingAction[] = [];
    let cursor: string | undefined;
    do {
      const q = `?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const next = await page(who, q);
      expect(next.items.length).toBeLessThanOrEqual(limit);
      items.push(...next.items);
      cursor = next.nextCursor;
    } while (cursor !== undefined);
    return items;
  }

  /** What the interpreter says `who` can do now in the stored projects, in due order. */
  async function interpreted(who: string): Promise<PendingAction[]> {
    const all: PendingAction[] = [];
    for (const id of projects) {
      const state = await getProjectState(api.db, id);
      all.push(...pendingActions(state!, builtin, who));
    }
    const due = (a: PendingAction) => a.dueAt ?? Infinity;
    return all.sort((a, b) => due(a) - due(b));
  }

  const key = (a: PendingAction) =>
    [a.projectId, a.action, a.nodeId, a.itemId ?? '', a.onBehalfOf?.id ?? ''].join(' ');

  it('pages what the caller can do, due first, and refuses a cursor it did not hand out', async () => {
    const whole = await page('pat', '?limit=200');
    expect(whole.nextCursor).toBeUndefined();
    // Every project waits for pat's deliverables: more than a page of 2.
    expect(whole.items.length).toBeGreaterThan(projects.length);
    expect(whole.items.map(key).sort()).toEqual((await interpreted('pat')).map(key).sort());
    const dues = whole.items.map((a) => a.dueAt ?? Infinity);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    // Due together, a gate's sign-off comes after its deliverables, which it needs.
    for (const id of projects) {
      const theirs = whole.items.filter((a) => a.projectId === id).map((a) => a.action);
      expect(theirs).toContain('signoff');
      expect(theirs.lastIndexOf('submit-deliverable')).toBeLessThan(theirs.indexOf('signoff'));
    }

    const first = await page('pat', '?limit=2');
    expect(first.items).toEqual(whole.items.slice(0, 2));
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await everyPage('pat', 2)).toEqual(whole.items);
    // The default page is 50: all of them here.
    expect((await page('pat')).items).toEqual(whole.items);

    for (const cursor of ['nope', Buffer.from('12:x').toString('base64url').slice(1)]) {
      const reply = await api.call('GET', `/api/inbox?cursor=${cursor}`, {
        token: users.pat!.token,
      });
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reply.body.errors).toEqual([
        expect.objectContaining({ path: ['query', 'cursor'], code: 'invalid_cursor' }),
      ]);
    }
    const zero = await api.call('GET', '/api/inbox?limit=0', { token: users.pat!.token });
    expect(zero.status).toBe(400);
    expect(zero.body.errors).toEqual([expect.objectContaining({ path: ['query', 'limit'] })]);
  });

  it("mixes in a delegator's sign-offs of the delegated projects only, for whom, paged", async () => {
    const [alpha, beta] = projects as [string, string];
    const period = { from: iso(Date.now() - 1000), until: iso(Date.now() + 7 * DAY) };
    const given = await api.call('POST', '/api/delegations', {
      token: users.pat!.token,
      body: { delegate: 'olga', project: alpha, ...period },
    });
    expectStatus(given, 201, 'delegate alpha');
    const pats = (await page('pat', '?limit=200')).items;
    const delegable = (a: PendingAction) => DELEGABLE_ACTIONS.includes(a.action);
    // Pat has sign-offs in both projects and actions of their own (not delegable) in alpha.
    expect(pats.filter((a) => delegable(a) && a.projectId === beta)).not.toEqual([]);
    expect(pats.filter((a) => !delegable(a) && a.projectId === alpha)).not.toEqual([]);

    const olgas = (await page('olga', '?limit=200')).items;
    // Alpha's sign-offs only, as pat has them, for pat.
    expect(olgas.filter((a) => a.onBehalfOf)).toEqual(
      pats
        .filter((a) => delegable(a) && a.projectId === alpha)
        .map((a) => ({ ...a, onBehalfOf: { id: 'pat', name: 'pat' } })),
    );
    expect(olgas.filter((a) => a.onBehalfOf)).not.toEqual([]);
    expect(
      olgas
        .filter((a) => !a.onBehalfOf)
        .map(key)
        .sort(),
    ).toEqual((await interpreted('olga')).map(key).sort());
    const dues = olgas.map((a) => a.dueAt ?? Infinity);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    // One query pages both: the same list a row at a time.
    expect(await everyPage('olga', 1)).toEqual(olgas);
  });

  it('derives the rows of a database upgraded without them (gatehouse migrate)', async () => {
    const before = { pat: await page('pat', '?limit=200'), olga: await page('olga', '?limit=200') };
    expect(before.pat.items.length).toBeGreaterThan(0);
    // As a database stored before 0013 is: projects, no open actions, no derivation recorded.
    await api.db.deleteFrom('open_actions').execute();
    await api.db.deleteFrom('read_model_revs').execute();
    expect((await page('pat', '?limit=200')).items).toEqual([]);

    expect(await migrateToLatest(api.db)).toEqual([]);
    expect(await page('pat', '?limit=200')).toEqual(before.pat);
    expect(await page('olga', '?limit=200')).toEqual(before.olga);
  });
});
