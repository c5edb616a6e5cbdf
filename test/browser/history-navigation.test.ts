/**
 * The browser's Back and Forward inside the app, as a user walks it: each filter chosen in the
 * portfolio is a step of the history (Back returns to the list as it was filtered, then to the
 * list before the filter, never out of the app while a step is left), and unsaved designer
 * edits ask before Back or Forward leaves them behind, a no keeping the designer, the edits,
 * the address and the history as they were.
 */
import type { Dialog, Page } from 'playwright-core';
import { opsIntegratedDelivery, PRACTICE_KEY } from '../../workflows/model';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

/** What the designer asks (designer/src/editor/useLeaveGuard.ts). */
const LEAVE_QUESTION = 'The template has unsaved changes. Leave the designer and lose them?';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const hashIs = (page: Page, hash: string) => page.waitForURL((url) => url.hash === hash);

it('walks the portfolio’s filters back and forth, one history step each', async () => {
  const built = await startDemoProject(app, 'History built-in');
  const practice = await startDemoProject(app, 'History practice', PRACTICE_KEY);
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  const status = page.getByTestId('portfolio-filter-status');
  const template = page.getByTestId('portfolio-filter-template');
  const row = (id: string) =>
    page.locator(`[data-testid="portfolio-row"][data-project-id="${id}"]`);
  /** The filters shown, and both projects of this test listed or not, once the list says so. */
  const showing = async (filters: [string, string], listed: { built: boolean }) => {
    await row(practice).waitFor();
    await row(built).waitFor({ state: listed.built ? 'visible' : 'detached' });
    expect([await status.inputValue(), await template.inputValue()]).toEqual(filters);
  };
  await showing(['', ''], { built: true });
  const entries = async () => Number(await page.evaluate('history.length'));
  const before = await entries();

  const onlyActive = '#/portfolio?status=active';
  const onlyPractice = `${onlyActive}&template=${PRACTICE_KEY}`;
  await status.selectOption('active');
  await hashIs(page, onlyActive);
  await showing(['active', ''], { built: true });
  await template.selectOption(PRACTICE_KEY);
  await hashIs(page, onlyPractice);
  await showing(['active', PRACTICE_KEY], { built: false });
  await row(practice).getByRole('link', { name: 'History practice', exact: true }).click();
  await page.getByRole('navigation', { name: 'Project sections' }).waitFor();
  expect(new URL(page.url()).hash).toBe(`#/projects/${practice}`);
  // Three steps: two filters and the project.
  expect(await entries()).toBe(before + 3);

  // Back: the filtered list, then the list as each filter found it, still in the app.
  await page.goBack();
  await hashIs(page, onlyPractice);
  await showing(['active', PRACTICE_KEY], { built: false });
  await screenshot(page, 'history-back-filtered');
  await page.goBack();
  await hashIs(page, onlyActive);
  await showing(['active', ''], { built: true });
  await page.goBack();
  await hashIs(page, '');
  await showing(['', ''], { built: true });
  expect(new URL(page.url()).origin).toBe(app.stack.baseUrl);

  // Forward: the same steps again, up to the project.
  await page.goForward();
  await hashIs(page, onlyActive);
  await showing(['active', ''], { built: true });
  await page.goForward();
  await hashIs(page, onlyPractice);
  await showing(['active', PRACTICE_KEY], { built: false });
  await page.goForward();
  await hashIs(page, `#/projects/${practice}`);
  await page.getByRole('navigation', { name: 'Project sections' }).waitFor();
  expect(await entries()).toBe(before + 3);
  expect(errors).toEqual([]);
});

it('asks before Back or Forward leaves unsaved designer edits, and a no stays', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  const dialogs: Dialog[] = [];
  let answer: 'stay' | 'leave' = 'stay';
  page.on('dialog', (dialog) => {
    dialogs.push(dialog);
    void (answer === 'stay' ? dialog.dismiss() : dialog.accept());
  });
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  const edit = `#/templates/${opsIntegratedDelivery.key}/edit`;
  const opened = page.locator('[data-testid="canvas"][data-opened]');
  const entries = async () => Number(await page.evaluate('history.length'));

  // The portfolio, the designer, the templates list; Back to the designer (nothing to lose).
  await page.goto('/#/portfolio');
  await page.getByTestId('portfolio').waitFor();
  await page.goto(`/${edit}`);
  await opened.waitFor();
  await page.getByTestId('nav-templates').click();
  await page.getByTestId('templates').waitFor();
  await page.goBack();
  await opened.waitFor();
  expect(dialogs).toHaveLength(0);
  const steps = await entries();

  const name = page.getByTestId('field-name');
  await page.getByTestId('rf__node-inception').click();
  await name.fill('Inception, not yet saved');
  await page.getByTestId('dirty-state').filter({ hasText: 'unsaved' }).waitFor();

  // Back asks; no: the designer with the edit, its address, the history as it was.
  await page.goBack();
  await hashIs(page, edit);
  expect(dialogs.map((d) => [d.type(), d.message()])).toEqual([['confirm', LEAVE_QUESTION]]);
  expect(await name.inputValue()).toBe('Inception, not yet saved');
  expect(await page.getByTestId('portfolio').count()).toBe(0);
  expect(await entries()).toBe(steps);

  // Forward asks too; no again.
  await page.goForward();
  await hashIs(page, edit);
  expect(dialogs).toHaveLength(2);
  expect(await name.inputValue()).toBe('Inception, not yet saved');
  expect(await page.getByTestId('templates').count()).toBe(0);
  await screenshot(page, 'history-unsaved-kept');

  // Both neighbours are where they were: a yes to Back reaches the portfolio, once asked.
  answer = 'leave';
  await page.goBack();
  await hashIs(page, '#/portfolio');
  await page.getByTestId('portfolio').waitFor();
  expect(dialogs).toHaveLength(3);
  await page.goForward();
  await hashIs(page, edit);
  await opened.waitFor();
  await page.goForward();
  await hashIs(page, '#/templates');
  await page.getByTestId('templates').waitFor();
  expect(dialogs).toHaveLength(3);
  expect(await entries()).toBe(steps);
  expect(errors).toEqual([]);
});
