/**
 * `GET /api/users`: the directory PMO and admin users search to pick participants, over HTTP
 * against the real app (who may call it is in the authorization matrix).
 */
import { databaseFactory } from '../support/databases';
import { startApiStack, type ApiStack } from './stack';

let api: ApiStack;
let pmo: string;

beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'), {}, { worker: false });
  pmo = (await api.user('dir-pmo', { pmo: true })).token;
  for (const [id, name] of [
    ['dir-olga', 'Olga Operations Lead'],
    ['dir-omar', 'Omar Operations Manager'],
    ['dir-paul', 'Paul Project Manager'],
  ] as const) {
    await api.call('POST', '/api/users', {
      token: api.adminToken,
      body: { name, email: `${id}@example.test` },
    });
  }
});
afterAll(async () => api?.stop());

it('finds colleagues by name or e-mail, a page at a time, as {id, name, email, active}', async () => {
  const first = await api.call('GET', '/api/users?q=operations&limit=1', { token: pmo });
  expect(first.status).toBe(200);
  expect(first.body.items).toEqual([
    {
      id: expect.any(String),
      name: 'Olga Operations Lead',
      email: 'dir-olga@example.test',
      active: true,
    },
  ]);
  const cursor = encodeURIComponent(first.body.nextCursor);
  const second = await api.call('GET', `/api/users?q=operations&limit=1&cursor=${cursor}`, {
    token: api.adminToken,
  });
  expect(second.body.items.map((u: { name: string }) => u.name)).toEqual([
    'Omar Operations Manager',
  ]);
  expect(second.body.nextCursor).toBeUndefined();
  const byMail = await api.call('GET', '/api/users?q=DIR-PAUL%40', { token: pmo });
  expect(byMail.body.items.map((u: { name: string }) => u.name)).toEqual(['Paul Project Manager']);
});

it('finds a name in letters beyond ASCII whatever its case, also once renamed', async () => {
  const created = await api.call('POST', '/api/users', {
    token: api.adminToken,
    body: { name: 'Émile Zola', email: 'dir-ez@example.test' },
  });
  expect(created.status).toBe(201);
  const names = async (q: string) => {
    const reply = await api.call('GET', `/api/users?q=${encodeURIComponent(q)}`, { token: pmo });
    expect(reply.status).toBe(200);
    return (reply.body.items as { name: string }[]).map((u) => u.name);
  };
  expect(await names('émile')).toEqual(['Émile Zola']);
  const renamed = await api.call('PATCH', `/api/users/${created.body.id as string}`, {
    token: api.adminToken,
    body: { name: 'Ödön Zola' },
  });
  expect(renamed.status).toBe(200);
  expect(await names('ÖDÖN')).toEqual(['Ödön Zola']);
  expect(await names('émile')).toEqual([]);
});

it('names the query field at fault', async () => {
  const cases = [
    ['cursor=not-ours', ['query', 'cursor']],
    [`q=${'x'.repeat(201)}`, ['query', 'q']],
    ['active=yes', ['query', 'active']],
    ['limit=0', ['query', 'limit']],
  ] as const;
  for (const [query, path] of cases) {
    const reply = await api.call('GET', `/api/users?${query}`, { token: pmo });
    expect([query, reply.status]).toEqual([query, 400]);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.errors[0].path).toEqual(path);
  }
});
