/**
 * The PMO's and the approver's path through the real app in Chromium: a template drawn on an
 * empty canvas (palette items dragged on, handles dragged together), a validation error seen
 * on the node and in the problems list and fixed, publish, a project started from the start
 * dialog; then an approver signs the gate off in their inbox while the PMO's project view,
 * opened before, follows every step live over the event stream.
 */
import type { Page } from 'playwright-core';
import { answerToClick, openPage, screenshot, untilTrue } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';
import { card, connectByHandles, dropFromPalette } from './support/canvas';
import { openingsIn, recordOpenings } from './support/readability';

const KEY = 'browser-launch';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** The project graph's node `id` once its overlay shows `status`. */
const graphNode = (page: Page, id: string, status: string) =>
  page.locator(`[data-testid="graph-node"][data-node-id="${id}"][data-status="${status}"]`);

/** Adds an edge with the inspector's keyboard alternative (the selected node is the source). */
async function addEdge(page: Page, on: string, to: string) {
  await page.getByTestId('edge-add-outcome').selectOption(on);
  await page.getByTestId('edge-add-target').selectOption(to);
  await page.getByTestId('edge-add').click();
}

it('designs, publishes and starts a project; an inbox sign-off shows live on the project view', async () => {
  const { stack, demo } = app;
  const pmo = await openPage(app.browser, stack.baseUrl);
  const { page } = pmo;
  await recordOpenings(page);

  // Sign-in: the PMO pastes their token.
  await page.goto('/');
  await page.getByTestId('signin').waitFor();
  await screenshot(page, '01-sign-in');
  await signInWithToken(page, demo['demo-pmo']!.token);
  await page.getByTestId('portfolio').waitFor();

  // A new template on an empty canvas.
  await page.getByTestId('nav-templates').click();
  await page.getByTestId('template-new').click();
  await page.getByTestId('designer').waitFor();
  await page.getByTestId('field-template.key').fill(KEY);
  await page.getByTestId('field-template.name').fill('Browser launch');

  await dropFromPalette(page, 'stage', { x: 160, y: 140 });
  await card(page, 'stage-1').waitFor();
  await dropFromPalette(page, 'gate', { x: 440, y: 140 });
  await card(page, 'gate-1').waitFor();
  await dropFromPalette(page, 'end', { x: 720, y: 140 });
  await card(page, 'end-1').waitFor();

  // Stage → gate: a stage produces only `done`, so the edge is drawn at once.
  await connectByHandles(page, 'stage-1', 'gate-1');
  await page.getByTestId('rf__edge-stage-1~done').waitFor();
  // Gate → end: several outcomes are free, so the designer asks which.
  await connectByHandles(page, 'gate-1', 'end-1');
  await page.getByTestId('outcome-picker').waitFor();
  await page.getByTestId('outcome-go').click();
  await page.getByTestId('rf__edge-gate-1~go').waitFor();

  // The gate's recycle and kill outcomes have no edge yet: its card says so.
  const problems = page.getByTestId('problems-list');
  await page.getByTestId('node-errors-gate-1').filter({ hasText: '2 errors' }).waitFor();
  expect(await problems.locator('[data-code="missing_edge"]').count()).toBe(2);
  // It loses its operations signer: one error more, on the card and in the problems list.
  await card(page, 'gate-1').click();
  await page.getByTestId('inspector-title').filter({ hasText: 'Gate 1' }).waitFor();
  expect(await page.getByTestId('field-signoff.rules.1.role').inputValue()).toBe('ops-manager');
  await page.getByTestId('remove-signoff.rules.1').click();
  await problems.locator('[data-code="no_operations_role"]').waitFor();
  await page.getByTestId('node-errors-gate-1').filter({ hasText: '3 errors' }).waitFor();
  expect(await card(page, 'gate-1').locator('.gh-node').getAttribute('class')).toContain(
    'has-errors',
  );
  await screenshot(page, '02-designer-problems');

  // Fixed: operations back at the table, a must-criterion for the scorecard, the other edges.
  await page.getByTestId('add-signoff.rules').click();
  expect(await page.getByTestId('field-signoff.rules.1.role').inputValue()).toBe('ops-manager');
  await page.getByTestId('add-criteria').click();
  await page.getByTestId('field-criteria.0.text').fill('Support model agreed with operations');
  await addEdge(page, 'recycle', 'stage-1');
  await addEdge(page, 'kill', 'end-1');
  await page
    .getByTestId('problems-count')
    .filter({ hasText: /^valid$/ })
    .waitFor();
  expect(await page.getByTestId('node-errors-gate-1').count()).toBe(0);

  // Auto-layout (ELK in a Web Worker) puts the three cards in a row, left to right. It moves
  // the cards, then opens the view on them again (a fit, a render and a frame later): the cards
  // are read once that opening is said, and all at one moment, never one card before the view
  // moved and the next after.
  const openings = (await openingsIn(page, 'canvas')).length;
  await page.getByTestId('auto-layout').click();
  await untilTrue(
    page,
    `window.__openings.filter((o) => o.within.includes('canvas')).length > ${openings}`,
  );
  const laid = await page.evaluate<number[]>(
    `['stage-1', 'gate-1', 'end-1'].map((id) =>
      document.querySelector('[data-testid="rf__node-' + id + '"]').getBoundingClientRect().x)`,
  );
  expect(laid[0]!).toBeLessThan(laid[1]!);
  expect(laid[1]!).toBeLessThan(laid[2]!);

  // Publish: 201, version 1.
  const published = await answerToClick(
    page,
    page.getByTestId('publish'),
    'POST',
    `/api/templates/${KEY}/publish`,
  );
  expect(published.status()).toBe(201);
  await page.getByTestId('designer-status').filter({ hasText: 'version 1' }).waitFor();
  await page.getByTestId('tab-versions').click();
  await page.getByTestId('version-1').waitFor();
  await page.getByTestId('canvas').click({ position: { x: 40, y: 400 } }); // deselect
  await screenshot(page, '03-designer');

  // Start a project from the start dialog, picking the participants per role by name.
  await page.getByTestId('nav-portfolio').click();
  await page.getByTestId('start-project-button').click();
  await page.getByTestId('start-dialog').waitFor();
  await page.getByTestId('start-name').fill('Self-service portal');
  await page.getByTestId('start-template').selectOption(KEY);
  for (const [role, user, name] of [
    ['pm', 'demo-pm', 'Paul'],
    ['ops-manager', 'demo-ops-manager', 'Omar'],
  ]) {
    await page.getByTestId(`start-role-${role}`).fill(name!);
    await page.getByTestId(`start-role-${role}`).press('Enter');
    await page.getByTestId(`start-role-${role}-chips`).locator(`[data-value="${user}"]`).waitFor();
  }
  await screenshot(page, '04-start-project');
  const started = await answerToClick(
    page,
    page.getByTestId('start-submit'),
    'POST',
    '/api/projects',
  );
  expect(started.status()).toBe(201);

  // The project view, live: the stage is active, the stream connected.
  const view = page.getByTestId('project-view');
  await view.waitFor();
  const projectId = (await view.getAttribute('data-project-id'))!;
  await graphNode(page, 'stage-1', 'active').waitFor();
  await page.locator('[data-testid="stream-status"][data-state="live"]').waitFor();
  // From here on the view must change by itself: no reload (the marker would be gone) and no
  // fetch of the project (only the event stream).
  await page.evaluate('window.__stillTheSamePage = true');
  let projectFetches = 0;
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === `/api/projects/${projectId}`) projectFetches += 1;
  });

  // The project manager completes the stage (over the API): the overlay moves on.
  const pm = demo['demo-pm']!;
  const completed = await stack.call('POST', `/api/projects/${projectId}/nodes/stage-1/complete`, {
    token: pm.token,
  });
  expect(completed.status).toBe(200);
  await graphNode(page, 'stage-1', 'done').waitFor();
  await graphNode(page, 'gate-1', 'active').waitFor();
  const signed = await stack.call('POST', `/api/projects/${projectId}/nodes/gate-1/signoffs`, {
    token: pm.token,
    body: { decision: 'go', criteria: { 'criterion-1': true } },
  });
  expect(signed.status).toBe(200);
  await page
    .locator(
      '[data-testid="graph-node"][data-node-id="gate-1"] [data-testid="node-tally"][data-role="pm"][data-go="1"]',
    )
    .waitFor();
  await screenshot(page, '05-project-view');

  // The operations manager signs in elsewhere and signs the gate off from the inbox.
  const approver = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(approver.page, demo['demo-ops-manager']!.token);
  await approver.page.getByTestId('nav-inbox').click();
  const item = approver.page.locator(
    `[data-testid="inbox-item"][data-action="signoff"][data-project-id="${projectId}"][data-node-id="gate-1"]`,
  );
  await item.getByTestId('inbox-item-toggle').click();
  const form = item.getByTestId('signoff-form');
  await form.getByTestId('signoff-scorecard').waitFor();
  expect(await form.getByTestId('signoff-decision-go').isChecked()).toBe(true);
  await form.getByTestId('signoff-criterion-criterion-1').check();
  await form.getByTestId('signoff-comment').fill('Runbook and support rota reviewed.');
  await screenshot(approver.page, '06-inbox-signoff');
  const signoff = await answerToClick(
    approver.page,
    form.getByTestId('signoff-submit'),
    'POST',
    `/nodes/gate-1/signoffs`,
  );
  expect(signoff.status()).toBe(200);

  // The PMO's view, untouched since, shows the gate passed and the project completed.
  await graphNode(page, 'gate-1', 'done').waitFor();
  await page.locator('[data-testid="project-view"][data-status="completed"]').waitFor();
  expect(await page.evaluate('window.__stillTheSamePage')).toBe(true);
  expect(projectFetches).toBe(0);
  await screenshot(page, '07-project-completed');

  // The portfolio lists it as completed.
  await page.getByTestId('nav-portfolio').click();
  await page
    .locator(
      `[data-testid="portfolio-row"][data-project-id="${projectId}"][data-status="completed"]`,
    )
    .waitFor();
  await screenshot(page, '08-portfolio');

  // The approver, who is not PMO, may look at the template but not change it: the published
  // version, without palette or editing tools, its fields disabled; no draft is asked for.
  const draftRequests: string[] = [];
  approver.page.on('request', (request) => {
    if (new URL(request.url()).pathname.endsWith('/draft')) draftRequests.push(request.url());
  });
  await approver.page.getByTestId('nav-templates').click();
  await approver.page
    .locator(`[data-testid="template-row"][data-template-key="${KEY}"]`)
    .getByRole('link', { name: 'View' })
    .click();
  await approver.page.getByTestId('designer').waitFor();
  await approver.page.getByTestId('dirty-state').filter({ hasText: 'read-only' }).waitFor();
  await card(approver.page, 'gate-1').waitFor();
  for (const tool of ['palette', 'save-draft', 'publish', 'new-template', 'import', 'undo'])
    expect(await approver.page.getByTestId(tool).count()).toBe(0);
  expect(await approver.page.getByTestId('field-template.name').isDisabled()).toBe(true);
  await card(approver.page, 'gate-1').click();
  await approver.page.getByTestId('inspector-title').filter({ hasText: 'Gate 1' }).waitFor();
  expect(await approver.page.getByTestId('field-signoff.rules.1.role').isDisabled()).toBe(true);
  expect(draftRequests).toEqual([]);
  await screenshot(approver.page, '09-designer-read-only');

  expect([...pmo.errors, ...approver.errors]).toEqual([]);
});
