/**
 * Out of office for KPI reviews (found walking the app as operations: the only reviewer's
 * review could not be handed to their stand-in, so it went overdue), over HTTP with the real
 * app, worker and Temporal dev server: while the reviewer delegates the project, the delegate
 * finds the open review in their to-do list "for" the reviewer, does it there, and the audit
 * trail says who acted for whom; without a running delegation it is refused (403).
 */
import type { Template } from '../../workflows/model';
import { standInTemplate } from '../fixtures/kpi-stand-in';
import { databaseFactory } from '../support/databases';
import { bodyOf, eventually, expectStatus, startProject } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const DAY = 24 * 60 * 60 * 1000;

/**
 * A review every 8 s, not the fixture's 2 s: the review the stand-in finds must still be the
 * open one when they send it (on a loaded machine the steps between took longer than 2 s).
 */
const template: Template = {
  ...standInTemplate,
  nodes: standInTemplate.nodes.map((n) => (n.type === 'monitor' ? { ...n, every: 'PT8S' } : n)),
};
const iso = (ms: number) => new Date(ms).toISOString();

let api: ApiStack;
let pmo: TestUser;
const users: Record<string, TestUser> = {};
beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'));
  pmo = await api.user('pmo', { pmo: true });
  for (const id of ['pat', 'omar', 'dana']) users[id] = await api.user(id);
  const root = { token: pmo.token };
  expectStatus(
    await api.call('PUT', `/api/templates/${template.key}/draft`, { ...root, body: template }),
    200,
    'draft',
  );
  expectStatus(
    await api.call('POST', `/api/templates/${template.key}/publish`, root),
    201,
    'publish',
  );
});
afterAll(async () => api?.stop());

type InboxItem = { action: string; itemId?: string; onBehalfOf?: { id: string } };

it('lets the stand-in do the only reviewer’s KPI review, for them', async () => {
  const id = await startProject(api, pmo, 'Stand-in review', {
    template: template.key,
    participants: { pm: ['pat'], ops: ['omar'] },
  });
  const path = `/api/projects/${id}/nodes/monitor/kpi-reviews`;
  const review = (who: string, body: object) =>
    api.call('POST', path, {
      token: users[who]!.token,
      body: { values: { adoption: 85 }, decision: 'keep', ...body },
    });
  const todo = async (who: string) =>
    bodyOf<{ items: InboxItem[] }>(
      await api.call('GET', '/api/inbox', { token: users[who]!.token }),
      200,
      'inbox',
    ).items.filter((i) => i.action === 'kpi-review');

  await eventually(
    'the review opens',
    () => todo('omar'),
    (items) => items.length > 0,
  );
  // No delegation yet: the stand-in may not even open the project.
  expect((await review('dana', { onBehalfOf: 'omar' })).status).toBe(403);

  const away = {
    delegate: 'dana',
    project: id,
    from: iso(Date.now()),
    until: iso(Date.now() + DAY),
  };
  expectStatus(
    await api.call('POST', '/api/delegations', { token: users.omar!.token, body: away }),
    201,
    'delegate',
  );
  // The to-do list follows the delegation (the inbox is re-read, not cached).
  const [item] = await eventually(
    'the stand-in’s to-do',
    () => todo('dana'),
    (i) => i.length > 0,
  );
  expect(item).toMatchObject({ action: 'kpi-review', onBehalfOf: { id: 'omar' } });
  const done = bodyOf<{ id: string }>(await review('dana', { onBehalfOf: 'omar' }), 201, 'review');
  expect(done.id).toBe(item!.itemId);

  const audit = bodyOf<{ items: { action: string; actor: string; detail?: object }[] }>(
    await api.call('GET', `/api/projects/${id}/audit`, { token: users.omar!.token }),
    200,
    'audit',
  );
  expect(audit.items.find((e) => e.action === 'monitor.reviewed')).toMatchObject({
    actor: 'dana',
    detail: { onBehalfOf: 'omar' },
  });
  const view = bodyOf<{ nodes: { monitor: { monitor: { done: object[] } } } }>(
    await api.call('GET', `/api/projects/${id}`, { token: users.dana!.token }),
    200,
    'project',
  );
  expect(view.nodes.monitor.monitor.done.at(-1)).toMatchObject({ by: 'dana', onBehalfOf: 'omar' });
});
