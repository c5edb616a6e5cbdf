/**
 * The web app's sign-in over HTTP, as a browser does it (redirects followed by hand, cookies
 * kept): single sign-on with the authorization code flow and PKCE against a real local
 * provider; the session cookie's flags; CSRF on cookie-authenticated writes; sign-out; idle
 * and absolute lifetimes; a bearer token exchanged for a session, which ends with the token;
 * deactivation ending sessions at once. (The browser test does the same through the UI.)
 */
import { createLogger } from '../../config/logger';
import type { OidcSettings } from '../../server/security/options';
import { databaseFactory } from '../support/databases';
import { AUDIENCE, CLIENT_ID, CLIENT_SECRET, OidcProvider, person } from '../support/oidc-provider';
import { startApiStack, type ApiStack, type ExtraAppDeps } from './stack';

let idp: OidcProvider;
let settings: OidcSettings;
const stacks: ApiStack[] = [];

beforeAll(async () => {
  idp = await OidcProvider.start();
  settings = {
    issuer: idp.issuer,
    audience: AUDIENCE,
    algorithms: ['RS256'],
    clockSkewSeconds: 30,
    jit: true,
    emailDomains: ['idp.test'],
    client: { id: CLIENT_ID, secret: CLIENT_SECRET },
  };
});
afterAll(async () => {
  for (const stack of stacks) await stack.stop();
  await idp?.stop();
});

async function stack(extra: ExtraAppDeps = {}): Promise<ApiStack> {
  const started = await startApiStack(
    databaseFactory('sqlite'),
    { oidc: settings, ...extra },
    { worker: false },
  );
  stacks.push(started);
  return started;
}

/** A browser's cookie jar for one site, enough for these flows. */
class Browser {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie lines of the last answer. */
  lastSetCookie: string[] = [];

  async get(url: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.send('GET', url, headers);
  }

  async send(
    method: string,
    url: string,
    headers: Record<string, string> = {},
    body?: unknown,
  ): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie && { cookie }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    this.lastSetCookie = response.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const [name, value] = [
        pair!.slice(0, pair!.indexOf('=')),
        pair!.slice(pair!.indexOf('=') + 1),
      ];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Signs in through the provider; answers where the API finally sent the browser. */
  async signIn(api: ApiStack, returnTo = '#/inbox'): Promise<string> {
    const start = await this.get(
      `${api.baseUrl}/api/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`,
    );
    expect(start.status).toBe(303);
    const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    expect(atProvider.status).toBe(302);
    const back = await this.get(atProvider.headers.get('location')!);
    expect(back.status).toBe(303);
    return back.headers.get('location')!;
  }
}

