/**
 * Single sign-on through the web app in Chromium, against a real local identity provider:
 * "Sign in with SSO" leaves for the provider, comes back signed in to the page the person was
 * on, with the session in an HttpOnly cookie the page's scripts cannot read and no credential
 * in its storage; writes carry the CSRF token; signing out ends the session; a refusal at the
 * provider comes back as a readable reason. The app's CSP holds on every page (no violation).
 */
import type { Page } from 'playwright-core';
import { startApiStack, type ApiStack } from '../server/stack';
import { databaseFactory } from '../support/databases';
import { AUDIENCE, CLIENT_ID, CLIENT_SECRET, OidcProvider, person } from '../support/oidc-provider';
import { launchBrowser, openPage, screenshot } from './support/browser';
import { DESIGNER_DIST, ensureDesignerBuilt } from './support/designer-dist';

let idp: OidcProvider;
let stack: ApiStack;
let browser: Awaited<ReturnType<typeof launchBrowser>>;

beforeAll(async () => {
  await ensureDesignerBuilt();
  idp = await OidcProvider.start();
  stack = await startApiStack(
    databaseFactory('sqlite'),
    {
      staticDir: DESIGNER_DIST,
      oidc: {
        issuer: idp.issuer,
        audience: AUDIENCE,
        algorithms: ['RS256'],
        clockSkewSeconds: 30,
        jit: true,
        client: { id: CLIENT_ID, secret: CLIENT_SECRET },
        roles: { claim: 'groups', pmo: 'gatehouse-pmo', admin: 'gatehouse-admin' },
      },
    },
    { worker: false },
  );
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
  await idp?.stop();
});

/** What the page's own scripts can see of credentials. */
const visibleCredentials = (page: Page) =>
  page.evaluate<{ cookies: string; storage: string }>(
    '({ cookies: document.cookie, storage: JSON.stringify({ ...localStorage, ...sessionStorage }) })',
  );

it('signs in with SSO through the web app, into an HttpOnly session, and signs out', async () => {
  idp.person = person('sub-priya', 'priya@idp.test', 'Priya Pmo', { groups: ['gatehouse-pmo'] });
  const { context, page, errors } = await openPage(browser, stack.baseUrl);
  await page.goto('/#/templates');
  await page.getByTestId('signin-sso').waitFor();
  await screenshot(page, 'signin-sso');
  const providerRequests = idp.requests.length;
  await page.getByTestId('signin-sso').click();

  // Back from the provider, signed in, on the page she was on.
  await page.getByTestId('nav').waitFor();
  expect(new URL(page.url()).hash).toBe('#/templates');
  expect(idp.requests.slice(providerRequests)).toEqual(
    expect.arrayContaining(['/authorize', '/token']),
  );
  await page.getByTestId('user-menu-button').click();
  await expect(page.getByTestId('user-menu-name').textContent()).resolves.toBe('Priya Pmo');
  await page.getByTestId('user-menu-button').click();

  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'gatehouse_session')!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  const seen = await visibleCredentials(page);
  expect(seen.cookies).not.toContain('gatehouse_session');
  expect(seen.storage).not.toMatch(/gh_|eyJ/);

  // A write from the page (a draft saved) carries the CSRF token and succeeds as the PMO the
  // roles claim makes her.
  const saved = await page.evaluate(`(async () => {
    const session = await (await fetch('/api/auth/session')).json();
    const answer = await fetch('/api/templates/sso-draft/draft', {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ name: 'Drafted after SSO' }),
    });
    const forged = await fetch('/api/templates/sso-draft/draft', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no CSRF token' }),
    });
    return [answer.status, forged.status];
  })()`);
  expect(saved).toEqual([200, 403]);

  await page.getByTestId('user-menu-button').click();
  await page.getByTestId('sign-out').click();
  await page.getByTestId('signin').waitFor();
  await page.reload();
  await page.getByTestId('signin-sso').waitFor();
  expect((await context.cookies()).map((c) => c.name)).not.toContain('gatehouse_session');
  expect(errors).toEqual([]);
  await context.close();
});

it('comes back with a reason a person can act on when the sign-in does not succeed', async () => {
  const { context, page, errors } = await openPage(browser, stack.baseUrl);
  idp.refusing = true;
  try {
    await page.goto('/');
    await page.getByTestId('signin-sso').click();
    await expect(page.getByTestId('signin-reason').textContent()).resolves.toContain(
      'cancelled at your identity provider',
    );
    // The code is gone from the address bar: a reload does not show it again.
    expect(new URL(page.url()).search).toBe('');
  } finally {
    idp.refusing = false;
  }
  idp.person = person('sub-out', 'someone@idp.test', 'Someone', { email_verified: false });
  await page.getByTestId('signin-sso').click();
  await expect(page.getByTestId('signin-reason').textContent()).resolves.toContain(
    'did not confirm an e-mail address',
  );
  await screenshot(page, 'signin-sso-refused');
  expect(errors).toEqual([]);
  await context.close();
});
