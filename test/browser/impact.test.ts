/**
 * Template change impact in the browser (issue 15): a project's dry run from its page (the PMO
 * opens Manage on a project in hypercare, picks a version that adds a required deliverable to
 * the passed inception gate and sees, without anything changing, that the project would stand
 * at that gate and why), and the designer's Impact tab analysing the draft on the canvas,
 * opening a project as a diff marked where it stands and would stand, and migrating the
 * projects that migrate unchanged in one action with its progress.
 */
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { withDeliverable } from '../fixtures/impact-drafts';
import { advance } from '../server/happy-path';
import { attributesOf, openPage, screenshot } from './support/browser';
import { analyseInDesigner } from './support/impact';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('shows where a project would stand under another version, and changes nothing', async () => {
  const id = await startDemoProject(app, 'Billing (dry run)');
  await advance(app.stack, app.cast, id, builtin, 'inception', 'hypercare');
  const path = `/api/templates/${builtin.key}`;
  const v2 = withDeliverable(builtin, 'inception');
  expect((await app.stack.call('PUT', `${path}/draft`, { token: app.pmo, body: v2 })).status).toBe(
    200,
  );
  const published = await app.stack.call('POST', `${path}/publish`, { token: app.pmo });
  expect(published.status).toBe(201);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/projects/${id}`);
  await page.getByTestId('project-manage').click();
  const dialog = page.getByTestId('project-manage-dialog');
  await dialog.locator('#migrate-version').selectOption(String(published.body.version));
  await dialog.getByTestId('dry-run').click();
  const result = dialog.getByTestId('dry-run-result');
  await result.waitFor();
  expect(await result.getAttribute('data-class')).toBe('differs');
  expect(await result.textContent()).toContain('would stand in inception');
  const kinds = await attributesOf(result.getByTestId('dry-run-difference'), 'data-kind');
  expect(kinds).toEqual(expect.arrayContaining(['node', 'signoff_void', 'deliverable_missing']));
  await screenshot(page, 'dry-run');

  // A dry run is not a migration: the project still runs version 1, where it was.
  const state = await app.stack.call('GET', `/api/projects/${id}`, { token: app.pmo });
  expect(state.body).toMatchObject({ template: { version: 1 }, current: ['hypercare'] });
  expect(errors).toEqual([]);
});

it("analyses the canvas against the template's running projects in the designer", async () => {
  // New projects start on the latest version: v2 of the first test.
  const latest = withDeliverable(builtin, 'inception');
  const past = await startDemoProject(app, 'Payroll (past the handoff)');
  await advance(app.stack, app.cast, past, latest, 'inception', 'hypercare');
  const fresh = await startDemoProject(app, 'Intranet (at inception)');
  // The draft asks the formal handoff for one more deliverable.
  const draft = withDeliverable(latest, 'handoff');
  const path = `/api/templates/${builtin.key}/draft`;
  expect((await app.stack.call('PUT', path, { token: app.pmo, body: draft })).status).toBe(200);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await analyseInDesigner(page, builtin.key);
  const row = (id: string) =>
    page.locator(`[data-testid="impact-project"][data-project-id="${id}"]`);
  await row(past).waitFor();
  expect(await row(past).getAttribute('data-class')).toBe('differs');
  expect(await row(past).textContent()).toContain('hypercare → handoff');
  expect(await row(past).textContent()).toContain('would lack the required deliverable "risk-log"');
  expect(await row(fresh).getAttribute('data-class')).toBe('unchanged');
  const count = async (cls: string) =>
    Number(await page.getByTestId(`impact-count-${cls}`).textContent());
  const listed = await page.getByTestId('impact-project').count();
  expect((await count('unchanged')) + (await count('differs')) + (await count('blocked'))).toBe(
    listed,
  );
  await screenshot(page, 'impact-panel');

  // The project past the handoff, as a diff on the canvas: where it is, where it would stand.
  await row(past).getByTestId('impact-open').click();
  const diff = page.getByTestId('diff-view');
  await diff.waitFor();
  // Read at one moment (allTextContents), as the graph is: not card by card.
  const marked = (stands: string) =>
    diff.locator(`[data-stands="${stands}"] .gh-node-id`).allTextContents();
  await diff.locator('[data-testid="readonly-graph"][data-opened]').waitFor();
  expect(await marked('now')).toEqual(['hypercare']);
  expect(await marked('would')).toEqual(['handoff']);
  expect(await diff.getByTestId('diff-node-handoff').getAttribute('data-status')).toBe('changed');
  await screenshot(page, 'impact-project-diff');
  await diff.getByTestId('diff-close').click();

  // Migrating needs the version published: the panel says so, and nothing is migrated.
  await page.getByTestId('impact-select-clean').click();
  const selected = await page.locator('[data-testid="impact-select"]:checked').count();
  expect(selected).toBe(await count('unchanged'));
  await page.getByTestId('impact-migrate').click();
  await page.getByTestId('migration-error').waitFor();
  expect(await page.getByTestId('migration-error').textContent()).toContain('publish');

  const published = await app.stack.call('POST', `/api/templates/${builtin.key}/publish`, {
    token: app.pmo,
  });
  expect(published.status).toBe(201);
  await page.getByTestId('impact-migrate').click();
  const progress = page.locator('[data-testid="migration-progress"][data-status="done"]');
  await progress.waitFor({ timeout: 60_000 });
  expect(Number(await page.getByTestId('migration-migrated').textContent())).toBe(selected);
  expect(Number(await page.getByTestId('migration-failed').textContent())).toBe(0);
  await screenshot(page, 'impact-migrated');
  const moved = await app.stack.call('GET', `/api/projects/${fresh}`, { token: app.pmo });
  expect(moved.body).toMatchObject({ template: { version: published.body.version } });
  const stayed = await app.stack.call('GET', `/api/projects/${past}`, { token: app.pmo });
  expect(stayed.body).toMatchObject({ template: { version: 2 }, current: ['hypercare'] });
  expect(errors).toEqual([]);
});
