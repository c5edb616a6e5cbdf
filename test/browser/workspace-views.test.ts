/**
 * The workspace views that had no browser test (issue 10): the portfolio's days-in-node and
 * hypercare countdown cells, and the benefits tab's planned-vs-actual (PIR) and KPI trend
 * charts, drawn by Recharts from readings recorded over the API.
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { advance } from '../server/happy-path';
import { attributesOf, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

const DAY = 86_400_000;

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const row = (page: Page, id: string) =>
  page.locator(`[data-testid="portfolio-row"][data-project-id="${id}"]`);

it('shows days in the current node and the hypercare countdown in the portfolio', async () => {
  const gate = await startDemoProject(app, 'Payroll (at a gate)');
  const care = await startDemoProject(app, 'Billing (in hypercare)');
  await advance(app.stack, app.cast, care, opsIntegratedDelivery, 'inception', 'hypercare');

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await row(page, care)
    .getByTestId('portfolio-hypercare')
    .filter({ hasText: /ends in/ })
    .waitFor();
  expect(await row(page, care).getByTestId('portfolio-current').textContent()).toBe('Hypercare');
  // Four weeks of hypercare, a moment ago begun.
  expect(await row(page, care).getByTestId('portfolio-hypercare').textContent()).toMatch(
    /^ends in 27d 23h$/,
  );
  expect(await row(page, gate).getByTestId('portfolio-days').textContent()).toMatch(
    /^(less than a minute|1 minute)$/,
  );
  expect(await row(page, gate).getByTestId('portfolio-hypercare').textContent()).toBe('—');
  await screenshot(page, '70-portfolio-today');

  // Three days and two hours later, by the browser's clock: the cells follow.
  await page.clock.setFixedTime(Date.now() + 3 * DAY + 2 * 3_600_000);
  await page.reload();
  await row(page, gate).getByTestId('portfolio-days').filter({ hasText: '3 days' }).waitFor();
  expect(await row(page, care).getByTestId('portfolio-days').textContent()).toBe('3 days');
  expect(await row(page, care).getByTestId('portfolio-hypercare').textContent()).toMatch(
    /^ends in 24d 2[12]h$/,
  );
  await screenshot(page, '71-portfolio-three-days-on');
  expect(errors).toEqual([]);
});

it('draws planned vs actual per metric and each metric over time', async () => {
  const id = await startDemoProject(app, 'Claims (benefits)');
  const record = async (metric: string, value: number, daysAgo: number) => {
    const reply = await app.stack.call('POST', `/api/projects/${id}/kpis`, {
      token: app.cast['ops-manager']!.token,
      body: { metric, value, at: new Date(Date.now() - daysAgo * DAY).toISOString() },
    });
    expect(reply.status).toBe(201);
  };
  // Adoption reaches its target (80 %); support tickets stay above theirs (≤ 60 a week);
  // satisfaction twice, the latest on target; processing time is never measured.
  await record('adoption-rate', 35, 20);
  await record('adoption-rate', 62, 10);
  await record('adoption-rate', 84, 1);
  await record('support-tickets', 95, 3);
  await record('user-satisfaction', 3.9, 8);
  await record('user-satisfaction', 4.4, 2);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/projects/${id}/benefits`);
  const pir = (metric: string) =>
    page.locator(`[data-testid="pir-chart"][data-metric="${metric}"]`);
  await pir('adoption-rate').locator('.recharts-bar-rectangle').first().waitFor();
  const verdicts = await attributesOf(page.getByTestId('pir-chart'), [
    'data-metric',
    'data-verdict',
  ]);
  expect(verdicts).toEqual([
    ['adoption-rate', 'met'],
    ['support-tickets', 'missed'],
    ['processing-time', 'no-data'],
    ['user-satisfaction', 'met'],
  ]);
  // Baseline, target and actual bars; no actual bar without a reading.
  // Each chart draws once it has measured its own box: its bars are waited for, then read at
  // one moment.
  const fills = async (metric: string) => {
    await pir(metric).locator('.recharts-bar-rectangle').first().waitFor();
    return attributesOf(pir(metric).locator('.recharts-bar-rectangle path'), 'fill');
  };
  // Grey baseline, blue target, the actual green on target and red off it.
  expect(await fills('support-tickets')).toEqual(['#98a2b3', '#2857d6', '#c53030']);
  expect(await fills('processing-time')).toEqual(['#98a2b3', '#2857d6']);
  // Adoption's baseline is 0: a bar of no height, not drawn.
  expect(await fills('adoption-rate')).toEqual(['#2857d6', '#1f8a4c']);
  expect(await pir('adoption-rate').textContent()).toContain('on target');

  // Trends: one dot per reading, the target as a reference line.
  const trend = (metric: string) =>
    page.locator(`[data-testid="kpi-chart"][data-metric="${metric}"]`);
  await trend('adoption-rate').locator('.recharts-line-dot').first().waitFor();
  expect(await trend('adoption-rate').getAttribute('data-readings')).toBe('3');
  expect(await trend('adoption-rate').locator('.recharts-line-dot').count()).toBe(3);
  expect(await trend('adoption-rate').locator('.recharts-reference-line').count()).toBe(2);
  await trend('user-satisfaction').locator('.recharts-line-dot').first().waitFor();
  expect(await trend('user-satisfaction').locator('.recharts-line-dot').count()).toBe(2);
  // A 1–5 score is drawn on its allowed range: the y-axis tops out at 5 on both charts.
  const topTick = async (chart: ReturnType<typeof trend>) => {
    const ticks = chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await ticks.first().waitFor();
    return Math.max(...(await ticks.allTextContents()).map(Number));
  };
  expect(await topTick(trend('user-satisfaction'))).toBe(5);
  expect(await topTick(pir('user-satisfaction'))).toBe(5);
  expect(await trend('processing-time').textContent()).toContain('No readings yet.');
  await trend('adoption-rate').scrollIntoViewIfNeeded();
  await screenshot(page, '72-benefits-charts');
  expect(errors).toEqual([]);
});
