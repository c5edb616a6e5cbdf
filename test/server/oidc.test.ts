/**
 * OIDC bearer tokens against a real local identity provider (test/support/oidc-provider.ts):
 * every check of OWASP ASVS V9 refuses its forgery with 401 (missing exp, an algorithm off the
 * allow-list, wrong aud, iss or typ, nbf ahead, outside the clock skew, a bad signature); the
 * linking rules hold (no role ever gained by matching an e-mail, just-in-time creation off
 * unless said, allowed domains, roles from the configured claim); plain tokens keep working;
 * an unreachable provider is 503, not 401.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { generateKeyPair, SignJWT } from 'jose';
import { createApp } from '../../server/app';
import { withAnswerCheck } from '../support/answer-check';
import type { OidcSettings } from '../../server/security/options';
import { databaseFactory } from '../support/databases';
import { AUDIENCE, OidcProvider, person } from '../support/oidc-provider';
import { connectTestTemporal } from '../support/temporal';
import { startApiStack, type ApiStack, type Reply } from './stack';

let idp: OidcProvider;
let api: ApiStack;
let settings: OidcSettings;
/** Published before any token is verified: jose refetches a key set at most every 30 s. */
let es256: Awaited<ReturnType<OidcProvider['addKey']>>;
let es384: typeof es256;

beforeAll(async () => {
  idp = await OidcProvider.start();
  es256 = await idp.addKey('ES256', 'key-es256');
  es384 = await idp.addKey('ES384', 'key-es384');
  settings = {
    issuer: idp.issuer,
    audience: AUDIENCE,
    algorithms: ['RS256', 'ES256'],
    clockSkewSeconds: 30,
    jit: true,
    emailDomains: ['idp.test', 'example.test'],
    roles: { claim: 'groups', pmo: 'gatehouse-pmo', admin: 'gatehouse-admin' },
  };
  api = await startApiStack(databaseFactory('sqlite'), { oidc: settings }, { worker: false });
});
afterAll(async () => {
  await api?.stop();
  await idp?.stop();
});

const me = (token: string) => api.call('GET', '/api/me', { token });
const now = () => Math.floor(Date.now() / 1000);

function expectUnauthorized(reply: Reply, detail?: RegExp): void {
  expect(reply.status).toBe(401);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(reply.body).toMatchObject({ status: 401, code: 'unauthorized', errors: [] });
  if (detail) expect(reply.body.detail).toMatch(detail);
}

it('signs a person in by subject, creating them once (just in time)', async () => {
  const first = await me(await idp.token(person('sub-ada', 'ada@idp.test', 'Ada Lovelace')));
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ name: 'Ada Lovelace', email: 'ada@idp.test', pmo: false });
  // Same subject, new e-mail at the provider: still the same user.
  const again = await me(await idp.token(person('sub-ada', 'ada@example.test', 'Ada')));
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(first.body.id);
  expect(idp.requests.filter((p) => p.includes('openid-configuration'))).toHaveLength(1);
});

