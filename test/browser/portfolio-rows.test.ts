/**
 * The PMO's portfolio shows where each project stands (its node, days there, the hypercare
 * countdown, over budget) from the list alone: no `GET /api/projects/<id>` per row, which
 * asks Temporal each time. A change shows at the list's next refresh, a request per page.
 */
import type { Request } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { expectStatus } from '../server/drive-http';
import { advance } from '../server/happy-path';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('shows In node and hypercare for its rows without a request per project', async () => {
  const starting = await startDemoProject(app, 'Warehouse scanners');
  const live = await startDemoProject(app, 'Tills (hypercare)');
  await advance(app.stack, app.cast, live, opsIntegratedDelivery, 'inception', 'hypercare');
  const pm = app.cast.pm!.token;
  const post = (id: string, path: string, body: unknown) =>
    app.stack.call('POST', `/api/projects/${id}${path}`, { token: pm, body });
  const measures = { delivery: { budget: 1_000, currency: 'EUR' } };
  expectStatus(await post(starting, '/metrics', measures), 200, 'delivery measures');

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  const perProject: string[] = [];
  const lists: string[] = [];
  page.on('request', (request: Request) => {
    const { pathname } = new URL(request.url());
    if (/^\/api\/projects\/[^/]+$/.test(pathname)) perProject.push(pathname);
    if (pathname === '/api/projects') lists.push(request.url());
  });
  await signInWithToken(page, app.pmo);
  const row = (id: string) =>
    page.locator(`[data-testid="portfolio-row"][data-project-id="${id}"]`);
  await row(starting).getByTestId('portfolio-current').filter({ hasText: 'Inception' }).waitFor();
  await row(starting)
    .getByTestId('portfolio-days')
    .filter({ hasText: /^(less than a minute|1 minute)$/ })
    .waitFor();
  expect(await row(starting).getByTestId('portfolio-hypercare').textContent()).toBe('—');
  await row(live).getByTestId('portfolio-current').filter({ hasText: 'Hypercare' }).waitFor();
  expect(await row(live).getByTestId('portfolio-days').textContent()).toMatch(
    /^(less than a minute|1 minute)$/,
  );
  expect(await row(live).getByTestId('portfolio-hypercare').textContent()).toMatch(
    /^ends in 2[78]d/,
  );
  await screenshot(page, '96-portfolio-rows');

  // Over budget meanwhile: the row shows it at the list's next refresh (every 10 s).
  const listsBefore = lists.length;
  expectStatus(await post(starting, '/cost', { spent: 1_200 }), 200, 'cost');
  await row(starting).getByTestId('over-budget').waitFor({ timeout: 15_000 });
  expect(await row(starting).getByTestId('over-budget').getAttribute('title')).toContain(
    '20 % over',
  );
  expect(lists.length).toBeGreaterThan(listsBefore);
  expect(perProject).toEqual([]);
  expect(errors).toEqual([]);
}, 90_000);
