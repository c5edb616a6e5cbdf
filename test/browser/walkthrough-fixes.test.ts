/**
 * Defects found by walking the app as its users (the PMO in the designer, operations in
 * hypercare, anyone on a phone), each pinned where it was found: unsaved designer edits
 * dropped without a question when the PMO follows a link away or closes the tab; on a 375 px
 * phone, an approver's inbox counts pushing the user menu (and "Sign out") off the screen and
 * a project's view tabs widening the page;
 * operations reading hypercare's escalations and extensions as ISO 8601 ("PT0S", "P3D"); the
 * templates list's buttons cell out of line with its row; a node card as tall as its name is
 * long (200 characters); every signed-out load logging a 401 (the session asked for when
 * there was none).
 */
import type { Dialog } from 'playwright-core';
import { opsIntegratedDelivery } from '../../workflows/model';
import { advance } from '../server/happy-path';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

/** What the designer asks (designer/src/editor/useLeaveGuard.ts). */
const LEAVE_QUESTION = 'The template has unsaved changes. Leave the designer and lose them?';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('asks before unsaved designer edits are left behind, and only then', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  const dialogs: Dialog[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog);
    // "No, stay" to a link; a closing tab's question is answered below.
    if (dialog.type() === 'confirm') void dialog.dismiss();
  });
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  const edit = `/#/templates/${opsIntegratedDelivery.key}/edit`;

  // A template only opened leaves nothing to lose: the navigation goes without a question.
  await page.goto(edit);
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  await page.getByTestId('nav-portfolio').click();
  await page.getByTestId('portfolio').waitFor();
  expect(dialogs).toHaveLength(0);

  // An edit: following a link out asks, and "no" keeps the designer and the edit.
  await page.goto(edit);
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  await page.getByTestId('rf__node-inception').click();
  await page.getByTestId('field-name').fill('Inception, not yet saved');
  await page.getByTestId('dirty-state').filter({ hasText: 'unsaved' }).waitFor();
  await page.getByTestId('nav-portfolio').click();
  expect(dialogs.map((d) => [d.type(), d.message()])).toEqual([['confirm', LEAVE_QUESTION]]);
  expect(new URL(page.url()).hash).toBe(edit.slice(1));
  expect(await page.getByTestId('field-name').inputValue()).toBe('Inception, not yet saved');
  await screenshot(page, 'walkthrough-unsaved-kept');

  // Closing the tab asks the browser's own question.
  const closing = page.waitForEvent('dialog', (d) => d.type() === 'beforeunload');
  void page.close({ runBeforeUnload: true });
  const asked = await closing;
  await asked.dismiss();
  expect(page.isClosed()).toBe(false);

  // Saved: nothing is asked any more.
  await page.getByTestId('save-draft').click();
  await page
    .getByTestId('dirty-state')
    .filter({ hasText: /^saved$/ })
    .waitFor();
  await page.getByTestId('nav-portfolio').click();
  await page.getByTestId('portfolio').waitFor();
  expect(dialogs).toHaveLength(2);
  expect(errors).toEqual([]);
});

it('keeps the user menu on a 375 px screen however many things wait in the inbox', async () => {
  // Two projects: ten to-dos for the project manager, and notifications beside them.
  const id = await startDemoProject(app, 'Narrow one');
  await startDemoProject(app, 'Narrow two');
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await page.setViewportSize({ width: 375, height: 812 });
  await signInWithToken(page, app.demo['demo-pm']!.token);
  await page.getByTestId('nav-inbox-count').filter({ hasText: '10' }).waitFor();
  await page.getByTestId('nav-unread-count').waitFor();

  // Nothing sideways to scroll, the user menu inside the screen, each count on one line.
  const layout = await page.evaluate<{
    scrollWidth: number;
    menuRight: number;
    countHeights: number[];
  }>(`(() => {
    const box = (id) => document.querySelector('[data-testid="' + id + '"]').getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      menuRight: box('user-menu-button').right,
      countHeights: [box('nav-inbox-count').height, box('nav-unread-count').height],
    };
  })()`);
  expect(layout.scrollWidth).toBe(375);
  expect(layout.menuRight).toBeLessThanOrEqual(375);
  for (const height of layout.countHeights) expect(height).toBeLessThan(24);

  // A project's page: its tabs scroll inside their bar, the page does not scroll sideways.
  await page.goto(`/#/projects/${id}`);
  await page.getByRole('navigation', { name: 'Project sections' }).waitFor();
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBe(375);
  await screenshot(page, 'walkthrough-narrow-project');
  await page.getByTestId('user-menu-button').click();
  await page.getByTestId('sign-out').click();
  await page.getByTestId('signin').waitFor();
  await screenshot(page, 'walkthrough-narrow-signed-out');
  expect(errors).toEqual([]);
});

