/**
 * A bulk migration row that is not yet final, where the PMO watches it (the designer's Impact
 * tab). The job gives a project up; the project then applies the job's Update after all
 * (support/late-migration.ts), and its record write settles the row `migrated`, provisionally:
 * that write's workflow task may still fail and be run again. The open page says so in words
 * and when it last looked; it does not look while the tab is hidden, looks at once when the tab
 * is shown again, and by then the project has recorded something more (feedback posted), so the
 * row is final: the page says nothing more of it and stops looking.
 */
import type { Page } from 'playwright-core';
import type { MigrationView } from '../../server/contract';
import { bodyOf, eventually, expectStatus } from '../server/drive-http';
import { screenshot } from './support/browser';
import { migrateBuiltinInDesigner } from './support/impact';
import { startUnreachableApp, unreachableProjects } from './support/late-migration';
import { startDemoProject, type BrowserApp } from './support/app';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';

const unreachable = unreachableProjects();
/** Longer than the page's first wait after an answer changed (5 s), and the one after (10 s). */
const QUIET_MS = 12_000;
/** Longer than its third wait (20 s), the one due when the tab is hidden below. */
const HIDDEN_MS = 25_000;

let app: BrowserApp;
beforeAll(async () => {
  app = await startUnreachableApp(unreachable);
});
afterAll(async () => app?.stop());

/**
 * Hides or shows the page's tab as the browser does (Page Visibility API: the state, then a
 * `visibilitychange` that bubbles to window, where TanStack Query listens).
 */
const setHidden = (page: Page, hidden: boolean) =>
  page.evaluate(`(() => {
    const hidden = ${hidden};
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => (hidden ? 'hidden' : 'visible'),
    });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  })()`);

it('says what "not yet final" means and when it looked, until the row is final', async () => {
  const late = await startDemoProject(app, 'Warehouse (provisional)');
  unreachable.cut(late);
  const { page, errors } = await migrateBuiltinInDesigner(app);
  const jobs = `/api/templates/${builtin.key}/migrations/`;
  /** The page's looks at the job since the test last cleared them, and when each was sent. */
  const looks: { path: string; progress: boolean; at: number }[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!url.pathname.startsWith(jobs)) return;
    const progress = url.searchParams.get('status') === 'pending';
    looks.push({ path: url.pathname, progress, at: Date.now() });
  });
  /** When the page sent its progress looks (not the failures' list). */
  const progressLooks = () => looks.filter((l) => l.progress).map((l) => l.at);

  await page
    .locator('[data-testid="migration-progress"][data-status="done"]')
    .waitFor({ timeout: 60_000 });
  expect(Number(await page.getByTestId('migration-failed').textContent())).toBe(1);

  // The project applies the job's Update; its record write settles the row, provisionally.
  await unreachable.landLate(late);
  const notFinal = page.getByTestId('migration-provisional');
  await notFinal.waitFor({ timeout: 30_000 });
  expect(await notFinal.textContent()).toBe(' (1 not yet final)');
  expect(await notFinal.getAttribute('title')).toContain('may still fail and be run again');
  const note = page.getByTestId('migration-provisional-note');
  expect(await note.textContent()).toMatch(
    /^Not yet final \(1\): .*can undo the move: the project is then listed as failed.*It becomes final once the project records anything more/,
  );
  const checked = page.getByTestId('migration-checked');
  expect(await checked.textContent()).toMatch(/^Last checked at .+; checked again less often/);
  const checkedAt = Date.parse((await checked.locator('time').getAttribute('datetime'))!);
  expect(Date.now() - checkedAt).toBeLessThan(30_000);
  await screenshot(page, 'migration-not-yet-final');

  // The answer changed with the look that found the row: the next look 5 s on, then 10 s.
  const found = progressLooks().length;
  const [changed, first, second] = await eventually(
    'two more looks',
    () => Promise.resolve(progressLooks().slice(found - 1)),
    (sent) => sent.length >= 3,
    30_000,
  );
  const waits = [first! - changed!, second! - first!];
  expect(waits[0]).toBeGreaterThanOrEqual(4_500);
  expect(waits[0]).toBeLessThan(9_500);
  expect(waits[1]).toBeGreaterThanOrEqual(9_500);

  // A hidden tab does not look.
  const jobPath = looks.at(-1)!.path;
  await setHidden(page, true);
  looks.length = 0;
  await page.waitForTimeout(HIDDEN_MS);
  expect(looks).toEqual([]);

  // Meanwhile the project records something more: the row is final.
  const feedback = { token: app.cast.pm!.token, body: { text: 'moved', kind: 'feedback' } };
  expectStatus(
    await app.stack.call('POST', `/api/projects/${late}/feedback`, feedback),
    201,
    'feedback',
  );
  const job = async () =>
    bodyOf<MigrationView>(await app.stack.call('GET', jobPath, { token: app.pmo }), 200, 'job');
  const final = await job();
  expect(final.job).toMatchObject({ status: 'done', migrated: 1, failed: 0, provisional: 0 });
  expect(looks).toEqual([]);

  // Shown again, the page looks at once and sees it final; then it stops looking.
  await setHidden(page, false);
  await notFinal.waitFor({ state: 'detached', timeout: 4_000 });
  await note.waitFor({ state: 'detached' });
  await checked.waitFor({ state: 'detached' });
  expect(Number(await page.getByTestId('migration-migrated').textContent())).toBe(1);
  expect(Number(await page.getByTestId('migration-failed').textContent())).toBe(0);
  looks.length = 0;
  await page.waitForTimeout(QUIET_MS);
  expect(looks).toEqual([]);
  expect(errors).toEqual([]);
}, 150_000);
