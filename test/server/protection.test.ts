/**
 * What protects the API around its routes, over real HTTP: the security headers on `/` and on
 * API answers (HSTS only over TLS); the Host allow-list of demo mode (DNS rebinding); every
 * limit answering 429 problem+json with Retry-After (requests per address and per user, failed
 * authentications per address and per token prefix, event streams per user); authentication
 * before the body is read; only http(s) links accepted in deliverables.
 */
import { request, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { createToken, insertUser, upsertProjectSnapshot, type Database } from '../../db';
import { createApp, type AppDeps } from '../../server/app';
import { withAnswerCheck } from '../support/answer-check';
import { startProject } from '../../workflows/lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { databaseFactory, openMigrated } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { SseStream } from './sse-client';

let db: Kysely<Database>;
let closeDb: () => Promise<void>;
let dist: string;
const servers: Server[] = [];
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ({ db, close: closeDb } = await openMigrated(databaseFactory('sqlite')));
  dist = await mkdtemp(path.join(tmpdir(), 'gatehouse-dist-'));
  await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Gatehouse</title>');
  for (const id of ['pia', 'quinn']) {
    await insertUser(db, { id, name: id, email: `${id}@example.test`, pmo: id === 'pia' });
    tokens[id] = (await createToken(db, id)).token;
  }
  const { state } = startProject(
    {
      projectId: 'p-guarded',
      name: 'Guarded',
      template: miniTemplate,
      version: 1,
      participants: miniParticipants,
      startedBy: 'pia',
    },
    Date.now(),
  ).machine;
  await upsertProjectSnapshot(db, state);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await closeDb?.();
  if (dist) await rm(dist, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers are probed freely
}

/** An app of its own on a random port; `call` sends any headers, Host included. */
async function serve(extra: Partial<AppDeps> = {}) {
  const { client } = await connectTestTemporal();
  const app = createApp(
    withAnswerCheck({
      db,
      temporal: { client, taskQueue: 'unused' },
      log: () => undefined,
      ...extra,
    }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const port = (server.address() as AddressInfo).port;
  const call = (
    method: string,
    urlPath: string,
    options: { token?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
  ) =>
    new Promise<Answer>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: urlPath,
          headers: {
            ...(options.token && { authorization: `Bearer ${options.token}` }),
            ...(options.body !== undefined && { 'content-type': 'application/json' }),
            ...options.headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let json: unknown;
            try {
              json = JSON.parse(text);
            } catch {
              json = text;
            }
            resolve({
              status: res.statusCode!,
              headers: res.headers as Record<string, string>,
              json,
            });
          });
        },
      );
      req.on('error', reject);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  return { port, call };
}

function expectTooMany(reply: Answer) {
  expect(reply.status).toBe(429);
  expect(reply.headers['content-type']).toContain('application/problem+json');
  expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(reply.json).toMatchObject({
    status: 429,
    code: 'too_many_requests',
    title: 'Too Many Requests',
  });
}

describe('security headers', () => {
  it('sends a strict CSP without inline script, no framing, nosniff and no referrer on /', async () => {
    const { call } = await serve({ staticDir: dist });
    const page = await call('GET', '/');
    expect(page.status).toBe(200);
    const csp = page.headers['content-security-policy']!;
    const directives = Object.fromEntries(
      csp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values.join(' ')];
      }),
    );
    expect(directives).toMatchObject({
      'default-src': "'self'",
      'script-src': "'self'",
      'style-src': "'self'",
      'object-src': "'none'",
      'base-uri': "'none'",
      'frame-ancestors': "'none'",
    });
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    // Plain HTTP: HSTS would mean nothing.
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const api = await call('GET', '/api/openapi.json');
    expect(api.headers['cache-control']).toBe('no-store');
    expect(api.headers['content-security-policy']).toBe(csp);
  });

  it('sends HSTS when a trusted proxy says the request came over TLS, as configured', async () => {
    const behind = await serve({ staticDir: dist, security: { trustProxy: 'loopback' } });
    const tls = await behind.call('GET', '/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers['strict-transport-security']).toBe('max-age=31536000');
    const plain = await behind.call('GET', '/');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
    // An untrusted client cannot claim TLS.
    const direct = await serve({ staticDir: dist });
    const claimed = await direct.call('GET', '/', { headers: { 'x-forwarded-proto': 'https' } });
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
    const off = await serve({ security: { trustProxy: 'loopback', hstsMaxAgeSeconds: 0 } });
    const none = await off.call('GET', '/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(none.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('demo mode', () => {
  const demoUsers = [{ id: 'demo-pmo', name: 'Priya PMO', roles: ['pmo'], token: 'gh_demo' }];

  it('answers only to loopback host names, so DNS rebinding cannot reach the demo tokens', async () => {
    const { port, call } = await serve({ demoUsers });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect([host, (await call('GET', '/api/demo/users', { headers: { host } })).status]).toEqual([
        host,
        200,
      ]);
    }
    for (const host of [
      `rebind.attacker.example:${port}`,
      'localhost.attacker.example',
      '127.0.0.1.nip.io',
    ]) {
      const refused = await call('GET', '/api/demo/users', { headers: { host } });
      expect([host, refused.status]).toEqual([host, 403]);
      expect(refused.json).toMatchObject({
        code: 'host_not_allowed',
        errors: [{ path: ['headers', 'host'] }],
      });
      expect(JSON.stringify(refused.json)).not.toContain('gh_demo');
    }
  });

  it('takes more names from the allow-list, and checks them outside demo mode too', async () => {
    const { call } = await serve({ security: { allowedHosts: ['gatehouse.example.com'] } });
    const ok = await call('GET', '/healthz', { headers: { host: 'gatehouse.example.com' } });
    expect(ok.status).toBe(200);
    expect((await call('GET', '/healthz', { headers: { host: 'other.example' } })).status).toBe(
      403,
    );
  });
});

describe('limits', () => {
  it('limits requests per client address', async () => {
    const { call } = await serve({
      security: { limits: { perAddress: { points: 5, windowMs: 60_000 } } },
    });
    for (let i = 0; i < 5; i++) expect((await call('GET', '/api/openapi.json')).status).toBe(200);
    const refused = await call('GET', '/api/openapi.json');
    expectTooMany(refused);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Probes are not /api: a load balancer keeps seeing the process alive.
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it('limits requests per user, whatever their address', async () => {
    const { call } = await serve({
      security: { trustProxy: 'loopback', limits: { perUser: { points: 3, windowMs: 60_000 } } },
    });
    for (let i = 0; i < 3; i++) {
      const headers = { 'x-forwarded-for': `203.0.113.${i}` };
      expect((await call('GET', '/api/me', { token: tokens.pia!, headers })).status).toBe(200);
    }
    expectTooMany(await call('GET', '/api/me', { token: tokens.pia! }));
    expect((await call('GET', '/api/me', { token: tokens.quinn! })).status).toBe(200);
  });

  it('throttles failed authentication per address, then per token prefix across addresses', async () => {
    const { call } = await serve({
      security: {
        trustProxy: 'loopback',
        limits: { authFailures: { points: 3, windowMs: 60_000 } },
      },
    });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < 3; i++) {
      const guess = `gh_guess${i}${'x'.repeat(30)}`;
      expect(
        (await call('GET', '/api/me', { token: guess, headers: from('198.51.100.1') })).status,
      ).toBe(401);
    }
    // That address is throttled, even with a good token: nothing is checked for it now.
    expectTooMany(
      await call('GET', '/api/me', { token: tokens.pia!, headers: from('198.51.100.1') }),
    );
    expect(
      (await call('GET', '/api/me', { token: tokens.pia!, headers: from('198.51.100.2') })).status,
    ).toBe(200);
    // Guessing the rest of one token prefix from many addresses: the prefix is throttled.
    const prefix = 'gh_Known';
    for (let i = 0; i < 3; i++) {
      const guess = `${prefix}${i}${'y'.repeat(30)}`;
      expect(
        (await call('GET', '/api/me', { token: guess, headers: from(`192.0.2.${i}`) })).status,
      ).toBe(401);
    }
    expectTooMany(
      await call('GET', '/api/me', {
        token: `${prefix}zzzzzzzzzzzzzzzzzz`,
        headers: from('192.0.2.77'),
      }),
    );
    expect(
      (
        await call('GET', '/api/me', {
          token: 'gh_Other0000000000000000',
          headers: from('192.0.2.77'),
        })
      ).status,
    ).toBe(401);
  });

  it('caps the event streams one user holds open', async () => {
    const { port } = await serve({ security: { limits: { streamsPerUser: 2 } } });
    const url = `http://127.0.0.1:${port}/api/projects/p-guarded/events`;
    const open = (user: string) => SseStream.open(url, { authorization: `Bearer ${tokens[user]}` });
    const first = await open('pia');
    const second = await open('pia');
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await open('pia');
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await third.close();
    // Another user is not held back by pia's streams.
    const other = await open('quinn');
    expect(other.status).toBe(403); // quinn is no participant: access, not the cap, answers
    await other.close();
    await first.close();
    // The slot is free again once the server has seen the stream close.
    let again = await open('pia');
    for (let i = 0; again.status === 429 && i < 20; i++) {
      await again.close();
      await new Promise((resolve) => setTimeout(resolve, 100));
      again = await open('pia');
    }
    expect(again.status).toBe(200);
    await again.close();
    await second.close();
  });
});

describe('authentication before the body', () => {
  it('refuses a stranger before reading what they send', async () => {
    const { call } = await serve({ bodyLimit: '1kb' });
    const malformed = await call('POST', '/api/projects', { body: '{"name": ' });
    expect(malformed.status).toBe(401);
    const huge = await call('POST', '/api/projects', {
      token: 'gh_wrong_token_000000000000000',
      body: Buffer.alloc(2 * 1024 * 1024, 'x'),
    });
    expect(huge.status).toBe(401);
    expect(huge.headers.connection).toBe('close');
    // Once authenticated, the body is read and judged as before.
    const judged = await call('POST', '/api/projects', { token: tokens.pia!, body: '{"name": ' });
    expect(judged.status).toBe(400);
    expect(judged.json.code).toBe('malformed_json');
    const tooLarge = await call('POST', '/api/projects', {
      token: tokens.pia!,
      body: JSON.stringify({ name: 'x'.repeat(4096) }),
    });
    expect(tooLarge.status).toBe(413);
  });
});

describe('links in deliverables', () => {
  it('accepts http(s) URLs only', async () => {
    const { call } = await serve();
    const submit = (url: string) =>
      call('POST', '/api/projects/p-guarded/nodes/build/deliverables/spec', {
        token: tokens.pia!,
        body: JSON.stringify({ url }),
      });
    for (const url of [
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'JAVASCRIPT:alert(1)',
      'file:///etc/passwd',
      'vbscript:msgbox',
    ]) {
      const reply = await submit(url);
      expect([url, reply.status]).toEqual([url, 400]);
      expect(reply.json.errors[0]).toMatchObject({
        path: ['body', 'url'],
        message: 'an http:// or https:// URL',
      });
    }
  });
});
