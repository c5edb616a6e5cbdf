/**
 * The server out of reach for a moment while someone works: what was loaded stays, the screen
 * says that it could not be refreshed or loaded, and once the server answers again "Try again"
 * brings the screen back without reloading the page.
 */
import type { Page } from 'playwright-core';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

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