it('shows operations hypercare’s escalations and extensions in words', async () => {
  const id = await startDemoProject(app, 'Hypercare in words');
  await advance(app.stack, app.cast, id, opsIntegratedDelivery, 'inception', 'hypercare');
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-ops-manager']!.token);
  await page.goto(`/#/projects/${id}`);
  const panel = page.getByTestId('hypercare-panel');
  await panel.waitFor();

  // The built-in: extend by P7D, level 1 at expiry (PT0S), level 2 three days after (P3D).
  expect(await panel.getByTestId('hypercare-extensions').textContent()).toBe(
    '0 of 2 used (by 7 days)',
  );
  expect(await panel.getByTestId('hypercare-escalations').locator('li').allTextContents()).toEqual([
    'Level 1 → Operations manager, Project manager at expiry',
    'Level 2 → Steering committee 3 days after expiry',
  ]);
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, 'walkthrough-hypercare-in-words');
  expect(errors).toEqual([]);
});

it('keeps each template row’s buttons inside the row', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto('/#/templates');
  const rows = page.locator('[data-testid="templates"] tbody tr');
  await rows.first().waitFor();
  for (const row of await rows.all()) {
    const cells = await Promise.all(
      (await row.locator('th, td').all()).map(async (cell) => (await cell.boundingBox())!),
    );
    // Every cell of a row spans the row: same top, same height.
    expect(new Set(cells.map((c) => `${c.y}:${c.height}`)).size).toBe(1);
  }
  await screenshot(page, 'walkthrough-templates-rows');
  expect(errors).toEqual([]);
});

it('keeps a node card short however long its name, the whole name at hand', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  await page.goto(`/#/templates/${opsIntegratedDelivery.key}/edit`);
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  // The card's and its name's own sizes, unzoomed (the canvas fits the graph to the screen);
  // the page-side code is given as source (the Node project's typings have no DOM).
  const measure = () =>
    page.evaluate<{ card: number; lines: number }>(`(() => {
      const card = document.querySelector('[data-testid="rf__node-pilot"] .gh-node');
      const name = card.querySelector('.gh-node-name');
      const line = parseFloat(getComputedStyle(name).lineHeight);
      return { card: card.offsetHeight, lines: Math.round(name.offsetHeight / line) };
    })()`);
  const short = await measure();
  await page.getByTestId('rf__node-pilot').click();
  // 200 characters, the longest a name may be.
  const long = 'Pilot with the claims teams of every region, '.repeat(5).slice(0, 200);
  expect(long).toHaveLength(200);
  await page.getByTestId('field-name').fill(long);
  const name = page.getByTestId('rf__node-pilot').locator('.gh-node-name');
  await name.filter({ hasText: long }).waitFor();
  // Three lines at most: the card grows by two lines, not by eight.
  const tall = await measure();
  expect(short.lines).toBe(1);
  expect(tall.lines).toBe(3);
  expect(tall.card - short.card).toBeLessThanOrEqual(40);
  // The whole name on hover, to screen readers (the text is all there) and in the inspector.
  expect(await name.getAttribute('title')).toBe(long);
  expect(await name.textContent()).toBe(long);
  expect(await page.getByTestId('field-name').inputValue()).toBe(long);
  await screenshot(page, 'walkthrough-long-node-name');
  expect(errors).toEqual([]);
});

it('loads signed out without a failed request in the console, and signed in by its session', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  const logged: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') logged.push(message.text());
  });
  await page.goto('/');
  await page.getByTestId('signin').waitFor();
  await page.getByTestId('signin-token').waitFor();
  expect([failed, logged]).toEqual([[], []]);

  // Signed in, a reload opens the app by the session, still without a failed request.
  await signInWithToken(page, app.demo['demo-pm']!.token);
  await page.reload();
  await page.getByTestId('nav').waitFor();
  expect([failed, logged]).toEqual([[], []]);
  expect(errors).toEqual([]);
});
