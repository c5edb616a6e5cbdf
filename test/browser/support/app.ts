/**
 * The app as a browser test meets it: the real API stack (Express on a random port, an
 * in-process worker, the run's Temporal dev server, a fresh SQLite app database) serving the
 * built designer, with the same demo users `npm start` seeds — one fixture set for the dev app
 * and the tests — and a headless Chromium. The stack checks every answer and every event its
 * streams write against the OpenAPI document (`withAnswerCheck`): the designer reads them with
 * its own client, and a mismatch still fails the test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { seedDemoUsers } from '../../../scripts/start/demo-users';
import type { DemoUser } from '../../../server/contract';
import { startProject } from '../../server/drive-http';
import type { Cast } from '../../server/happy-path';
import {
  startApiStack,
  type ApiStack,
  type ExtraAppDeps,
  type StackOptions,
} from '../../server/stack';
import { databaseFactory } from '../../support/databases';
import { launchBrowser } from './browser';
import { DESIGNER_DIST, ensureDesignerBuilt } from './designer-dist';

export interface BrowserApp {
  stack: ApiStack;
  browser: Browser;
  /** The demo users (`demo-pmo`, `demo-pm`, `demo-ops-manager`, …) with their tokens. */
  demo: Record<string, DemoUser>;
  /** The demo PMO's token. */
  pmo: string;
  /** The demo users by their first role, as the happy path drives them. */
  cast: Cast;
  stop(): Promise<void>;
}

/** The demo users by their first role (the PMO left out), as the happy path drives them. */
function demoCast(users: readonly DemoUser[]): Cast {
  return Object.fromEntries(
    users
      .filter((u) => !u.roles.includes('pmo'))
      .map((u) => [u.roles[0]!, { id: u.id, token: u.token }]),
  );
}

/**
 * Starts a project `name` of the published `template` (the built-in by default) as the demo
 * PMO, every role seated by its demo user; answers its id.
 */
export function startDemoProject(
  app: BrowserApp,
  name: string,
  template?: string,
): Promise<string> {
  const participants = Object.fromEntries(Object.entries(app.cast).map(([r, u]) => [r, [u.id]]));
  return startProject(app.stack, { token: app.pmo }, name, { template, participants });
}

/**
 * Starts the app; `extra` and `stack` reach the API stack (e.g. a short migration budget, a
 * worker dependency that fails for one project).
 */
export async function startBrowserApp(
  extra: ExtraAppDeps = {},
  stack: StackOptions = {},
): Promise<BrowserApp> {
  await ensureDesignerBuilt();
  // Whatever did start is stopped again, in reverse order, when a later step fails.
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    // The app reads this list on each request: it is filled once the stack's database exists.
    const demoUsers: DemoUser[] = [];
    const api = await startApiStack(
      databaseFactory('sqlite'),
      { staticDir: DESIGNER_DIST, demoUsers, ...extra },
      stack,
    );
    cleanups.push(() => api.stop());
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-browser-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const seeded = await seedDemoUsers(api.db, dataDir);
    if (seeded.warnings.length > 0) throw new Error(seeded.warnings.join('; '));
    demoUsers.push(...seeded.users);
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const demo = Object.fromEntries(seeded.users.map((u) => [u.id, u]));
    return {
      stack: api,
      browser,
      demo,
      pmo: demo['demo-pmo']!.token,
      cast: demoCast(seeded.users),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Signs in on the sign-in screen by pasting a token, as someone handed one by an admin would. */
export async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('signin-token').fill(token);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('nav').waitFor();
}
