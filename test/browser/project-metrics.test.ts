/**
 * The project view's co-created metrics (issue 13 item 1): a participant sets the project's own
 * target and delivery measures on the benefits tab, operations agree them, and the refusal of a
 * target outside the template's range is shown on the form; the PM records the actual cost
 * against the budget there (operations get no form for it); over budget, the header, the
 * PMO's portfolio row and inbox say so. Then (item 5) the pilot review's
 * sign-off shows the pilot's KPIs against baseline and target, and the handoff's readiness
 * checklist is recorded in the project view until the gate may go.
 */
import { fullReadiness, opsIntegratedDelivery, type Template } from '../../workflows/model';
import { nodeOf } from '../workflows/drive';
import { advance } from '../server/happy-path';
import { expectDescription, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** The built-in whose adoption target a project may set between 50 and 100. */
const ranged: Template = {
  ...opsIntegratedDelivery,
  key: 'ranged-metrics',
  metrics: opsIntegratedDelivery.metrics!.map((m) =>
    m.key === 'adoption-rate' ? { ...m, min: 0, max: 100 } : m,
  ),
};

it('sets the project’s own target and budget, refuses one out of range, and records the agreement', async () => {
  const path = `/api/templates/${ranged.key}`;
  expect(
    (await app.stack.call('PUT', `${path}/draft`, { token: app.pmo, body: ranged })).status,
  ).toBe(200);
  expect((await app.stack.call('POST', `${path}/publish`, { token: app.pmo })).status).toBe(201);
  const id = await startDemoProject(app, 'Claims (metrics)', ranged.key);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  await page.goto(`/#/projects/${id}/benefits`);
  const section = page.getByTestId('metrics-section');
  await section.waitFor();
  const row = (metric: string) =>
    page.locator(`[data-testid="metrics-table"] tr[data-metric="${metric}"]`);
  expect(await row('adoption-rate').textContent()).toContain('0 … 100');

  await page.getByTestId('metric-adoption-rate-target').fill('120');
  await page.getByTestId('metrics-submit').click();
  // The refusal (422, naming body.metrics.adoption-rate.target) under the field at fault.
  await section
    .locator('[data-testid="metrics-form"] [data-metric="adoption-rate"]')
    .getByText(/outside what the template allows \(0 … 100\)/)
    .waitFor();

  await page.getByTestId('metric-adoption-rate-target').fill('85');
  await page.getByTestId('delivery-budget').fill('250000');
  await page.getByTestId('delivery-currency').fill('EUR');
  await page.getByTestId('metrics-submit').click();
  await row('adoption-rate').filter({ hasText: '≥ 85' }).waitFor();
  await page.getByTestId('delivery-measures').filter({ hasText: '250000 EUR' }).waitFor();
  expect(await page.getByTestId('metrics-agreement').textContent()).toContain('Not yet agreed');
  await screenshot(page, '80-project-metrics');

  // A KPI reading that is no number to record (-1e999: Chromium cannot read it), disabled and
  // saying why.
  const record = page.getByTestId('kpi-submit');
  await expectDescription(record, 'Enter a value to record.');
  await page.getByTestId('kpi-value').fill('-1e999');
  expect(await record.isDisabled()).toBe(true);
  await expectDescription(
    record,
    'This is not a number that can be recorded: enter one such as 12.5.',
  );
  await page.getByTestId('kpi-value').fill('42');
  await expectDescription(record, null);
  expect(await record.isDisabled()).toBe(false);
  await page.getByTestId('kpi-value').fill('');

  // The ops lead agrees them as they stand.
  const ops = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(ops.page, app.cast['ops-lead']!.token);
  await ops.page.goto(`/#/projects/${id}/benefits`);
  await ops.page.getByTestId('agree-metrics-submit').click();
  await ops.page
    .getByTestId('metrics-agreement')
    .filter({ hasText: 'Agreed by operations' })
    .waitFor();
  // The actual cost is the PM's (and the PMO's) to record: operations get no form for it.
  await ops.page
    .getByTestId('delivery-cost')
    .filter({ hasText: 'no actual cost recorded' })
    .waitFor();
  expect(await ops.page.getByTestId('cost-form').count()).toBe(0);
  const cost = section.getByTestId('cost-form');
  await cost.getByTestId('cost-spent').fill('-5');
  // Said under the amount before anything is sent.
  await cost.locator('.field-error').filter({ hasText: 'a number, 0 or more' }).waitFor();
  expect(await cost.getByTestId('cost-submit').isDisabled()).toBe(true);
  await cost.getByTestId('cost-spent').fill('260000');
  await cost.getByTestId('cost-submit').click();
  const line = section.getByTestId('delivery-cost');
  await line.filter({ hasText: 'spent 260,000 EUR of 250,000 EUR · 4 % over' }).waitFor();
  expect(await line.getAttribute('data-cost')).toBe('over');
  // Over budget: the project's header says so, and the PMO (who started it) finds it in the
  // portfolio and as a budget alert in their inbox, linking to the benefits tab.
  await page.getByTestId('over-budget').waitFor();
  await screenshot(page, '80b-project-actual-cost');
  const pmo = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(pmo.page, app.pmo);
  await pmo.page
    .locator(`[data-testid="portfolio-row"][data-project-id="${id}"]`)
    .getByTestId('over-budget')
    .waitFor();
  await pmo.page.goto('/#/inbox/notifications');
  const alert = pmo.page.locator(
    `[data-testid="notification"][data-kind="budget-alert"][data-project-id="${id}"]`,
  );
  await alert.filter({ hasText: 'Budget alert' }).waitFor();
  expect(await alert.getByTestId('notification-open').getAttribute('href')).toBe(
    `#/projects/${id}/benefits`,
  );
  expect(errors).toEqual([]);
  expect(ops.errors).toEqual([]);
  expect(pmo.errors).toEqual([]);
  await pmo.page.close();
  await ops.page.close();
  await page.close();
});

it('shows the pilot’s KPIs at the pilot review and records the handoff’s readiness', async () => {
  const builtin = opsIntegratedDelivery;
  const id = await startDemoProject(app, 'Claims (readiness)');
  await advance(app.stack, app.cast, id, builtin, 'inception', 'pilot-review');
  const kpi = { token: app.cast['ops-lead']!.token, body: { metric: 'adoption-rate', value: 64 } };
  expect((await app.stack.call('POST', `/api/projects/${id}/kpis`, kpi)).status).toBe(201);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  await page.goto(`/#/projects/${id}?node=pilot-review`);
  // In the pm's sign-off form: the pilot's value against the project's baseline and target.
  const pilot = page.locator('[data-testid="signoff-form"] [data-testid="gate-metrics"]');
  const adoption = pilot.locator('tr[data-metric="adoption-rate"]');
  await adoption.filter({ hasText: '64 ✗' }).waitFor();
  expect(await adoption.textContent()).toContain('≥ 80');
  expect(await pilot.locator('tr[data-metric="support-tickets"]').textContent()).toContain(
    'not measured',
  );
  await screenshot(page, '81-pilot-review-kpis');

  await advance(app.stack, app.cast, id, builtin, 'pilot-review', 'handoff');
  await page.goto(`/#/projects/${id}?node=handoff`);
  const panel = page.getByTestId('readiness-panel');
  await panel.getByTestId('readiness-state').filter({ hasText: '7 open' }).waitFor();
  // Most of it recorded over the API; the support agents' training counted in the form.
  const handoff = nodeOf(builtin, 'handoff');
  if (handoff.type !== 'gate') throw new Error('the handoff is a gate');
  const { supportModel: _ops, ...rest } = fullReadiness(handoff);
  const { 'support-agents': _agents, ...training } = rest.training;
  const body = { adkar: rest.adkar, training };
  const path = `/api/projects/${id}/nodes/handoff/readiness`;
  expect((await app.stack.call('POST', path, { token: app.cast.pm!.token, body })).status).toBe(
    200,
  );
  await panel.getByTestId('readiness-state').filter({ hasText: '2 open' }).waitFor();
  const item = page.locator(
    '[data-testid="node-action"][data-action="record-readiness"]:has([data-testid="readiness-trained"])',
  );
  await item.getByTestId('readiness-trained').fill('11');
  await item.getByTestId('readiness-total').fill('12');
  await item.getByTestId('readiness-submit').click();
  const agents = panel.locator('[data-testid="readiness-training"] tr[data-role="support-agents"]');
  await agents.filter({ hasText: '11 / 12 (91%) ✗' }).waitFor();
  expect(await agents.textContent()).toContain('≥ 100%');
  // The pm's sign-off form says what a go still waits for.
  await page
    .getByTestId('signoff-not-ready')
    .filter({ hasText: 'Support agents: 11 / 12 (91%) trained, 100% needed' })
    .waitFor();

  // The support lead confirms the support model in their own view; a go may follow.
  const ops = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(ops.page, app.cast.support!.token);
  await ops.page.goto(`/#/projects/${id}?node=handoff`);
  await ops.page.getByTestId('readiness-support-in-place').check();
  await ops.page.getByTestId('readiness-submit').click();
  await ops.page.getByTestId('readiness-support').filter({ hasText: 'in place ✓' }).waitFor();
  expect(await ops.page.getByTestId('readiness-support').textContent()).toContain('(Support lead)');
  const count = { training: { 'support-agents': { trained: 12, total: 12 } } };
  expect(
    (await app.stack.call('POST', path, { token: app.cast.pm!.token, body: count })).status,
  ).toBe(200);
  await panel.getByTestId('readiness-state').filter({ hasText: 'ready for a go' }).waitFor();
  await panel.scrollIntoViewIfNeeded();
  await screenshot(page, '82-handoff-readiness');
  expect(errors).toEqual([]);
  expect(ops.errors).toEqual([]);
  await ops.page.close();
  await page.close();
});
