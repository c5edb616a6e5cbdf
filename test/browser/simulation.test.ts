/**
 * The simulation of the built-in template in Chromium: time advanced while nobody acts fires
 * the inception gate's SLA reminders and escalations onto the timeline, then "run to end"
 * takes the virtual project through the whole lifecycle to completed.
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

const KEY = opsIntegratedDelivery.key;

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** Timeline rows of one kind and type (`notification`/`reminder`, `audit`/`project.ended`). */
const events = (page: Page, kind: string, type: string) =>
  page.locator(`[data-testid="sim-event"][data-kind="${kind}"][data-type="${type}"]`);

it('runs the built-in template to its end, with reminders and escalations as time passes', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pmo']!.token);

  // The built-in template in the designer (laid out automatically: it opens without edits).
  await page.getByTestId('nav-templates').click();
  const row = page.locator(`[data-testid="template-row"][data-template-key="${KEY}"]`);
  await row.getByRole('link', { name: 'Edit' }).click();
  await page.getByTestId('designer').waitFor();
  await page
    .locator('.react-flow__node')
    .nth(opsIntegratedDelivery.nodes.length - 1)
    .waitFor();
  await page
    .getByTestId('problems-count')
    .filter({ hasText: /^valid$/ })
    .waitFor();
  // A gate in the inspector, the canvas zoomed in around it: readable in a screenshot.
  const gate = page.getByTestId('rf__node-plan-approval');
  await gate.click();
  await page.getByTestId('inspector-title').filter({ hasText: 'Plan approval' }).waitFor();
  const box = (await gate.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -500);
  await screenshot(page, '10-designer-builtin');

  // Its simulation, from the templates list.
  await page.getByTestId('nav-templates').click();
  await row.getByRole('link', { name: 'Simulate' }).click();
  await page.getByTestId('simulation').waitFor();
  await page.getByTestId('sim-status').filter({ hasText: 'active' }).waitFor();
  const now = page.getByTestId('sim-now');
  expect(await now.textContent()).toBe('Mon 05 Jan 2026 09:00');

  // Eight days without a sign-off: the inception gate's first reminder (due in 10, at 3 before).
  await page.getByTestId('sim-advance-amount').fill('P8D');
  await page.getByTestId('sim-advance').click();
  await now.filter({ hasText: 'Tue 13 Jan 2026 09:00' }).waitFor();
  await events(page, 'notification', 'reminder').first().waitFor();
  expect(await events(page, 'notification', 'escalation').count()).toBe(0);

  // Deadline by deadline: the second reminder, the due date, then the first escalation.
  for (let jumps = 0; (await events(page, 'notification', 'escalation').count()) === 0; jumps++) {
    expect(jumps).toBeLessThan(5);
    const before = await now.textContent();
    await page.getByTestId('sim-advance-next').click();
    await now.filter({ hasNotText: before! }).waitFor();
  }
  expect(await events(page, 'notification', 'reminder').count()).toBeGreaterThanOrEqual(2);
  await events(page, 'audit', 'sla.escalated').first().waitFor();
  expect(await page.getByTestId('sim-status').textContent()).toBe('active');

  // The PM commits to a budget (the target date defaults to 90 days on) while the metrics
  // are open; the delivery lines show it against nothing delivered yet.
  await page.getByTestId('sim-delivery-budget').fill('150000');
  await page.getByTestId('sim-action-set-delivery').click();
  const cost = page.getByTestId('sim-delivery-cost');
  await cost.filter({ hasText: 'no actual cost recorded · budget 150,000 EUR' }).waitFor();
  expect(await page.getByTestId('sim-delivery-schedule').textContent()).toMatch(
    /^not delivered yet \(target 2026-04-\d\d\)$/,
  );

  // Everyone acts as the happy path says, to the end of the lifecycle.
  await page.getByTestId('sim-run').click();
  await page.getByTestId('sim-status').filter({ hasText: 'completed' }).waitFor();
  await events(page, 'audit', 'project.ended').waitFor();
  for (const node of opsIntegratedDelivery.nodes) {
    expect(await page.getByTestId(`rf__node-${node.id}`).locator('.sim-current').count()).toBe(0);
  }
  await screenshot(page, '11-simulation');
  // Handed over at the formal handoff, within the 90 days.
  expect(await page.getByTestId('sim-delivery-schedule').textContent()).toMatch(
    /^delivered 2026-\d\d-\d\d · on time \(target 2026-04-\d\d, \d+ days early\)$/,
  );

  expect(errors).toEqual([]);
});
