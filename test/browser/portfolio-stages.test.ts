/**
 * The PMO's portfolio answers where the open projects stand: a chip per stage with how many
 * are in it, which lists that stage when chosen (kept in the address, a history step Back
 * undoes), and "needs attention" and "longest at their stage" views, exported as listed.
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { eventually, expectStatus } from '../server/drive-http';
import { advance } from '../server/happy-path';
import { attributesOf, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const KEY = opsIntegratedDelivery.key;
const hashIs = (page: Page, hash: string) => page.waitForURL((url) => url.hash === hash);

it('counts each stage, lists one by its chip, and Back returns to the list before', async () => {
  const first = await startDemoProject(app, 'Scanners');
  const second = await startDemoProject(app, 'Tills');
  const live = await startDemoProject(app, 'Kiosks (hypercare)');
  await advance(app.stack, app.cast, live, opsIntegratedDelivery, 'inception', 'hypercare');
  const pm = app.cast.pm!.token;
  const post = (id: string, path: string, body: unknown) =>
    app.stack.call('POST', `/api/projects/${id}${path}`, { token: pm, body });
  expectStatus(
    await post(second, '/metrics', { delivery: { budget: 100, currency: 'EUR' } }),
    200,
    'budget',
  );
  expectStatus(await post(second, '/cost', { spent: 150 }), 200, 'cost');

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  const chip = (stage: string) =>
    page.locator(`[data-testid="stage-chip"][data-template="${KEY}"][data-stage="${stage}"]`);
  const rows = page.getByTestId('portfolio-row');
  const listed = (want: string[]) =>
    eventually(
      `the rows ${want.join(', ')}`,
      () => attributesOf(rows, 'data-project-id'),
      (ids) => ids.join() === want.join(),
    );
  await listed([live, second, first]);
  await chip('inception').filter({ hasText: 'Inception 2' }).waitFor();
  await chip('hypercare').filter({ hasText: 'Hypercare 1' }).waitFor();
  const entries = async () => Number(await page.evaluate('history.length'));
  const before = await entries();
  const start = new URL(page.url()).hash;

  // A chip lists its stage: the template and stage in the address, one history step.
  const inHypercare = `#/portfolio?template=${KEY}&stage=hypercare`;
  await chip('hypercare').click();
  await hashIs(page, inHypercare);
  await listed([live]);
  expect(await chip('hypercare').getAttribute('aria-pressed')).toBe('true');
  expect(await page.getByTestId('portfolio-filter-template').inputValue()).toBe(KEY);
  await screenshot(page, '97-portfolio-stage-chips');
  const inInception = `#/portfolio?template=${KEY}&stage=inception`;
  await chip('inception').click();
  await hashIs(page, inInception);
  await listed([second, first]);
  expect(await chip('hypercare').getAttribute('aria-pressed')).toBe('false');
  expect(await entries()).toBe(before + 2);
  // The export takes what the list shows.
  expect(await page.getByTestId('portfolio-export').getAttribute('href')).toBe(
    `/api/portfolio/export?template=${KEY}&stage=inception`,
  );

  // Back: the stage before, then the whole portfolio.
  await page.goBack();
  await hashIs(page, inHypercare);
  await listed([live]);
  expect(await chip('hypercare').getAttribute('aria-pressed')).toBe('true');
  await page.goBack();
  await hashIs(page, start);
  await listed([live, second, first]);
  // Forward, and the chosen chip again: the template's list, every stage.
  await page.goForward();
  await hashIs(page, inHypercare);
  await chip('hypercare').click();
  await hashIs(page, `#/portfolio?template=${KEY}`);
  await listed([live, second, first]);

  // Needs attention: over budget, then the longest at their stage first.
  await page.getByTestId('portfolio-filter-attention').selectOption('over_budget');
  await hashIs(page, `#/portfolio?template=${KEY}&attention=over_budget`);
  await listed([second]);
  await page.getByTestId('portfolio-filter-attention').selectOption('');
  await page.getByTestId('portfolio-sort').selectOption('stage_age');
  await hashIs(page, `#/portfolio?template=${KEY}&sort=stage_age`);
  await listed([first, second, live]);
  await page.goBack();
  await hashIs(page, `#/portfolio?template=${KEY}`);
  await listed([live, second, first]);
  expect(await page.getByTestId('portfolio-sort').inputValue()).toBe('newest');
  expect(errors).toEqual([]);
}, 120_000);

it('shows no stage counts to someone who is not the PMO', async () => {
  const { page } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  await page.getByTestId('portfolio-row').first().waitFor();
  expect(await page.getByTestId('stage-chips').count()).toBe(0);
});