it('signs in with the authorization code flow and PKCE, into an HttpOnly session', async () => {
  const lines: string[] = [];
  const logger = createLogger('gatehouse-api', 'debug', {
    write: (line: string) => lines.push(line),
  });
  const api = await stack({ logger, log: undefined });
  idp.person = person('sub-ines', 'ines@idp.test', 'Ines Ops');
  const browser = new Browser();
  const start = await browser.get(`${api.baseUrl}/api/auth/oidc/login?returnTo=%23%2Finbox`);
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.get('location')!);
  expect(authorize.origin + authorize.pathname).toBe(`${idp.issuer}/authorize`);
  expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
    client_id: CLIENT_ID,
    response_type: 'code',
    code_challenge_method: 'S256',
    redirect_uri: `${api.baseUrl}/api/auth/oidc/callback`,
    state: expect.any(String),
    nonce: expect.any(String),
    code_challenge: expect.any(String),
  });
  // The binding cookie: HttpOnly, SameSite=Lax (it must come back from the provider).
  expect(browser.lastSetCookie.join('\n')).toMatch(/gatehouse_sso=[^;]+;.*HttpOnly/);
  const atProvider = await fetch(authorize, { redirect: 'manual' });
  const callback = atProvider.headers.get('location')!;
  const back = await browser.get(callback);
  expect(back.status).toBe(303);
  expect(back.headers.get('location')).toBe('/#/inbox');
  const sessionCookie = browser.lastSetCookie.find((l) => l.startsWith('gatehouse_session='))!;
  expect(sessionCookie).toMatch(/; HttpOnly/);
  expect(sessionCookie).toMatch(/; SameSite=Lax/);
  expect(sessionCookie).not.toMatch(/; Secure/); // plain HTTP here; see the TLS test below

  const session = await browser.get(`${api.baseUrl}/api/auth/session`);
  expect(session.status).toBe(200);
  const body = (await session.json()) as {
    user: { email: string };
    via: string;
    csrfToken: string;
  };
  expect(body).toMatchObject({ user: { email: 'ines@idp.test' }, via: 'sso' });
  // The sign-in options say a session is there: the web app asks for it only then (no 401).
  const config = async (client: Browser) =>
    (await (await client.get(`${api.baseUrl}/api/auth/config`)).json()) as { session: boolean };
  expect(await config(browser)).toMatchObject({ sso: true, session: true });
  expect(await config(new Browser())).toMatchObject({ sso: true, session: false });

  // A write with the cookie needs the CSRF token; a read does not.
  const tokens = `${api.baseUrl}/api/me/tokens`;
  const forged = await browser.send('POST', tokens, {}, { label: 'from another site?' });
  expect(forged.status).toBe(403);
  expect(((await forged.json()) as { code: string }).code).toBe('csrf_token_invalid');
  const wrong = await browser.send('POST', tokens, { 'x-csrf-token': 'nope' }, { label: 'x' });
  expect(wrong.status).toBe(403);
  const made = await browser.send(
    'POST',
    tokens,
    { 'x-csrf-token': body.csrfToken },
    { label: 'cli' },
  );
  expect(made.status).toBe(201);
  expect((await browser.get(tokens)).status).toBe(200);

  // The same answer from the provider cannot be used twice.
  const replay = await new Browser().get(callback);
  expect(replay.headers.get('location')).toBe('/?signin_error=sso_state');

  // Sign-out ends the session for good, even for a copy of the cookie.
  const copy = new Map(browser.cookies);
  const out = await browser.send('DELETE', `${api.baseUrl}/api/auth/session`, {
    'x-csrf-token': body.csrfToken,
  });
  expect(out.status).toBe(204);
  expect(browser.cookies.has('gatehouse_session')).toBe(false);
  const stale = new Browser();
  for (const [k, v] of copy) stale.cookies.set(k, v);
  const after = await stale.get(`${api.baseUrl}/api/me`);
  expect(after.status).toBe(401);
  expect(((await after.json()) as { detail: string }).detail).toMatch(/session has ended/);
  expect(await config(stale)).toMatchObject({ session: false });

  // No secret in any log line: not the code or state, the cookies, the CSRF or API token.
  const madeToken = ((await made.json()) as { token: string }).token;
  const callbackQuery = new URL(callback, api.baseUrl).searchParams;
  const secrets = [
    callbackQuery.get('code')!,
    callbackQuery.get('state')!,
    ...copy.values(),
    body.csrfToken,
    madeToken,
  ];
  expect(lines.length).toBeGreaterThan(5);
  expect(lines.join('\n')).toContain('/api/auth/oidc/callback');
  for (const secret of secrets) expect(lines.join('\n')).not.toContain(secret);
});

it('refuses a callback from another browser, a refusal and a person the rules keep out', async () => {
  const api = await stack();
  idp.person = person('sub-jon', 'jon@idp.test', 'Jon');
  // Another browser (an attacker's link) cannot finish a sign-in this one started.
  const victim = new Browser();
  const start = await victim.get(`${api.baseUrl}/api/auth/oidc/login`);
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const elsewhere = await new Browser().get(atProvider.headers.get('location')!);
  expect(elsewhere.headers.get('location')).toBe('/?signin_error=sso_state');

  idp.refusing = true;
  try {
    expect(await new Browser().signIn(api)).toBe('/?signin_error=sso_denied');
  } finally {
    idp.refusing = false;
  }
  idp.person = person('sub-kim', 'kim@elsewhere.test', 'Kim');
  expect(await new Browser().signIn(api)).toBe('/?signin_error=sso_domain_not_allowed');
  idp.person = { sub: 'sub-lee', email: 'lee@idp.test', email_verified: false };
  expect(await new Browser().signIn(api)).toBe('/?signin_error=unauthorized');
  const emails = (await api.db.selectFrom('users').select('email').execute()).map((u) => u.email);
  expect(emails).toEqual(['admin@gatehouse.local']);
});

