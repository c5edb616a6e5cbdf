/**
 * The token lifecycle over HTTP: tokens expire (90 days unless asked otherwise), are listed per
 * user without their secrets, and are revoked by their owner or an admin (and by the CLI); the
 * first admin token of `gatehouse api` goes to a file, never to a log line; changing
 * GATEHOUSE_ADMIN_TOKEN revokes the bootstrap token it replaces.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createToken, createDatabase, type TokenInfo } from '../../db';
import { runGatehouse } from '../cli/spawn';
import { databaseFactory } from '../support/databases';
import { TEST_ENV, requireTestEnv } from '../support/env';
import { startTsEntry } from '../support/processes';
import { uniqueId } from '../support/temporal';
import { startApiStack, type ApiStack } from './stack';

const DAY = 24 * 3600 * 1000;
let api: ApiStack;

beforeAll(async () => {
  api = await startApiStack(databaseFactory('sqlite'), {}, { worker: false });
});
afterAll(async () => api?.stop());

it('makes a token that expires, lists tokens without secrets, and refuses an expired one', async () => {
  const { token: first } = await api.user('ria');
  const before = Date.now();
  const made = await api.call('POST', '/api/me/tokens', {
    token: first,
    body: { label: 'ci pipeline', expiresInDays: 7 },
  });
  expect(made.status).toBe(201);
  expect(made.body).toMatchObject({ label: 'ci pipeline', kind: 'api', status: 'active' });
  expect(made.body.token).toMatch(/^gh_/);
  expect(made.body.expiresAt).toBeGreaterThanOrEqual(before + 7 * DAY);
  expect(made.body.expiresAt).toBeLessThan(before + 7 * DAY + 60_000);
  expect((await api.call('GET', '/api/me', { token: made.body.token })).status).toBe(200);

  const listed = await api.call('GET', '/api/me/tokens', { token: made.body.token });
  const items = listed.body.items as TokenInfo[];
  expect(items.map((t) => t.label)).toEqual(['ci pipeline', undefined]);
  // The default lifetime is 90 days.
  expect(items[1]!.expiresAt! - items[1]!.createdAt).toBe(90 * DAY);
  for (const secret of [first, made.body.token as string]) {
    expect(JSON.stringify(listed.body)).not.toContain(secret.slice(8));
  }
  expect(items[0]!.prefix).toBe((made.body.token as string).slice(0, 8));

  const expired = await createToken(api.db, 'ria', 'short', Date.now() - 2_000, {
    lifetimeMs: 1_000,
  });
  const refused = await api.call('GET', '/api/me', { token: expired.token });
  expect(refused.status).toBe(401);
  expect(refused.body.detail).toBe('the token has expired');
  const tooLong = await api.call('POST', '/api/me/tokens', {
    token: first,
    body: { label: 'forever', expiresInDays: 3650 },
  });
  // Well-formed but over the cap (365 days): 422 naming the field, as every body over a cap.
  expect(tooLong.status).toBe(422);
  expect(tooLong.body.errors[0].path).toEqual(['body', 'expiresInDays']);
});

it('lets a user revoke their own tokens and an admin anyone\u2019s; others see no such token', async () => {
  const sam = await api.user('sam');
  const tia = await api.user('tia');
  const spare = await createToken(api.db, 'sam', 'spare');
  const other = await api.call('DELETE', `/api/tokens/${spare.id}`, { token: tia.token });
  expect(other.status).toBe(404);
  expect((await api.call('GET', '/api/me', { token: spare.token })).status).toBe(200);
  const own = await api.call('DELETE', `/api/tokens/${spare.id}`, { token: sam.token });
  expect(own.status).toBe(204);
  const after = await api.call('GET', '/api/me', { token: spare.token });
  expect(after.status).toBe(401);
  expect(after.body.detail).toBe('the token was revoked');
  // An admin, for someone else; again is fine (DELETE is idempotent).
  const samTokens = await api.call('GET', '/api/users/sam/tokens', { token: api.adminToken });
  const live = (samTokens.body.items as TokenInfo[]).find((t) => t.status === 'active')!;
  for (let i = 0; i < 2; i++) {
    expect(
      (await api.call('DELETE', `/api/tokens/${live.id}`, { token: api.adminToken })).status,
    ).toBe(204);
  }
  expect((await api.call('GET', '/api/me', { token: sam.token })).status).toBe(401);
  expect((await api.call('DELETE', '/api/tokens/no-such-token', { token: tia.token })).status).toBe(
    404,
  );
  // Every creation and revocation is in the admin trail, by whom.
  const trail = await api.call('GET', '/api/admin/audit?limit=200', { token: api.adminToken });
  const revocations = (trail.body.items as { action: string; target: string; actor: string }[])
    .filter((e) => e.action === 'token.revoked')
    .map((e) => [e.target, e.actor]);
  expect(revocations).toEqual(
    expect.arrayContaining([
      [spare.id, 'sam'],
      [live.id, 'admin'],
    ]),
  );
});

it('revokes a token from the command line', async () => {
  const { token } = await api.user('uli');
  const { id } = (
    (await api.call('GET', '/api/me/tokens', { token })).body.items as TokenInfo[]
  )[0]!;
  const env = { ...process.env, DATABASE_URL: api.databaseUrl };
  const listed = await runGatehouse(env, 'tokens', 'list', '--user', 'uli@example.test');
  expect(listed.code).toBe(0);
  expect(listed.stdout).toContain(id);
  expect(listed.stdout).not.toContain(token.slice(8));
  const revoked = await runGatehouse(env, 'tokens', 'revoke', id);
  expect(revoked).toMatchObject({ code: 0, stdout: `revoked token ${id} of uli\n` });
  expect((await api.call('GET', '/api/me', { token })).status).toBe(401);
  const again = await runGatehouse(env, 'tokens', 'revoke', 'no-such-token');
  expect(again.code).toBe(1);
  expect(again.errLines).toEqual(['gatehouse: no token no-such-token']);
});

it('writes the first admin token to a file, never to the log; a chosen one replaces it', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-admin-'));
  const file = path.join(dir, 'secrets', 'admin-token');
  const env = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${path.join(dir, 'gatehouse.db')}`,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
    TEMPORAL_TASK_QUEUE: uniqueId('api'),
    GATEHOUSE_ADMIN_TOKEN_FILE: file,
  };
  try {
    // As an operator would: the API never migrates on its own and refuses an empty schema.
    const migrated = await runGatehouse(env, 'migrate');
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    const first = startTsEntry('api', 'server/main.ts', env);
    const listening = JSON.parse(await first.waitForLine(/"msg":"listening"/)) as { url: string };
    const generated = (await readFile(file, 'utf8')).trim();
    expect(generated).toMatch(/^gh_/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const me = (token: string, base = listening.url) =>
      fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await me(generated)).status).toBe(200);
    await first.kill('SIGTERM');
    expect(first.describe()).not.toContain(generated);
    expect(first.describe()).toContain('the first admin token is in this file');

    // Rotation: the operator sets GATEHOUSE_ADMIN_TOKEN; the generated token is revoked.
    const chosen = `gh_${'c'.repeat(30)}`;
    const second = startTsEntry('api', 'server/main.ts', { ...env, GATEHOUSE_ADMIN_TOKEN: chosen });
    const url = (JSON.parse(await second.waitForLine(/"msg":"listening"/)) as { url: string }).url;
    expect((await me(generated, url)).status).toBe(401);
    expect((await me(chosen, url)).status).toBe(200);
    await second.kill('SIGTERM');
    // And again, to another value: the first chosen one stops working.
    const next = `gh_${'d'.repeat(30)}`;
    const third = startTsEntry('api', 'server/main.ts', { ...env, GATEHOUSE_ADMIN_TOKEN: next });
    const url3 = (JSON.parse(await third.waitForLine(/"msg":"listening"/)) as { url: string }).url;
    expect((await me(chosen, url3)).status).toBe(401);
    expect((await me(next, url3)).status).toBe(200);
    await third.kill('SIGTERM');
    for (const run of [second, third]) {
      for (const secret of [generated, chosen, next]) expect(run.describe()).not.toContain(secret);
    }
    // A revoked value is never revived: the start stops with one line.
    const revived = startTsEntry('api', 'server/main.ts', {
      ...env,
      GATEHOUSE_ADMIN_TOKEN: chosen,
    });
    expect(await revived.exited).toEqual({ code: 1, signal: null });
    expect(revived.describe()).toContain('GATEHOUSE_ADMIN_TOKEN: this token was revoked');
    expect(revived.describe()).not.toContain(chosen);
    const db = createDatabase(env.DATABASE_URL);
    const kinds = await db.selectFrom('api_tokens').select(['kind', 'revoked_at']).execute();
    await db.destroy();
    expect(kinds.map((k) => k.kind)).toEqual(['bootstrap', 'bootstrap', 'bootstrap']);
    expect(kinds.filter((k) => k.revoked_at === null)).toHaveLength(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
