/**
 * Agreeing the project's metrics, as the approvers meet it: operations see in their inbox what
 * they are asked to agree (each metric's baseline and target, who set them and when), and the
 * PM's sign-off form of a gate whose go waits for that agreement says so before submitting —
 * the server's 422 still shows at the decision, and the notice goes once operations agreed.
 */
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** The PM proposes the project's own targets and budget (the inception gate is still open). */
async function proposeMetrics(id: string): Promise<void> {
  const body = {
    metrics: { 'adoption-rate': { target: 85 }, 'support-tickets': { baseline: 130, target: 50 } },
    delivery: { budget: 250000, currency: 'EUR' },
  };
  const reply = await app.stack.call('POST', `/api/projects/${id}/metrics`, {
    token: app.cast.pm!.token,
    body,
  });
  expect(reply.status).toBe(200);
}

it('shows operations the metrics they are asked to agree in their inbox', async () => {
  const id = await startDemoProject(app, 'Claims (agree metrics)');
  await proposeMetrics(id);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast['ops-lead']!.token);
  await page.getByTestId('nav-inbox').click();
  const item = page.locator(
    `[data-testid="inbox-item"][data-action="agree-metrics"][data-project-id="${id}"]`,
  );
  await item.getByTestId('inbox-item-toggle').click();
  const form = item.getByTestId('agree-metrics-form');
  await form.waitFor();
  // Read-only, above the comment and the button: the project's values, not only the template's.
  const row = (metric: string) =>
    form.locator(`[data-testid="agree-metrics-table"] tr[data-metric="${metric}"]`);
  const adoption = await row('adoption-rate').textContent();
  expect(adoption).toContain('Adoption rate');
  expect(adoption).toContain('≥ 85');
  const tickets = await row('support-tickets').textContent();
  expect(tickets).toContain('Support tickets');
  expect(tickets).toContain('130');
  expect(tickets).toContain('≤ 50');
  expect(await row('processing-time').textContent()).toContain('≤ 20');
  expect(await form.getByTestId('agree-metrics-delivery').textContent()).toContain('250000 EUR');
  expect(await form.getByTestId('agree-metrics-proposed').textContent()).toContain(
    'Last set by Paul Project Manager on',
  );
  expect(await form.getByTestId('agree-metrics-link').getAttribute('href')).toBe(
    `#/projects/${id}/benefits`,
  );
  expect(await form.locator('input, textarea, select').count()).toBe(1);
  await screenshot(page, '83-agree-metrics-inbox');

  await form.getByTestId('agree-metrics-submit').click();
  await Promise.any([
    item.getByRole('status').filter({ hasText: 'Metrics agreed' }).waitFor(),
    item.waitFor({ state: 'detached' }),
  ]);
  const state = await app.stack.call('GET', `/api/projects/${id}`, { token: app.pmo });
  expect(state.body.metrics.agreed).toMatchObject({ by: 'demo-ops-lead', role: 'ops-lead' });
  expect(errors).toEqual([]);
  await page.close();
});
