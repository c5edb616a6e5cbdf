/**
 * Debian's Chromium driven by playwright-core: launched headless with a fresh profile, pages
 * that fail their test on any uncaught page error, and screenshots for people to look at.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
  type Response,
} from 'playwright-core';
import { REPO } from './designer-dist';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(REPO, 'test-output/screenshots');
/** Big enough for the designer's three panes side by side. */
export const VIEWPORT = { width: 1440, height: 900 };

/** A headless Chromium; each `browser.newContext()` is a fresh profile (own storage). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * `GATEHOUSE_TEST_CPU_SLOWDOWN=4`: every page runs on a CPU that many times slower, the way a
 * loaded CI machine runs it. A test that reads the page between two of its steps (a view said
 * ready before it is in place, a list read while it changes) fails here first.
 */
const CPU_SLOWDOWN = Number(process.env.GATEHOUSE_TEST_CPU_SLOWDOWN ?? 1);

/** A page of its own context that records uncaught errors and CSP violations. */
export async function openPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, viewport: VIEWPORT });
  // Waits are on conditions; this only bounds how long a broken page takes to fail.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  if (CPU_SLOWDOWN > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  }
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.stack ?? error.message));
  // The app's Content Security Policy has no exception: a violation is a failure too.
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) errors.push(message.text());
  });
  return { context, page, errors };
}

/** Writes `test-output/screenshots/<name>.png` (the visible viewport). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // Let a just-started transition (fitView, a dialog) settle into its final frame.
  // (A string: this project's Node typings have no DOM.)
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), animations: 'disabled' });
}

/**
 * Clicks `button` and answers the response to the request it sends: `method` to a URL ending
 * in `path` (a form's submit, whose status the test checks).
 */
export async function answerToClick(
  page: Page,
  button: Locator,
  method: string,
  path: string,
): Promise<Response> {
  const answer = page.waitForResponse(
    (r) => r.url().endsWith(path) && r.request().method() === method,
  );
  await button.click();
  return answer;
}

/** An element's one method used here (this project's Node typings have no DOM). */
interface Attributed {
  getAttribute(name: string): string | null;
}

/**
 * The `name` attribute of every element `list` matches, read at one moment: reading them one by
 * one (`all()`, then each) races a list that changes in between and waits on a row gone. With
 * several names, each element's values of them, in that order.
 */
export function attributesOf(list: Locator, name: string): Promise<(string | null)[]>;
export function attributesOf(list: Locator, names: string[]): Promise<(string | null)[][]>;
export function attributesOf(list: Locator, names: string | string[]): Promise<unknown[]> {
  return list.evaluateAll(
    (elements, asked) =>
      elements.map((e) => {
        const element = e as unknown as Attributed;
        return typeof asked === 'string'
          ? element.getAttribute(asked)
          : asked.map((a) => element.getAttribute(a));
      }),
    names,
  );
}

/**
 * The value of `reading` (page-side source of an expression; null or undefined until there is
 * something to read) the first frame it has one, or null after `timeout` ms. Whatever it reads
 * is read at that one moment. `page.waitForFunction` would do it, but it runs the source
 * through `eval`, which the app's Content Security Policy (no 'unsafe-eval') refuses on the
 * designer; a `page.evaluate` of the whole wait does not go through `eval`.
 */
export function firstReading<T>(page: Page, reading: string, timeout = 15_000): Promise<T | null> {
  return page.evaluate<T | null>(`new Promise((resolve) => {
    const end = performance.now() + ${timeout};
    const look = () => {
      const value = ${reading};
      if (value !== null && value !== undefined) resolve(value);
      else if (performance.now() > end) resolve(null);
      else requestAnimationFrame(look);
    };
    look();
  })`);
}

/** Whether `condition` (page-side source) comes to hold within `timeout` ms (firstReading). */
export async function comesTrue(page: Page, condition: string, timeout = 15_000): Promise<boolean> {
  return (await firstReading(page, `(${condition}) || null`, timeout)) !== null;
}

/** Waits until `condition` holds (see comesTrue); fails, naming it, when it does not in time. */
export async function untilTrue(page: Page, condition: string, timeout = 15_000): Promise<void> {
  if (!(await comesTrue(page, condition, timeout))) {
    throw new Error(`not true within ${timeout} ms: ${condition}`);
  }
}

/**
 * What `el`'s `aria-describedby` names, as a screen reader reads it (the texts joined by a
 * space); null when it names nothing.
 */
export async function descriptionOf(el: Locator): Promise<string | null> {
  const ids = await el.getAttribute('aria-describedby');
  if (!ids) return null;
  const page = el.page();
  const texts = await Promise.all(
    ids
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => page.locator(`[id="${id}"]`).textContent()),
  );
  return texts.join(' ');
}

/**
 * Waits (up to `timeout` ms: React renders a moment after an input) for `descriptionOf(el)` to
 * read `want`; throws saying what it read instead.
 */
export async function expectDescription(
  el: Locator,
  want: string | null,
  timeout = 5000,
): Promise<void> {
  const end = Date.now() + timeout;
  for (;;) {
    const got = await descriptionOf(el);
    if (got === want) return;
    if (Date.now() > end) {
      throw new Error(`described as ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
