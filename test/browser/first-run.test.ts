/**
 * Issue 10, item 4: the PMO's first run, walked in Chromium to the hypercare escalation. The
 * checklist starts empty and ticks itself off from what really happens: the practice template
 * opened in the designer, replaced by a faster practice (the same function, a week lasting two
 * seconds: hypercare expires after 8 s) through Import, a gate renamed, saved and published;
 * "Start a practice project" starts it with the demo users; a hold does not tick "Sign as an
 * approver", an approver's go from her inbox does; the rest of the way to hypercare is walked over the API; nobody accepts the
 * exit, hypercare escalates, and the checklist says all done.
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery, PRACTICE_KEY, practiceTemplate } from '../../workflows/model';
import { advance, type Cast } from '../server/happy-path';
import { fullMarks, nodeOf } from '../workflows/drive';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

const FAST = practiceTemplate(opsIntegratedDelivery, { secondsPerWeek: 2 });

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** The checklist's step `key` once it shows `done`. */
const step = (page: Page, key: string, done: boolean) =>
  page.locator(`[data-testid="first-run-step"][data-step="${key}"][data-done="${done}"]`);

it('walks the first-run checklist from design to a live hypercare escalation', async () => {
  const { stack, demo } = app;
  const pmo = await openPage(app.browser, stack.baseUrl);
  const { page } = pmo;
  await signInWithToken(page, demo['demo-pmo']!.token);
  await page.getByTestId('first-run').waitFor();
  for (const key of ['design', 'publish', 'start', 'sign', 'escalate']) {
    await step(page, key, false).waitFor();
  }
  await screenshot(page, '60-first-run');

  // Design: the practice template in the designer, the faster practice imported over it,
  // the inception gate renamed, the draft saved.
  await step(page, 'design', false)
    .getByRole('link', { name: 'Open the practice template' })
    .click();
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('import-file').setInputFiles({
    name: `${PRACTICE_KEY}.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(FAST)),
  });
  await page.getByTestId('import-load').click();
  await page.getByTestId('rf__node-inception').click();
  await page.getByTestId('field-name').fill('Inception (practice)');
  await page.getByTestId('save-draft').click();
  await page.getByTestId('designer-status').filter({ hasText: 'saved' }).waitFor();

  // Publish: version 2.
  await page.getByTestId('publish').click();
  await page.getByTestId('designer-status').filter({ hasText: 'version 2' }).waitFor();
  await page.getByTestId('nav-portfolio').click();
  await step(page, 'design', true).waitFor();
  await step(page, 'publish', true).waitFor();
  await page.getByTestId('first-run-progress').filter({ hasText: '2 of 5 done' }).waitFor();

  // Start: the practice project, the demo users in their roles.
  await page.getByTestId('first-run-practice').click();
  const view = page.getByTestId('project-view');
  await view.waitFor();
  const id = (await view.getAttribute('data-project-id'))!;
  const state = await stack.call('GET', `/api/projects/${id}`, { token: demo['demo-pmo']!.token });
  expect(state.body.template).toEqual({ key: PRACTICE_KEY, version: 2 });
  expect(state.body.participants).toEqual({
    pm: ['demo-pm'],
    'ops-lead': ['demo-ops-lead'],
    'ops-manager': ['demo-ops-manager'],
    support: ['demo-support'],
    steering: ['demo-steering'],
    // The demo's frontline colleague takes part too (an optional role: no rule names it).
    frontline: ['demo-frontline'],
  });
  await page.getByTestId('nav-portfolio').click();
  await step(page, 'start', true).waitFor();

  // Sign as an approver: Paul's deliverables are in (over the API); Olga, signed in from the
  // demo picker, signs the gate off from her inbox.
  const cast: Cast = Object.fromEntries(
    Object.values(demo)
      .filter((u) => !u.roles.includes('pmo'))
      .map((u) => [u.roles[0]!, { id: u.id, token: u.token }]),
  );
  const inception = nodeOf(FAST, 'inception');
  for (const d of inception.type === 'gate' ? (inception.deliverables ?? []) : []) {
    const path = `/api/projects/${id}/nodes/inception/deliverables/${d.id}`;
    const reply = await stack.call('POST', path, { token: cast.pm!.token, body: { text: d.name } });
    expect(reply.status).toBe(200);
  }
  // Operations agree the project's metrics: the inception gate waits for that before a go.
  const agree = { token: cast['ops-lead']!.token, body: {} };
  expect((await stack.call('POST', `/api/projects/${id}/metrics/agree`, agree)).status).toBe(200);
  // A hold is not signing the gate off: Paul holds it, the PMO resumes, the step stays open.
  const hold = { token: cast.pm!.token, body: { decision: 'hold', role: 'pm' } };
  const signoffs = `/api/projects/${id}/nodes/inception/signoffs`;
  expect((await stack.call('POST', signoffs, hold)).status).toBe(200);
  const resume = { token: demo['demo-pmo']!.token, body: { reason: 'Go on' } };
  expect((await stack.call('POST', `/api/projects/${id}/resume`, resume)).status).toBe(200);
  const checklist = await stack.call('GET', '/api/first-run', { token: demo['demo-pmo']!.token });
  expect(checklist.body.steps.find((s: { key: string }) => s.key === 'sign').done).toBe(false);
  await page.reload();
  await step(page, 'start', true).waitFor();
  await step(page, 'sign', false).waitFor();
  const approver = await openPage(app.browser, stack.baseUrl);
  await approver.page.goto('/');
  await approver.page.locator('[data-testid="demo-user"][data-user-id="demo-ops-lead"]').click();
  await approver.page.getByTestId('nav-inbox').click();
  const item = approver.page.locator(
    `[data-testid="inbox-item"][data-action="signoff"][data-project-id="${id}"]`,
  );
  await item.getByTestId('inbox-item-toggle').click();
  const form = item.getByTestId('signoff-form');
  for (const [criterion, value] of Object.entries(fullMarks(inception))) {
    const field = form.getByTestId(`signoff-criterion-${criterion}`);
    if (value === true) await field.check();
    else await field.fill(String(value));
  }
  await screenshot(approver.page, '61-first-run-approver');
  await form.getByTestId('signoff-submit').click();
  // The card says it is done until the live inbox reloads without it; the stream may win.
  await Promise.any([item.getByRole('status').waitFor(), item.waitFor({ state: 'detached' })]);
  await step(page, 'sign', true).waitFor();

  // The rest of the way to hypercare, over the API; nobody accepts its exit.
  await advance(stack, cast, id, FAST, 'inception', 'hypercare', {
    delivered: ['inception'],
    signed: { inception: ['ops-lead'] },
  });
  await step(page, 'escalate', true).waitFor({ timeout: 40_000 });
  await page.getByTestId('first-run-progress').filter({ hasText: '5 of 5 done' }).waitFor();
  await screenshot(page, '62-first-run-done');

  // The project shows it too: hypercare awaiting its exit, the first level fired.
  await page.goto(`/#/projects/${id}`);
  await page.locator('[data-testid="hypercare-panel"][data-phase="awaiting_exit"]').waitFor();
  await page
    .locator('[data-testid="hypercare-escalations"] li[data-fired="true"]')
    .first()
    .waitFor();
  await screenshot(page, '63-first-run-escalated');

  expect([...pmo.errors, ...approver.errors]).toEqual([]);
});
