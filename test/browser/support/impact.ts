/** The designer's Impact tab as the impact and migration browser tests drive it. */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery as builtin } from '../../../workflows/model';
import { withDeliverable } from '../../fixtures/impact-drafts';
import { signInWithToken, type BrowserApp } from './app';
import { openPage } from './browser';

/** Opens template `key` in the designer and analyses its canvas until the analysis is done. */
export async function analyseInDesigner(page: Page, key: string): Promise<void> {
  await page.goto(`/#/templates/${key}/edit`);
  await page.getByTestId('designer').waitFor();
  await page.getByTestId('tab-impact').click();
  await page.getByTestId('impact-run').click();
  await page.locator('[data-testid="impact-summary"][data-status="done"]').waitFor();
}

/**
 * As the PMO on an open page: drafts the built-in template with a required deliverable added to
 * its handoff, analyses the draft's impact in the designer, publishes it and migrates every
 * project that migrates unchanged. Answers the page (the job under way) and its page errors.
 */
export async function migrateBuiltinInDesigner(
  app: BrowserApp,
): Promise<{ page: Page; errors: string[] }> {
  const path = `/api/templates/${builtin.key}`;
  const draft = withDeliverable(builtin, 'handoff');
  expect(
    (await app.stack.call('PUT', `${path}/draft`, { token: app.pmo, body: draft })).status,
  ).toBe(200);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await analyseInDesigner(page, builtin.key);
  expect((await app.stack.call('POST', `${path}/publish`, { token: app.pmo })).status).toBe(201);
  await page.getByTestId('impact-select-clean').click();
  await page.getByTestId('impact-migrate').click();
  return { page, errors };
}
