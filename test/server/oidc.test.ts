/**
 * OIDC sign-in: the API verifies JWTs against a local identity provider (discovery document
 * and JWKS over HTTP, keys made with jose), maps them to users by subject and verified e-mail,
 * refuses every token it cannot trust with 401, and keeps plain bearer tokens working.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import { createApp } from '../../server/app';
import { databaseFactory } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { startApiStack, type ApiStack, type Reply } from './stack';

const AUDIENCE = 'gatehouse-api';

/** A minimal OpenID provider: discovery, JWKS, and a switch to take it (or its JWKS) down. */
class IdentityProvider {
  /** Request paths it served, in order. */
  readonly requests: string[] = [];
  failing: 'nothing' | 'everything' | 'jwks' = 'nothing';
  issuer = '';
  private readonly server = createServer((req, res) => this.serve(req, res));

  private constructor(
    private readonly jwk: JWK,
    private readonly key: { kid: string; privateKey: KeyLike },
  ) {}

  static async start(): Promise<IdentityProvider> {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const provider = new IdentityProvider(jwk, { kid: 'key-1', privateKey });
    await new Promise<void>((resolve) => provider.server.listen(0, '127.0.0.1', resolve));
    provider.issuer = `http://127.0.0.1:${(provider.server.address() as AddressInfo).port}`;
    return provider;
  }

  private serve(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(req.url ?? '');
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (this.failing === 'everything') return void json(503, { error: 'maintenance' });
    if (req.url === '/.well-known/openid-configuration')
      return void json(200, { issuer: this.issuer, jwks_uri: `${this.issuer}/jwks` });
    if (req.url === '/jwks')
      return void (this.failing === 'jwks'
        ? json(500, { error: 'oops' })
        : json(200, { keys: [this.jwk] }));
    json(404, { error: 'not found' });
  }

  /** An ID token as this provider would issue it; `options` forge the ways one goes wrong. */
  async token(
    claims: JWTPayload,
    options: { audience?: string; issuer?: string; expiresIn?: string | number } & {
      key?: { kid: string; privateKey: KeyLike };
    } = {},
  ): Promise<string> {
    const key = options.key ?? this.key;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
      .setIssuer(options.issuer ?? this.issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(key.privateKey);
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const person = (sub: string, email: string, name: string): JWTPayload => ({
  sub,
  email,
  email_verified: true,
  name,
});

let idp: IdentityProvider;
let api: ApiStack;

beforeAll(async () => {
  idp = await IdentityProvider.start();
  api = await startApiStack(databaseFactory('sqlite'), {
    oidc: { issuer: idp.issuer, audience: AUDIENCE },
  });
});
afterAll(async () => {
  await api.stop();
  await idp.stop();
});

const me = (token: string) => api.call('GET', '/api/me', { token });

function expectUnauthorized(reply: Reply): void {
  expect(reply.status).toBe(401);
  expect(reply.headers.get('content-type')).toContain('application/problem+json');
  expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  expect(reply.body).toMatchObject({ status: 401, code: 'unauthorized', errors: [] });
}

it('creates a user on the first sign-in and recognises them by subject afterwards', async () => {
  const first = await me(await idp.token(person('sub-ada', 'ada@idp.test', 'Ada Lovelace')));
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({
    name: 'Ada Lovelace',
    email: 'ada@idp.test',
    pmo: false,
    admin: false,
  });
  // Same subject, new e-mail at the provider: still the same user.
  const again = await me(await idp.token(person('sub-ada', 'ada@new.idp.test', 'Ada')));
  expect(again.status).toBe(200);
  expect(again.body.id).toBe(first.body.id);
  // The user exists for the rest of the API too: an admin can see the address is taken.
  const taken = await api.call('POST', '/api/users', {
    token: api.adminToken,
    body: { name: 'Ada again', email: 'ada@idp.test' },
  });
  expect(taken.status).toBe(409);
  // The discovery document was fetched once, lazily, not per request.
  expect(idp.requests.filter((p) => p.includes('openid-configuration'))).toHaveLength(1);
});

it('links a sign-in to the existing user with that verified e-mail, flags included', async () => {
  const paula = await api.user('paula', { pmo: true });
  const token = await idp.token(person('sub-paula', 'Paula@Example.Test', 'Paula P.'));
  const linked = await me(token);
  expect(linked.status).toBe(200);
  expect(linked.body).toMatchObject({ id: 'paula', email: 'paula@example.test', pmo: true });
  // As the PMO she may save a draft with the ID token, and her own bearer token still works.
  const draft = await api.call('PUT', '/api/templates/oidc-draft/draft', {
    token,
    body: { name: 'from OIDC' },
  });
  expect(draft.status).toBe(200);
  expect((await me(paula.token)).body.id).toBe('paula');
});

it('refuses tokens it cannot trust with 401 problem+json and WWW-Authenticate', async () => {
  const claims = person('sub-eve', 'eve@idp.test', 'Eve');
  const impostor = { kid: 'key-1', privateKey: (await generateKeyPair('RS256')).privateKey };
  const forged = {
    'wrong audience': await idp.token(claims, { audience: 'another-api' }),
    'wrong issuer': await idp.token(claims, { issuer: 'https://evil.example.test' }),
    expired: await idp.token(claims, { expiresIn: Math.floor(Date.now() / 1000) - 60 }),
    'bad signature': await idp.token(claims, { key: impostor }),
    'unknown key': await idp.token(claims, { key: { ...impostor, kid: 'key-2' } }),
    'unverified e-mail': await idp.token({ ...claims, email_verified: false }),
    'e-mail not said to be verified': await idp.token({ sub: 'sub-eve', email: 'eve@idp.test' }),
    'no e-mail': await idp.token({ sub: 'sub-eve', email_verified: true }),
    'no subject': await idp.token({ email: 'eve@idp.test', email_verified: true }),
    'not a JWT at all': 'aGVsbG8.d29ybGQ.c2lnbmF0dXJl',
  };
  for (const [why, token] of Object.entries(forged)) {
    const reply = await me(token);
    try {
      expectUnauthorized(reply);
    } catch (error) {
      throw new Error(`${why}: ${(error as Error).message}`);
    }
  }
  expectUnauthorized(await api.call('GET', '/api/me'));
  // None of them created a user.
  const users = await api.db.selectFrom('users').select('email').execute();
  expect(users.map((u) => u.email)).not.toContain('eve@idp.test');
});

it('keeps plain bearer tokens working alongside OIDC', async () => {
  const olga = await api.user('olga');
  const reply = await me(olga.token);
  expect(reply.status).toBe(200);
  expect(reply.body).toMatchObject({ id: 'olga', email: 'olga@example.test' });
  expect((await me(api.adminToken)).body.admin).toBe(true);
  expectUnauthorized(await me('gh_not_a_token'));
});

it('answers 503, not 401, while the identity provider cannot be reached', async () => {
  const token = await idp.token(person('sub-ada', 'ada@idp.test', 'Ada Lovelace'));
  for (const failing of ['everything', 'jwks'] as const) {
    // A fresh app has not fetched the provider's discovery document or keys yet.
    await withFreshApp(async (get) => {
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
  test: (get: (token: string) => Promise<Response>) => Promise<void>,
): Promise<void> {
  const { client } = await connectTestTemporal();
  const app = createApp({
    db: api.db,
    temporal: { client, taskQueue: 'unused' },
    oidc: { issuer: idp.issuer, audience: AUDIENCE },
    log: () => undefined,
  });
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
