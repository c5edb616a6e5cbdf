/**
 * Feedback reaches whoever is expected to answer it (issue 13, item 6), walked in Chromium on
 * the built-in template: a frontline participant posts feedback from the project's feedback
 * tab; the project manager (owner of the inception gate it was posted at) finds it in the
 * inbox with its text, acknowledges it there (taking it on), then closes it as acted on, and
 * it leaves the inbox; the poster sees what was done.
 */
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it("puts frontline feedback in the steward's inbox until it is acted on", async () => {
  const id = await startDemoProject(app, 'Tills (feedback)');
  const text = 'The night shift was never shown the new tills';

  // Frontline staff post from the project's feedback tab; they are no steward: no answer form.
  const frontline = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(frontline.page, app.cast.frontline!.token);
  await frontline.page.goto(`/#/projects/${id}/feedback`);
  await frontline.page.getByTestId('feedback-text').fill(text);
  await frontline.page.getByTestId('feedback-submit').click();
  const posted = frontline.page.getByTestId('feedback-entry').filter({ hasText: text });
  await posted.waitFor();
  expect(await posted.getByTestId('feedback-answer-form').count()).toBe(0);
  expect(await posted.getByTestId('feedback-status').getAttribute('data-status')).toBe('open');

  // The project manager owns the inception gate: the item is in the inbox, with its text.
  const pm = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(pm.page, app.cast.pm!.token);
  await pm.page.getByTestId('nav-inbox').click();
  const item = pm.page.locator(
    `[data-testid="inbox-item"][data-action="answer-feedback"][data-project-id="${id}"]`,
  );
  await item.waitFor();
  expect(await item.textContent()).toContain('Answer feedback');
  expect(await item.textContent()).toContain('open, not yet answered');
  expect(await item.getByTestId('inbox-item-feedback').textContent()).toBe(`feedback “${text}”`);
  await item.getByTestId('inbox-item-toggle').click();
  const shown = item.getByTestId('feedback-to-answer');
  await shown.waitFor();
  expect(await shown.getByTestId('feedback-text-shown').textContent()).toBe(text);
  // Acknowledged, owned by the PM (the default), with a word for the poster.
  expect(await item.getByTestId('feedback-answer-status').inputValue()).toBe('acknowledged');
  expect(await item.getByTestId('feedback-answer-owner').inputValue()).toBe(app.cast.pm!.id);
  await item.getByTestId('feedback-answer-text').fill('Planning a session for them');
  await item.getByTestId('feedback-answer-submit').click();
  // Still the PM's to close: back in the list as acknowledged.
  await item.getByTestId('inbox-item-detail').filter({ hasText: 'acknowledged' }).waitFor();
  await screenshot(pm.page, '98-feedback-in-inbox-acknowledged');

  await item.getByTestId('inbox-item-toggle').click();
  expect(await item.getByTestId('feedback-answer-status').inputValue()).toBe('acted_on');
  expect(await item.getByTestId('feedback-answer-owner').count()).toBe(0);
  await item.getByTestId('feedback-answer-text').fill('Night-shift training held on 12 May');
  await item.getByTestId('feedback-answer-submit').click();
  await item.waitFor({ state: 'detached' });
  expect(pm.errors).toEqual([]);

  // The poster sees what was done.
  await frontline.page.reload();
  const closed = frontline.page.getByTestId('feedback-entry').filter({ hasText: text });
  await closed.locator('[data-testid="feedback-status"][data-status="acted_on"]').waitFor();
  expect(await closed.getByTestId('feedback-status').textContent()).toContain(
    'Night-shift training held on 12 May',
  );
  expect(frontline.errors).toEqual([]);
});
