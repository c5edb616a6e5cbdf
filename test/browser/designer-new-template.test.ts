/**
 * A new template in the designer, as the PMO meets it: its first save moves the address to
 * the saved draft's own route (so a reload or a shared link opens the draft, and Back does not
 * return to a blank "new"), without reloading the designer or asking the leave question; and
 * publishing an empty one lists each problem once, in words that say what is missing.
 */
import type { Dialog } from 'playwright-core';
import { answerToClick, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('moves a new template to its draft’s route on its first save, keeping the designer as it was', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  const dialogs: Dialog[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog);
    void dialog.dismiss();
  });
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  await page.goto('/#/templates');
  await page.getByTestId('template-new').click();
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  expect(new URL(page.url()).hash).toBe('#/templates/new');

  // An edit worth keeping: a key, a name, a node on the canvas, selected.
  await page.getByTestId('field-template.key').fill('saved-new');
  await page.getByTestId('field-template.name').fill('Saved from new');
  await page.getByTestId('palette-stage').click();
  await page.getByTestId('rf__node-stage-1').click();
  await page.getByTestId('inspector-title').filter({ hasText: 'Stage 1' }).waitFor();

  const saved = await answerToClick(
    page,
    page.getByTestId('save-draft'),
    'PUT',
    '/api/templates/saved-new/draft',
  );
  expect(saved.ok()).toBe(true);
  await page
    .getByTestId('dirty-state')
    .filter({ hasText: /^saved$/ })
    .waitFor();
  await page.waitForURL((url) => url.hash === '#/templates/saved-new/edit');

  // The same designer: the save's notice, the selection and the undo history are still there.
  await page
    .getByTestId('designer-status')
    .filter({ hasText: 'Draft "saved-new" saved' })
    .waitFor();
  expect(await page.getByTestId('designer-loading').count()).toBe(0);
  expect(await page.getByTestId('inspector-title').textContent()).toContain('Stage 1');
  expect(await page.getByTestId('undo').isEnabled()).toBe(true);
  await screenshot(page, 'designer-new-saved');

  // A reload opens the saved draft, not another blank template.
  await page.reload();
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  expect(new URL(page.url()).hash).toBe('#/templates/saved-new/edit');
  expect(await page.getByTestId('template-title').textContent()).toBe('Saved from new (saved-new)');
  await page.getByTestId('rf__node-stage-1').waitFor();

  // Saved under another key, it is that draft the address names, still without a reload.
  await page.getByTestId('field-template.key').fill('saved-renamed');
  await page.getByTestId('save-draft').click();
  await page.waitForURL((url) => url.hash === '#/templates/saved-renamed/edit');
  await page
    .getByTestId('designer-status')
    .filter({ hasText: 'Draft "saved-renamed" saved' })
    .waitFor();
  expect(await page.getByTestId('undo').isEnabled()).toBe(true);

  // The saves replaced "new" in the history: Back goes to the templates list.
  await page.goBack();
  await page.getByTestId('templates').waitFor();
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});

it('lists each problem of an empty new template once, saying what is missing', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  await page.goto('/#/templates/new');
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();

  const refused = await answerToClick(page, page.getByTestId('publish'), 'POST', '/publish');
  expect(refused.status()).toBe(422);
  await page.getByTestId('designer-status').filter({ hasText: 'Publish refused' }).waitFor();

  const problems = page.getByTestId('problems');
  const shown = await problems.locator('.gh-problem-list li').allTextContents();
  expect(shown.sort()).toEqual(['a template needs at least one nodenodes', 'requiredstart']);
  expect(await page.getByTestId('problems-count').textContent()).toBe('2 problems');
  expect(await page.getByTestId('designer-status').textContent()).toContain('2 problem(s)');
  await screenshot(page, 'designer-new-empty-publish');
  expect(errors).toEqual([]);
});