it('exchanges a bearer token for a session, which ends with the token; Secure behind TLS', async () => {
  const api = await stack({ security: { trustProxy: 'loopback' } });
  const { token } = await api.user('tara');
  const browser = new Browser();
  const started = await browser.send('POST', `${api.baseUrl}/api/auth/session`, {
    authorization: `Bearer ${token}`,
    'x-forwarded-proto': 'https',
  });
  expect(started.status).toBe(201);
  const cookie = browser.lastSetCookie.find((l) => l.startsWith('__Host-gatehouse_session='))!;
  expect(cookie).toMatch(/; Path=\//);
  expect(cookie).toMatch(/; HttpOnly/);
  expect(cookie).toMatch(/; Secure/);
  expect(cookie).toMatch(/; SameSite=Lax/);
  const { csrfToken } = (await started.json()) as { csrfToken: string };
  expect((await browser.get(`${api.baseUrl}/api/me`)).status).toBe(200);
  // Revoking the token (from the session itself) ends the session made from it.
  const mine = (await (await browser.get(`${api.baseUrl}/api/me/tokens`)).json()) as {
    items: { id: string }[];
  };
  const revoked = await browser.send('DELETE', `${api.baseUrl}/api/tokens/${mine.items[0]!.id}`, {
    'x-csrf-token': csrfToken,
  });
  expect(revoked.status).toBe(204);
  expect((await browser.get(`${api.baseUrl}/api/me`)).status).toBe(401);
});

it('ends a session after the idle timeout, and after the absolute lifetime however active', async () => {
  const api = await stack({ security: { sessions: { idleMs: 1_500, maxMs: 4_000 } } });
  const { token } = await api.user('uma');
  const browser = new Browser();
  const me = async () => (await browser.get(`${api.baseUrl}/api/me`)).status;
  await browser.send('POST', `${api.baseUrl}/api/auth/session`, {
    authorization: `Bearer ${token}`,
  });
  // Active every 0.4 s: alive past the idle timeout…
  for (let i = 0; i < 6; i++) {
    expect(await me()).toBe(200);
    await sleep(400);
  }
  // …then idle for longer than it: gone.
  await sleep(1_700);
  expect(await me()).toBe(401);

  await browser.send('POST', `${api.baseUrl}/api/auth/session`, {
    authorization: `Bearer ${token}`,
  });
  const started = Date.now();
  const seen: number[] = [];
  while (Date.now() - started < 4_600) {
    seen.push(await me());
    await sleep(400);
  }
  expect(seen.slice(0, 8).every((s) => s === 200)).toBe(true);
  expect(seen.at(-1)).toBe(401);
});

it('ends the sessions and tokens of a deactivated user on their next request', async () => {
  const api = await stack();
  const { token } = await api.user('vic');
  const browser = new Browser();
  await browser.send('POST', `${api.baseUrl}/api/auth/session`, {
    authorization: `Bearer ${token}`,
  });
  expect((await browser.get(`${api.baseUrl}/api/me`)).status).toBe(200);
  const off = await api.call('PATCH', '/api/users/vic', {
    token: api.adminToken,
    body: { active: false },
  });
  expect(off.status).toBe(200);
  expect(off.body).toMatchObject({ id: 'vic', active: false });
  expect((await browser.get(`${api.baseUrl}/api/me`)).status).toBe(401);
  const bearer = await api.call('GET', '/api/me', { token });
  expect(bearer.status).toBe(401);
  expect(bearer.body.detail).toMatch(/revoked|deactivated/);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
