/**
 * A node renamed in a newer template version, as the PMO's portfolio shows it: one stage chip
 * for the node (what the stage filter takes) under the latest version's name, saying the name
 * the older pinned version gives it; each row names its project's node as its own version does.
 */
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import { eventually } from '../server/drive-http';
import { publish as publishAs } from '../server/trust-support';
import { attributesOf, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const v1: Template = { ...opsIntegratedDelivery, key: 'pinned-delivery', name: 'Pinned delivery' };
const v2: Template = {
  ...v1,
  nodes: v1.nodes.map((n) => (n.id === 'inception' ? { ...n, name: 'Discovery' } : n)),
};

const publish = (template: Template) => publishAs(app.stack, { token: app.pmo }, template);

it('names a renamed stage’s chip and rows as each project’s version does', async () => {
  expect(await publish(v1)).toBe(1);
  const scanners = await startDemoProject(app, 'Scanners (v1)', v1.key);
  expect(await publish(v2)).toBe(2);
  const tills = await startDemoProject(app, 'Tills (v2)', v1.key);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  const chip = page.locator(
    `[data-testid="stage-chip"][data-template="${v1.key}"][data-stage="inception"]`,
  );
  await chip.filter({ hasText: 'Discovery 2' }).waitFor();
  expect(await chip.getByTestId('stage-chip-also').textContent()).toBe('“Inception” in v1');
  expect(await chip.getAttribute('title')).toBe(
    'List the 2 open project(s) in “Discovery” (“Inception” in v1)',
  );

  // The chip lists the node's projects of both versions, each named by its own version.
  await chip.click();
  await page.waitForURL((url) => url.hash === `#/portfolio?template=${v1.key}&stage=inception`);
  const rows = page.getByTestId('portfolio-row');
  await eventually(
    'both projects listed',
    () => attributesOf(rows, 'data-project-id'),
    (ids) => ids.join() === [tills, scanners].join(),
  );
  expect(await rows.getByTestId('portfolio-current').allTextContents()).toEqual([
    'Discovery',
    'Inception',
  ]);
  await screenshot(page, '98-portfolio-renamed-stage');
  expect(errors).toEqual([]);
}, 120_000);
