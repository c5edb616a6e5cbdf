/**
 * Where the keyboard focus goes once something is done, in Chromium: a form sent on the project
 * page (a deliverable, a hypercare issue, feedback, a KPI reading) hands it to its confirmation,
 * shown just before the part of the page the form was in, and dismissing that goes on into the
 * same part; the designer's edge-outcome picker gives it back to the card the edge was drawn
 * from, whether it closes on Escape or on a choice. A hypercare issue's clock says its times
 * as people do ("response due in 1 hour").
 */
import type { Locator, Page } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { advance } from '../server/happy-path';
import { openPage } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';
import { card, connectByHandles, dropFromPalette } from './support/canvas';
import { focusSettles, focused } from './support/keyboard';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** The notice region (project/notices.tsx) the focused element is in, or 'none'. */
const focusedRegion = (page: Page) =>
  page.evaluate<string>(
    `document.activeElement?.closest('[data-notice-region]')?.getAttribute('data-notice-region') ?? 'none'`,
  );

/**
 * Sends the form that `submit` belongs to with Enter, as a keyboard user does; answers the
 * confirmation once it shows `said`.
 */
async function sendByKeyboard(page: Page, submit: Locator, said: string): Promise<Locator> {
  await submit.focus();
  await page.keyboard.press('Enter');
  const notice = page.getByTestId('notice').filter({ hasText: said });
  await notice.waitFor();
  return notice;
}

/** Tab onto the confirmation's dismiss button, Enter: answers the region the focus went on to. */
async function dismissByKeyboard(page: Page, notice: Locator): Promise<string> {
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe('button ×');
  await page.keyboard.press('Enter');
  await notice.waitFor({ state: 'detached' });
  return focusedRegion(page);
}

it('hands the focus to the confirmation of a form sent on the project page, beside the form', async () => {
  const t = opsIntegratedDelivery;
  const fresh = await startDemoProject(app, 'Focus: deliverables');
  const tills = await startDemoProject(app, 'Focus: tills');
  await advance(app.stack, app.cast, tills, t, 'inception', 'hypercare');
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);

  // A deliverable: its "Your turn" block goes with the answer, the focus stays on the notice.
  await page.goto(`/#/projects/${fresh}`);
  const actions = page.locator('[data-testid="node-action"][data-action="submit-deliverable"]');
  await actions.first().waitFor();
  const before = await actions.count();
  await actions.first().getByTestId('deliverable-text').fill('Stakeholders mapped with ops');
  const delivered = await sendByKeyboard(
    page,
    actions.first().getByTestId('deliverable-submit'),
    'submitted.',
  );
  expect(await focusSettles(page, 'notice')).toBe('notice');
  // The answer's fresh state drops the block: one fewer than before, and no more.
  await actions.nth(before - 1).waitFor({ state: 'detached' });
  expect(await actions.count()).toBe(before - 1);
  expect(await focused(page)).toBe('notice');
  expect(await dismissByKeyboard(page, delivered)).toBe('steps');
  expect(await focused(page)).toBe('node-picker');

  // A hypercare issue: the form stays, emptied; the notice sits just before the hypercare panel.
  await page.goto(`/#/projects/${tills}`);
  await page.getByTestId('issue-form').waitFor();
  await page.getByTestId('issue-severity').selectOption('1');
  // The field takes what the server keeps (150 characters), not a title it would refuse.
  await page.getByTestId('issue-title').fill('Tills freeze '.repeat(20));
  expect((await page.getByTestId('issue-title').inputValue()).length).toBe(150);
  await page.getByTestId('issue-title').fill('Tills freeze at noon');
  const raised = await sendByKeyboard(page, page.getByTestId('issue-submit'), 'Issue raised.');
  expect(await focusSettles(page, 'notice')).toBe('notice');
  const issue = page.locator('[data-testid="hypercare-issue"][data-issue-id="issue-1"]');
  await issue.waitFor();
  // Severity 1 in the built-in template: a response within an hour, a resolution within 8.
  expect(await issue.getByTestId('issue-respond-by').textContent()).toMatch(
    / · response due in 1 hour$/,
  );
  expect(await issue.getByTestId('issue-resolve-by').textContent()).toMatch(
    / · resolution due in 8 hours$/,
  );
  expect(await focused(page)).toBe('notice');
  expect(await dismissByKeyboard(page, raised)).toBe('hypercare');

  // Feedback, on its tab.
  await page.getByTestId('project-tab-feedback').click();
  await page.getByTestId('feedback-text').fill('Receipts print twice');
  const posted = await sendByKeyboard(page, page.getByTestId('feedback-submit'), 'posted.');
  expect(await focusSettles(page, 'notice')).toBe('notice');
  expect(await dismissByKeyboard(page, posted)).toBe('feedback');

  // A KPI reading, at the foot of the benefits tab: the notice is just above its section.
  await page.getByTestId('project-tab-benefits').click();
  await page.getByTestId('kpi-value').fill('55');
  const recorded = await sendByKeyboard(page, page.getByTestId('kpi-submit'), 'recorded.');
  expect(await focusSettles(page, 'notice')).toBe('notice');
  expect(await dismissByKeyboard(page, recorded)).toBe('kpi');
  expect(errors).toEqual([]);
});

