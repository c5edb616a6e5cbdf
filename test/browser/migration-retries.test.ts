/**
 * A bulk migration's retries where the PMO watches it (the designer's Impact tab): a project
 * whose worker cannot be reached shows, while the job runs, that it is being retried (its
 * attempt and last error, in words, inside the panel); once its budget is spent it is listed
 * with the other failures and its reason, while the project beside it migrated. The failing
 * project is a real worker dependency that cannot reach it; the app's budget is short.
 */
import type { MigrateProject } from '../../activities';
import { migrateThroughWorker } from '../../worker/project-updates';
import { firstReading, screenshot } from './support/browser';
import { migrateBuiltinInDesigner } from './support/impact';
import { startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

/** Long, with a word no line can break (no space, no hyphen): the panel must wrap it, not widen. */
const UNREACHABLE =
  "the project's worker does not answer (the Update timed out) for request " +
  '0123456789abcdef'.repeat(8);

/** Projects this worker cannot reach: every `migrate` Update to them fails, retryably. */
const unreachable = new Set<string>();
const migrateProject: MigrateProject = async (projectId, input, updateId) => {
  if (unreachable.has(projectId)) throw new Error(UNREACHABLE);
  return migrateThroughWorker(projectId, input, updateId);
};

/** The retry line of the stuck project and the panel around it, as read at one moment. */
interface Retrying {
  text: string;
  status: string;
  lineRight: number;
  panelRight: number;
  fits: boolean;
}

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp(
    { migrationBudget: { attempts: 4, seconds: 120 } },
    { activities: { migrateProject } },
  );
});
afterAll(async () => app?.stop());

it("shows a project being retried, then given up with its reason, in the designer's migration", async () => {
  const stuck = await startDemoProject(app, 'Warehouse (unreachable)');
  const fine = await startDemoProject(app, 'Intranet (reachable)');
  unreachable.add(stuck);
  const { page, errors } = await migrateBuiltinInDesigner(app);

  // While the job runs: the stuck project says it is being retried, which attempt, and why.
  // The line lasts only until its attempts are spent (seconds): it is read the moment it shows,
  // all of it at once, not step by step while it may go.
  const retry = `[data-testid="migration-retry"][data-project-id="${stuck}"]:not([data-attempts="1"])`;
  const seen = await firstReading<Retrying>(
    page,
    `(() => {
      const line = document.querySelector(${JSON.stringify(retry)});
      if (!line) return null;
      const impact = document.querySelector('[data-testid="impact"]');
      return {
        text: line.textContent,
        status: document.querySelector('[data-testid="migration-progress"]').dataset.status,
        lineRight: line.getBoundingClientRect().right,
        panelRight: impact.getBoundingClientRect().right,
        fits: impact.scrollWidth <= impact.clientWidth,
      };
    })()`,
    30_000,
  );
  if (!seen) throw new Error(`no retry shown for the stuck project within 30 s`);
  expect(seen.text).toMatch(/Warehouse \(unreachable\): being retried, attempt [2-4]; last error:/);
  expect(seen.text).toContain(UNREACHABLE);
  expect(seen.status).toBe('running');
  // The long error wraps inside the panel instead of widening it.
  expect(seen.lineRight).toBeLessThanOrEqual(seen.panelRight + 1);
  expect(seen.fits).toBe(true);
  await screenshot(page, 'migration-retrying');

  // Given up: listed with the failures, its reason naming its attempts and last error.
  await page
    .locator('[data-testid="migration-progress"][data-status="done"]')
    .waitFor({ timeout: 60_000 });
  expect(Number(await page.getByTestId('migration-migrated').textContent())).toBe(1);
  expect(Number(await page.getByTestId('migration-failed').textContent())).toBe(1);
  expect(await page.getByTestId('migration-retry').count()).toBe(0);
  const failure = page.locator(`[data-testid="migration-failures"] [data-project-id="${stuck}"]`);
  expect(await failure.getAttribute('data-code')).toBe('retries_exhausted');
  expect(await failure.textContent()).toBe(
    `Warehouse (unreachable): failed (retries_exhausted) — gave up after 4 attempts; ` +
      `the last error: ${UNREACHABLE}`,
  );
  await screenshot(page, 'migration-given-up');

  const moved = await app.stack.call('GET', `/api/projects/${fine}`, { token: app.pmo });
  expect(moved.body).toMatchObject({ template: { version: 2 } });
  const stayed = await app.stack.call('GET', `/api/projects/${stuck}`, { token: app.pmo });
  expect(stayed.body).toMatchObject({ template: { version: 1 } });
  expect(errors).toEqual([]);
}, 120_000);
