/**
 * The server out of reach for a moment while someone works: what was loaded stays, the screen
 * says that it could not be refreshed or loaded, and once the server answers again "Try again"
 * brings the screen back without reloading the page.
 */
import type { Page } from 'playwright-core';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** Every request to the server from now on fails as if it were down; answers a way back up. */
async function serverDown(page: Page, paths: RegExp): Promise<() => Promise<void>> {
  await page.route(paths, (route) => route.abort('connectionrefused'));
  return () => page.unroute(paths);
}

it('loads the designer again after its code failed to load once, styled, on “Try again”', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  // The designer's code is loaded when it is first opened: the server is gone by then.
  const up = await serverDown(page, /\/assets\//);
  await page.goto('/#/templates/ops-integrated-delivery/edit');
  const problem = page.getByTestId('problem');
  await problem.waitFor();
  expect(await problem.textContent()).toContain(
    'The template designer could not be loaded: the server cannot be reached',
  );
  await screenshot(page, '99-outage-designer-code');

  await up();
  await problem.getByRole('button', { name: 'Try again' }).click();
  const designer = page.getByTestId('designer');
  await designer.waitFor();
  await page.getByTestId('canvas').waitFor();
  // Its stylesheet came with it (a failed <link> left behind would keep it unstyled).
  // (A string: this project's Node typings have no DOM.)
  const display = `getComputedStyle(document.querySelector('[data-testid="designer"]')).display`;
  expect(await page.evaluate<string>(display)).toBe('flex');
  // Vite's loader and the error boundary said so in the console; nothing uncaught.
  expect(errors).toEqual([]);
}, 120_000);

it('says that the portfolio and the inbox could not be refreshed, and refreshes on “Try again”', async () => {
  await startDemoProject(app, 'Scanners');
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.getByTestId('portfolio-table').waitFor();
  const stale = page.getByTestId('stale-notice');

  // The portfolio's refresh (every 10 s, or its button) fails: the rows stay, saying so.
  const up = await serverDown(page, /\/api\//);
  await page.getByRole('button', { name: 'Refresh' }).click();
  await stale.waitFor();
  expect(await stale.textContent()).toContain('No answer from the server');
  expect(await page.getByTestId('portfolio-row').count()).toBeGreaterThan(0);
  await screenshot(page, '99-outage-portfolio-stale');
  await up();
  await stale.getByRole('button', { name: 'Try again' }).click();
  await stale.waitFor({ state: 'detached' });

  // The inbox's to-dos were loaded with the navigation; opening the inbox once they are stale
  // (5 s) loads them again, which fails: "Nothing waiting for you" alone would be a guess.
  await page.waitForTimeout(5_500);
  const down = await serverDown(page, /\/api\//);
  await page.getByRole('link', { name: /^Inbox/ }).click();
  await stale.waitFor();
  expect(await page.getByTestId('empty').textContent()).toContain('Nothing waiting for you');
  await screenshot(page, '99-outage-inbox-stale');
  await down();
  await stale.getByRole('button', { name: 'Try again' }).click();
  await stale.waitFor({ state: 'detached' });
  expect(errors).toEqual([]);
}, 120_000);

it('answers 404 for code a deployment removed, not the app’s page as a script', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await page.goto('/');
  const gone = await page.request.get('/assets/editor-GoneSince1.js');
  expect(gone.status()).toBe(404);
  expect(gone.headers()['content-type']).not.toMatch(/text\/html/);
  // Client-side addresses still get the app.
  const deep = await page.request.get('/portfolio');
  expect([deep.status(), deep.headers()['content-type']]).toEqual([
    200,
    'text/html; charset=utf-8',
  ]);
  expect(errors).toEqual([]);
}, 60_000);
