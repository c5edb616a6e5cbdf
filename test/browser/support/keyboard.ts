/**
 * The keyboard as its only users meet the app: where the focus is, Tab until something has it
 * (failing with the path it took), and a dialog checked for focus handling.
 */
import type { Locator, Page } from 'playwright-core';
import { comesTrue } from './browser';

/** Where the focus is: the focused element's test id, else its tag and text. */
export const focused = (page: Page) =>
  page.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.getAttribute('data-testid') ?? el.tagName.toLowerCase() + ' ' + (el.textContent ?? '').trim().slice(0, 40);
  })()`);

/**
 * Where the focus settles: waits until the element of test id `expected` has it (a confirmation
 * takes it once the answer came, which on a loaded machine is no fixed time), then answers the
 * focused element as `focused` does; at the timeout, wherever the focus is, for the test to say.
 */
export async function focusSettles(page: Page, expected: string): Promise<string> {
  await comesTrue(
    page,
    `document.activeElement?.getAttribute('data-testid') === ${JSON.stringify(expected)}`,
  );
  return focused(page);
}

/** The page's document, as the page-side functions below see it (no DOM typings here). */
type PageDocument = { activeElement: unknown };
type PageElement = { ownerDocument: PageDocument; contains(other: unknown): boolean };

export const isFocused = (locator: Locator) =>
  locator.evaluate((el) => {
    const e = el as unknown as PageElement;
    return e === e.ownerDocument.activeElement;
  });

/**
 * Presses Tab (or Shift+Tab) until `target` has the focus; fails, saying where the focus went,
 * when it is not reached within `max` presses.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  backwards = false,
  max = 60,
): Promise<void> {
  const path: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
    if (await isFocused(target)) return;
    path.push(await focused(page));
  }
  throw new Error(`${String(target)} not reached by keyboard; the focus went ${path.join(' → ')}`);
}

/**
 * Opens a dialog from `opener` with Enter and checks it is modal for the keyboard: the focus
 * moves into it and, on Tab and Shift+Tab, never onto the page behind it (a native modal lets
 * Tab pass to the browser's own controls, where the page sees no focused element); Escape
 * closes it and the focus goes back to the opener.
 */
export async function checkDialog(page: Page, opener: Locator, name: string): Promise<void> {
  const dialog = page.getByTestId(name);
  // An opener can be on the page, disabled, before what it needs has loaded (the versions
  // to compare): Enter on it would do nothing, and the dialog would never come.
  await opener.and(page.locator(':enabled')).waitFor();
  await opener.focus();
  await page.keyboard.press('Enter');
  await dialog.waitFor();
  const where = () =>
    dialog.evaluate((el) => {
      const d = el as unknown as PageElement & { ownerDocument: { body: unknown } };
      const active = d.ownerDocument.activeElement;
      return d.contains(active) ? 'inside' : active === d.ownerDocument.body ? 'none' : 'behind';
    });
  expect([name, await where()]).toEqual([name, 'inside']);
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await page.keyboard.press(key);
    expect([name, key, await where()]).not.toEqual([name, key, 'behind']);
  }
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  const openerId = await opener.getAttribute('data-testid');
  expect([name, await focused(page)]).toEqual([name, openerId]);
}
