/**
 * Text no store can hold (NUL, an unpaired surrogate) sent where the account routes take free
 * text or a user id: refused with the field named, never a 500 and never stored altered. On
 * PostgreSQL, whose text type cannot hold NUL (SQLite takes it in stride and hides the fault).
 */
import { databaseFactory } from '../support/databases';
import { startApiStack, type ApiStack, type Reply } from './stack';

let api: ApiStack;
let pmo: string;
const ROLES = ['pm', 'ops-lead', 'ops-manager', 'support', 'steering'];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  api = await startApiStack(databaseFactory('postgres'));
  pmo = (await api.user('at-pmo', { pmo: true })).token;
  for (const role of ROLES) tokens[role] = (await api.user(`at-${role}`)).token;
});
afterAll(async () => api?.stop());

const BAD = { nul: 'a\u0000b', surrogate: 'a\ud800b' };

/** The answer refuses the text, naming `path` and saying why it cannot be stored. */
function expectRefused(reply: Reply, status: number, path: (string | number)[]): void {
  expect([reply.status, reply.headers.get('content-type')]).toEqual([
    status,
    expect.stringContaining('application/problem+json'),
  ]);
  expect(reply.body.errors).toContainEqual(
    expect.objectContaining({ path, code: 'invalid_text', message: expect.any(String) }),
  );
}

it.each(Object.entries(BAD))(
  'refuses a token label holding %s, and stores none',
  async (_, text) => {
    const mine = await api.call('POST', '/api/me/tokens', { token: pmo, body: { label: text } });
    expectRefused(mine, 422, ['body', 'label']);
    const theirs = await api.call('POST', '/api/users/at-ops-lead/tokens', {
      token: api.adminToken,
      body: { label: text },
    });
    expectRefused(theirs, 422, ['body', 'label']);
    const listed = await api.call('GET', '/api/users/at-ops-lead/tokens', {
      token: api.adminToken,
    });
    expect(listed.body.items).toHaveLength(1);
  },
);

it.each(Object.entries(BAD))('refuses renaming a user to a name holding %s', async (_, text) => {
  const renamed = await api.call('PATCH', '/api/users/at-ops-lead', {
    token: api.adminToken,
    body: { name: text },
  });
  expectRefused(renamed, 422, ['body', 'name']);
  const user = await api.call('GET', '/api/users/at-ops-lead', { token: api.adminToken });
  expect(user.body.name).toBe('at-ops-lead');
});

it('renames a user the way it names a new one: trimmed, NFC', async () => {
  const renamed = await api.call('PATCH', '/api/users/at-ops-lead', {
    token: api.adminToken,
    body: { name: ' Ame\u0301lie ' },
  });
  expect([renamed.status, renamed.body.name]).toEqual([200, 'Am\u00e9lie']);
});

it('refuses a directory search holding NUL, naming the query field', async () => {
  for (const path of ['/api/users?q=%00', '/api/colleagues?q=a%00']) {
    expectRefused(await api.call('GET', path, { token: pmo }), 400, ['query', 'q']);
  }
});

it('answers a user id holding NUL as no such user, naming the field', async () => {
  const delegation = await api.call('POST', '/api/delegations', {
    token: pmo,
    body: {
      delegate: 'at-ops-lead\u0000',
      from: '2100-01-01T00:00:00Z',
      until: '2100-02-01T00:00:00Z',
    },
  });
  expect([delegation.status, delegation.body.errors[0]?.path]).toEqual([422, ['body', 'delegate']]);
  const start = await api.call('POST', '/api/projects', {
    token: pmo,
    body: { name: 'NUL', template: 'ops-integrated-delivery', participants: { pm: ['\u0000'] } },
  });
  expect(start.status).toBe(422);
  expect(start.body.errors).toContainEqual(
    expect.objectContaining({ path: ['body', 'participants', 'pm', 0], code: 'unknown_user' }),
  );
});

it('answers a vote for a user id holding NUL as no delegation, naming the field', async () => {
  const started = await api.call('POST', '/api/projects', {
    token: pmo,
    body: {
      name: 'Stand-in',
      template: 'ops-integrated-delivery',
      participants: Object.fromEntries(ROLES.map((role) => [role, [`at-${role}`]])),
    },
  });
  expect(started.status).toBe(201);
  const vote = await api.call('POST', `/api/projects/${started.body.id}/nodes/inception/signoffs`, {
    token: tokens['ops-lead'],
    body: { decision: 'hold', onBehalfOf: 'at-pm\u0000' },
  });
  expect([vote.status, vote.body.errors?.[0]?.path]).toEqual([403, ['body', 'onBehalfOf']]);
});
