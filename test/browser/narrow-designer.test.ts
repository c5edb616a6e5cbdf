/**
 * The designer and the simulation on a phone (390 px): one column, the canvas the width of the
 * screen and most of its height, nothing wider than the page. (Three columns, the palette and the
 * side panel fixed, left the designer's canvas no width at all and the page 541 px wide.)
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

const PHONE = { width: 390, height: 844 };
const KEY = opsIntegratedDelivery.key;

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** The page's width as laid out, and the graph's size (page-side, as painted). */
function measure(page: Page, graph: string) {
  // (A string: this project's Node typings have no DOM.)
  return page.evaluate<{ page: number; width: number; height: number }>(`(() => {
    const box = document.querySelector('${graph} .react-flow').getBoundingClientRect();
    return {
      page: document.documentElement.scrollWidth,
      width: Math.round(box.width),
      height: Math.round(box.height),
    };
  })()`);
}

it.each([
  ['the PMO', 'demo-pmo'],
  ['an approver, read-only', 'demo-pm'],
])(
  'gives the designer’s canvas the screen’s width on a phone, for %s',
  async (_who, user) => {
    const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
    await page.setViewportSize(PHONE);
    await signInWithToken(page, app.demo[user]!.token);
    await page.goto(`/#/templates/${KEY}/edit`);
    await page.locator('[data-testid="canvas"][data-opened]').waitFor();
    const size = await measure(page, '[data-testid="canvas"]');
    expect(size.page).toBe(PHONE.width);
    expect(size.width).toBeGreaterThan(PHONE.width - 40);
    expect(size.height).toBeGreaterThan(PHONE.height / 2);
    await screenshot(page, `99-narrow-designer-${user}`);
    expect(errors).toEqual([]);
  },
  60_000,
);

it('gives the simulation’s graph the screen’s width on a phone', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await page.setViewportSize(PHONE);
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/templates/${KEY}/simulate?version=1`);
  await page.locator('.gh-sim-graph .react-flow').waitFor();
  const size = await measure(page, '.gh-sim-graph');
  expect(size.page).toBe(PHONE.width);
  expect(size.width).toBeGreaterThan(PHONE.width - 40);
  expect(size.height).toBeGreaterThan(PHONE.height / 3);
  await screenshot(page, '99-narrow-simulation');
  expect(errors).toEqual([]);
}, 60_000);
