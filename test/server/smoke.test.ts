/** A first end-to-end check of the API stack on SQLite: templates, start, sign-off, inbox. */
import { eachDatabase } from '../support/databases';
import { startApiStack, type ApiStack } from './stack';

let api: ApiStack;
beforeAll(async () => {
  api = await startApiStack(eachDatabase()[0]!);
});
afterAll(async () => api.stop());

it('serves the built-in template and runs a sign-off through the inbox', async () => {
  const pmo = await api.user('pmo', { pmo: true });
  const people = {
    pm: 'pat',
    'ops-lead': 'olga',
    'ops-manager': 'mona',
    support: 'sue',
    steering: 'stan',
  };
  const tokens: Record<string, string> = {};
  for (const id of Object.values(people)) tokens[id] = (await api.user(id)).token;
  const templates = await api.call('GET', '/api/templates', { token: pmo.token });
  expect(templates.status).toBe(200);
  expect(templates.body.items).toEqual([
    expect.objectContaining({ key: 'ops-integrated-delivery', latestVersion: 1 }),
    expect.objectContaining({ key: 'ops-integrated-delivery-practice', latestVersion: 1 }),
  ]);
  const started = await api.call('POST', '/api/projects', {
    token: pmo.token,
    body: {
      name: 'CRM',
      template: 'ops-integrated-delivery',
      participants: Object.fromEntries(Object.entries(people).map(([r, u]) => [r, [u]])),
    },
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const inbox = await api.call('GET', '/api/inbox', { token: tokens.olga });
  expect(inbox.body.items).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ projectId: id, nodeId: 'inception', action: 'signoff' }),
    ]),
  );
  const refused = await api.call('POST', `/api/projects/${id}/nodes/inception/signoffs`, {
    token: tokens.olga,
    body: { decision: 'go' },
  });
  expect(refused.status).toBe(422);
  expect(refused.headers.get('content-type')).toContain('application/problem+json');
  const held = await api.call('POST', `/api/projects/${id}/nodes/inception/signoffs`, {
    token: tokens.olga,
    body: { decision: 'hold', comment: 'wait' },
  });
  expect(held.status).toBe(200);
  const state = await api.call('GET', `/api/projects/${id}`, { token: pmo.token });
  expect(state.body.status).toBe('on_hold');
  const stranger = await api.user('stranger');
  expect((await api.call('GET', `/api/projects/${id}`, { token: stranger.token })).status).toBe(
    403,
  );
  expect((await api.call('GET', `/api/projects/nope`, { token: stranger.token })).status).toBe(404);
  expect((await api.call('DELETE', `/api/projects/${id}`, { token: pmo.token })).status).toBe(405);
  expect((await api.call('POST', '/api/projects', { token: pmo.token, raw: '{nope' })).status).toBe(
    400,
  );
  const openapi = await api.call('GET', '/api/openapi.json');
  expect(openapi.body.openapi).toBe('3.2.0');
  expect((await api.call('GET', '/readyz')).status).toBe(200);
});
