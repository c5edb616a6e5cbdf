/**
 * A bulk migration that settles late, where the PMO watches it (the designer's Impact tab): the
 * job gives a project up and is done with a failure; then that project applies the job's
 * `migrate` Update after all, and the open page, without a reload, counts it migrated, says it
 * moved after the job had given it up, and drops it from the failures.
 *
 * The late landing goes through the real path (support/late-migration.ts).
 */
import { screenshot } from './support/browser';
import { migrateBuiltinInDesigner } from './support/impact';
import { startUnreachableApp, unreachableProjects } from './support/late-migration';
import { startDemoProject, type BrowserApp } from './support/app';

const unreachable = unreachableProjects();

let app: BrowserApp;
beforeAll(async () => {
  app = await startUnreachableApp(unreachable);
});
afterAll(async () => app?.stop());

it('shows a project the job gave up as migrated late, on the open page', async () => {
  const late = await startDemoProject(app, 'Warehouse (late)');
  await startDemoProject(app, 'Intranet (on time)');
  unreachable.cut(late);
  const { page, errors } = await migrateBuiltinInDesigner(app);

  // Done, the unreachable project given up.
  await page
    .locator('[data-testid="migration-progress"][data-status="done"]')
    .waitFor({ timeout: 60_000 });
  expect(Number(await page.getByTestId('migration-migrated').textContent())).toBe(1);
  expect(Number(await page.getByTestId('migration-failed').textContent())).toBe(1);
  await page.locator(`[data-testid="migration-failures"] [data-project-id="${late}"]`).waitFor();
  expect(await page.getByTestId('migration-late').count()).toBe(0);

  // The project applies the job's Update after all; its record write settles the row.
  await unreachable.landLate(late);

  // The open page sees it on its next slow poll (5 s, then 10 s while nothing changes): no reload.
  const landed = page.getByTestId('migration-late');
  await landed.waitFor({ timeout: 30_000 });
  expect(await landed.getAttribute('data-count')).toBe('1');
  expect(await landed.textContent()).toBe(' (1 after the job had given it up)');
  expect(Number(await page.getByTestId('migration-migrated').textContent())).toBe(2);
  expect(Number(await page.getByTestId('migration-failed').textContent())).toBe(0);
  await page.getByTestId('migration-failures').waitFor({ state: 'detached' });
  await screenshot(page, 'migration-settled-late');

  const moved = await app.stack.call('GET', `/api/projects/${late}`, { token: app.pmo });
  expect(moved.body).toMatchObject({ template: { version: 2 } });
  expect(errors).toEqual([]);
}, 120_000);