it('refuses every token V9 says not to trust, saying why, and creates nobody', async () => {
  const claims = person('sub-eve', 'eve@idp.test', 'Eve');
  const impostor = { ...idp.key, privateKey: (await generateKeyPair('RS256')).privateKey };
  const hs256 = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'key-1' })
    .setIssuer(idp.issuer)
    .setAudience(AUDIENCE)
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode('a shared secret no one should use for this'));
  const forged: [string, string, RegExp][] = [
    ['no exp', await idp.token(claims, { expiresIn: null }), /no expiry \(exp\)/],
    ['expired', await idp.token(claims, { expiresIn: now() - 60 }), /expired/],
    ['expired beyond the skew', await idp.token(claims, { expiresIn: now() - 31 }), /expired/],
    ['nbf ahead', await idp.token(claims, { notBefore: now() + 120 }), /not valid yet/],
    ['wrong audience', await idp.token(claims, { audience: 'another-api' }), /audience/],
    ['wrong issuer', await idp.token(claims, { issuer: 'https://evil.test' }), /issuer/],
    ['alg off the list', await idp.token(claims, { key: es384 }), /algorithm/],
    ['HS256 (shared secret)', hs256, /algorithm/],
    ['no typ', await idp.token(claims, { typ: null }), /type \(typ\)/],
    ['wrong typ', await idp.token(claims, { typ: 'dpop+jwt' }), /type \(typ\)/],
    ['bad signature', await idp.token(claims, { key: impostor }), /signature/],
    ['unknown key', await idp.token(claims, { key: { ...impostor, kid: 'key-9' } }), /signature/],
    ['unverified e-mail', await idp.token({ ...claims, email_verified: false }), /verified/],
    ['no e-mail', await idp.token({ sub: 'sub-eve', email_verified: true }), /verified/],
    ['no subject', await idp.token({ email: 'eve@idp.test', email_verified: true }), /sub/],
    ['not a JWT', 'aGVsbG8.d29ybGQ.c2lnbmF0dXJl', /not a JWT/],
  ];
  for (const [why, token, detail] of forged) {
    const reply = await me(token);
    try {
      expectUnauthorized(reply, detail);
    } catch (error) {
      throw new Error(`${why}: ${(error as Error).message}`);
    }
  }
  const users = await api.db.selectFrom('users').select('email').execute();
  expect(users.map((u) => u.email)).not.toContain('eve@idp.test');
});

it('accepts what V9 allows: an RFC 9068 access token, ES256, a clock a little behind', async () => {
  const claims = person('sub-bo', 'bo@idp.test', 'Bo');
  for (const token of [
    await idp.token(claims, { typ: 'at+jwt' }),
    await idp.token(claims, { typ: 'application/at+jwt' }),
    await idp.token(claims, { key: es256 }),
    // Expired 10 s ago, within the 30 s skew; valid from 10 s from now, likewise.
    await idp.token(claims, { expiresIn: now() - 10 }),
    await idp.token(claims, { notBefore: now() + 10 }),
  ]) {
    const reply = await me(token);
    expect([reply.status, reply.body.detail]).toEqual([200, undefined]);
  }
});

it('never gives a role by matching an e-mail: an account with a role is not linked', async () => {
  await api.user('paula', { pmo: true });
  await api.db
    .updateTable('users')
    .set({ email: 'paula@idp.test' })
    .where('id', '=', 'paula')
    .execute();
  const reply = await me(await idp.token(person('sub-paula', 'Paula@IdP.test', 'Paula P.')));
  expect(reply.status).toBe(403);
  expect(reply.body).toMatchObject({ code: 'sso_privileged_account' });
  expect(reply.body.detail).toMatch(/never gained by matching an e-mail/);
  // The admin's bootstrap account neither.
  const admin = await me(await idp.token(person('sub-x', 'admin@gatehouse.local', 'Admin?')));
  expect(admin.status).toBe(403);
  expect(await api.db.selectFrom('oidc_identities').selectAll().execute()).not.toContainEqual(
    expect.objectContaining({ subject: 'sub-paula' }),
  );
});

it('links an account without roles by verified e-mail, which keeps no role it did not have', async () => {
  const created = await api.call('POST', '/api/users', {
    token: api.adminToken,
    body: { name: 'Sam', email: 'sam@example.test', sso: true },
  });
  expect(created.status).toBe(201);
  expect(created.body.token).toBeUndefined();
  const reply = await me(await idp.token(person('sub-sam', 'sam@example.test', 'Sam S.')));
  expect(reply.body).toMatchObject({ id: created.body.id, pmo: false, admin: false });
  const trail = await api.call('GET', '/api/admin/audit', { token: api.adminToken });
  expect(trail.body.items).toContainEqual(
    expect.objectContaining({ action: 'user.sso_linked', target: created.body.id }),
  );
  // An SSO account is made without roles: they come after the first sign-in.
  const withRole = await api.call('POST', '/api/users', {
    token: api.adminToken,
    body: { name: 'Pam', email: 'pam@example.test', sso: true, pmo: true },
  });
  expect(withRole.status).toBe(400);
  expect(withRole.body.errors[0].path).toEqual(['body', 'sso']);
});