it('focuses the inbox confirmation again when the next one says the same words', async () => {
  const first = await startDemoProject(app, 'Focus: inbox one');
  const second = await startDemoProject(app, 'Focus: inbox two');
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  await page.goto('/#/inbox');
  const deliverables = (project: string) =>
    page.locator(
      `[data-testid="inbox-item"][data-action="submit-deliverable"][data-project-id="${project}"]`,
    );
  await deliverables(first).first().waitFor();
  const itemId = await deliverables(first).first().getAttribute('data-item-id');
  // The same deliverable of both projects: both confirmations read "“…” submitted."
  const said: string[] = [];
  for (const project of [first, second]) {
    const item = page.locator(
      `[data-testid="inbox-item"][data-project-id="${project}"][data-item-id="${itemId}"]`,
    );
    await item.getByTestId('inbox-item-toggle').click();
    await item.getByTestId('deliverable-text').fill('Mapped with operations');
    await item.getByTestId('deliverable-submit').focus();
    await page.keyboard.press('Enter');
    await item.waitFor({ state: 'detached' });
    expect(await focusSettles(page, 'notice')).toBe('notice');
    said.push((await page.getByTestId('notice').textContent()) ?? '');
  }
  expect(said[1]).toBe(said[0]);
  expect(said[0]).toContain('” submitted.');
  expect(errors).toEqual([]);
});

it('gives the focus back to the card an edge was drawn from when the outcome picker closes', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto('/#/templates/new');
  await page.getByTestId('designer').waitFor();
  await dropFromPalette(page, 'gate', { x: 220, y: 160 });
  await card(page, 'gate-1').waitFor();
  await dropFromPalette(page, 'end', { x: 560, y: 160 });
  await card(page, 'end-1').waitFor();

  const picker = page.getByTestId('outcome-picker');
  const inPicker = () =>
    page.evaluate<boolean>(
      `document.querySelector('[data-testid="outcome-picker"]')?.contains(document.activeElement) ?? false`,
    );
  // Closed with Escape: no edge, the focus back on the gate.
  await connectByHandles(page, 'gate-1', 'end-1');
  await picker.waitFor();
  expect(await inPicker()).toBe(true);
  await page.keyboard.press('Escape');
  await picker.waitFor({ state: 'detached' });
  expect(await focused(page)).toBe('rf__node-gate-1');
  expect(await page.getByTestId('rf__edge-gate-1~go').count()).toBe(0);

  // Closed by a choice made with the keyboard: the edge drawn, the focus back on the gate.
  await connectByHandles(page, 'gate-1', 'end-1');
  await picker.waitFor();
  expect(await focused(page)).toBe('outcome-go');
  await page.keyboard.press('Enter');
  await page.getByTestId('rf__edge-gate-1~go').waitFor();
  await picker.waitFor({ state: 'detached' });
  expect(await focused(page)).toBe('rf__node-gate-1');
  expect(errors).toEqual([]);
});
