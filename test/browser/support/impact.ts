/** The designer's Impact tab as the impact and migration browser tests drive it. */
import type { Page } from 'playwright-core';

/** Opens template `key` in the designer and analyses its canvas until the analysis is done. */
export async function analyseInDesigner(page: Page, key: string): Promise<void> {
  await page.goto(`/#/templates/${key}/edit`);
  await page.getByTestId('designer').waitFor();
  await page.getByTestId('tab-impact').click();
  await page.getByTestId('impact-run').click();
  await page.locator('[data-testid="impact-summary"][data-status="done"]').waitFor();
}
