/**
 * Hypercare as a joint duty and feedback with a loop (issue 13, items 2 and 6), walked in
 * Chromium on the built-in template: the project manager (a joint owner of hypercare) sees a
 * frontline colleague's issue with its age and response time and takes it on; then answers
 * the colleague's feedback as acted on, and the item shows it.
 */
import { opsIntegratedDelivery } from '../../workflows/model';
import { advance } from '../server/happy-path';
import { expectDescription, openPage, screenshot, untilTrue } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

// The live feed may show an action's effect before the POST's answer reaches its form, so a
// form closes or empties a moment after the effect shows: the test waits for it, briefly.
it('lets the project manager take a frontline issue on and close feedback as acted on', async () => {
  const id = await startDemoProject(app, 'Tills (hypercare)');
  await advance(app.stack, app.cast, id, opsIntegratedDelivery, 'inception', 'hypercare');
  const frontline = app.cast.frontline!;
  const post = (path: string, body: unknown) =>
    app.stack.call('POST', `/api/projects/${id}${path}`, { token: frontline.token, body });
  expect((await post('/issues', { severity: 1, title: 'Tills freeze at noon' })).status).toBe(201);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  // The to-do card says it in people's words: the role by its name, the issue's severity as
  // the project page says it.
  await page.goto('/#/inbox');
  const card = page.locator(
    `[data-testid="inbox-item"][data-action="acknowledge-issue"][data-project-id="${id}"]`,
  );
  await card.waitFor();
  expect(await card.getByTestId('inbox-item-roles').textContent()).toBe('as Project manager');
  expect(await card.getByTestId('inbox-item-roles').getAttribute('data-roles')).toBe('pm');
  expect(await card.getByTestId('inbox-item-issue').textContent()).toBe(
    ' · S1 Critical blocks the exit',
  );
  await screenshot(page, '89-inbox-issue-in-words');
  await page.goto(`/#/projects/${id}`);
  const issue = page.locator('[data-testid="hypercare-issue"][data-issue-id="issue-1"]');
  await issue.waitFor();
  expect(await issue.getByTestId('issue-age').textContent()).toMatch(/open for \d+s/);
  expect(await issue.getByTestId('issue-respond-by').textContent()).toMatch(/response due in/);
  await issue.getByTestId('issue-acknowledge-submit').click();
  await issue.getByTestId('issue-age').filter({ hasText: 'taken on by Paul' }).waitFor();
  await issue.getByTestId('issue-acknowledge-form').waitFor({ state: 'detached', timeout: 5000 });
  await screenshot(page, '90-hypercare-issue-taken-on');

  // The one-line issue forms: a response (the form closes), a resolution with its note, an
  // issue of the PM's own.
  await issue.getByTestId('issue-respond').click();
  await issue.locator('#respond-issue-1').fill('Restart the till at 11:55 for now');
  await issue.getByTestId('issue-respond-submit').click();
  await issue.getByTestId('issue-response').filter({ hasText: 'Restart the till' }).waitFor();
  await issue.getByTestId('issue-respond-form').waitFor({ state: 'detached', timeout: 5000 });
  await issue.getByTestId('issue-resolve').click();
  await issue.locator('#resolve-issue-1').fill('Firmware updated');
  await issue.getByTestId('issue-resolve-submit').click();
  await issue.waitFor({ state: 'detached' });
  expect(await page.locator('.issues.resolved').textContent()).toContain('— Firmware updated');
  await page.getByTestId('issue-severity').selectOption('3');
  // An empty issue cannot be raised, and the button says why (aria-describedby).
  const raise = page.getByTestId('issue-submit');
  expect(await raise.isDisabled()).toBe(true);
  await expectDescription(raise, 'Describe the issue to raise it.');
  await page.getByTestId('issue-title').fill('Receipt logo blurred');
  await expectDescription(raise, null);
  await page.getByTestId('issue-submit').click();
  await page
    .locator('[data-testid="hypercare-issue"][data-issue-id="issue-2"][data-severity="3"]')
    .waitFor();
  await untilTrue(
    page,
    `document.querySelector('[data-testid="issue-title"]')?.value === ''`,
    5000,
  );

  expect((await post('/feedback', { kind: 'feedback', text: 'Receipts print twice' })).status).toBe(
    201,
  );
  await page.getByTestId('project-tab-feedback').click();
  const entry = page.getByTestId('feedback-entry').filter({ hasText: 'Receipts print twice' });
  await entry.getByTestId('feedback-answer-form').waitFor();
  await entry.getByTestId('feedback-answer-status').selectOption('acted_on');
  await entry.getByTestId('feedback-answer-text').fill('Printer driver updated');
  await entry.getByTestId('feedback-answer-submit').click();
  await entry.locator('[data-testid="feedback-status"][data-status="acted_on"]').waitFor();
  expect(await entry.getByTestId('feedback-status').textContent()).toContain(
    'Printer driver updated',
  );
  await entry.getByTestId('feedback-answer-form').waitFor({ state: 'detached', timeout: 5000 });
  await screenshot(page, '91-feedback-acted-on');
  expect(errors).toEqual([]);
});