it('gives roles from the configured claim, for as long as the provider says so', async () => {
  const claims = person('sub-greta', 'greta@idp.test', 'Greta', { groups: ['gatehouse-pmo'] });
  const asPmo = await me(await idp.token(claims));
  expect(asPmo.body).toMatchObject({ pmo: true, admin: false });
  const draft = await api.call('PUT', '/api/templates/from-claim/draft', {
    token: await idp.token(claims),
    body: { name: 'from the claim' },
  });
  expect(draft.status).toBe(200);
  const plain = await me(await idp.token({ ...claims, groups: ['staff'] }));
  expect(plain.body).toMatchObject({ pmo: false, admin: false });
  // Nothing was stored: the claim gives the role per token.
  const row = await api.db
    .selectFrom('users')
    .select('pmo')
    .where('id', '=', asPmo.body.id)
    .executeTakeFirstOrThrow();
  expect(row.pmo).toBe(0);
});

it('refuses people of other domains, and everyone new when just-in-time creation is off', async () => {
  const outsider = await me(await idp.token(person('sub-o', 'o@elsewhere.test', 'O')));
  expect(outsider.status).toBe(403);
  expect(outsider.body.code).toBe('sso_domain_not_allowed');
  await withFreshApp({ ...settings, jit: false }, async (get) => {
    const reply = await get(await idp.token(person('sub-new', 'new@idp.test', 'New')));
    expect(reply.status).toBe(403);
    expect(((await reply.json()) as { code: string }).code).toBe('sso_not_provisioned');
    // Known people still sign in.
    const ada = await get(await idp.token(person('sub-ada', 'ada@idp.test', 'Ada')));
    expect(ada.status).toBe(200);
  });
  const users = await api.db.selectFrom('users').select('email').execute();
  expect(users.map((u) => u.email)).not.toEqual(
    expect.arrayContaining(['o@elsewhere.test', 'new@idp.test']),
  );
});

it('keeps plain bearer tokens working alongside OIDC', async () => {
  const olga = await api.user('olga');
  expect((await me(olga.token)).body).toMatchObject({ id: 'olga' });
  expect((await me(api.adminToken)).body.admin).toBe(true);
  expectUnauthorized(await me('gh_not_a_token'));
});

it('answers 503, not 401, while the identity provider cannot be reached', async () => {
  const token = await idp.token(person('sub-ada', 'ada@idp.test', 'Ada Lovelace'));
  for (const failing of ['everything', 'jwks'] as const) {
    // A fresh app has not fetched the provider's discovery document or keys yet.
    await withFreshApp(settings, async (get) => {
      try {
        idp.failing = failing;
        const unavailable = await get(token);
        expect(unavailable.status).toBe(503);
        expect(unavailable.headers.get('content-type')).toContain('application/problem+json');
        // Bearer tokens do not depend on the provider.
        expect((await get(api.adminToken)).status).toBe(200);
        idp.failing = 'nothing';
        expect((await get(token)).status).toBe(200);
      } finally {
        idp.failing = 'nothing';
      }
    });
  }
});

/** Runs `test` against a new app on the same database, as a freshly started API process. */
async function withFreshApp(
  oidc: OidcSettings,
  test: (get: (token: string) => Promise<Response>) => Promise<void>,
): Promise<void> {
  const { client } = await connectTestTemporal();
  const app = createApp(
    withAnswerCheck({
      db: api.db,
      temporal: { client, taskQueue: 'unused' },
      oidc,
      log: () => undefined,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/me`;
  try {
    await test((token) => fetch(url, { headers: { authorization: `Bearer ${token}` } }));
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
