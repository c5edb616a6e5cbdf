/**
 * Agreeing the project's metrics, as the approvers meet it: operations see in their inbox what
 * they are asked to agree (each metric's baseline and target, who set them and when), and the
 * PM's sign-off form of a gate whose go waits for that agreement says so before submitting —
 * the server's 422 still shows at the decision, and the notice goes once operations agreed. A
 * hold's comment is labelled optional, as it is.
 */
import { opsIntegratedDelivery } from '../../workflows/model';
import { fullMarks, nodeOf } from '../workflows/drive';
import { answerToClick, openPage, screenshot } from './support/browser';
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
  // The open form follows the project: a target changed meanwhile shows before it is agreed.
  const change = { metrics: { 'adoption-rate': { target: 90 } } };
  expect(
    (
      await app.stack.call('POST', `/api/projects/${id}/metrics`, {
        token: app.cast.pm!.token,
        body: change,
      })
    ).status,
  ).toBe(200);
  await row('adoption-rate').filter({ hasText: '≥ 90' }).waitFor();

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

it('refuses an agreement to metrics the PM changed after the form showed them', async () => {
  const id = await startDemoProject(app, 'Claims (metrics changed meanwhile)');
  await proposeMetrics(id);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  // The project's event stream held: the open form cannot hear of the PM's change in time.
  await page.route(`**/api/projects/${id}/events*`, () => undefined);
  await signInWithToken(page, app.cast['ops-lead']!.token);
  await page.getByTestId('nav-inbox').click();
  const item = page.locator(
    `[data-testid="inbox-item"][data-action="agree-metrics"][data-project-id="${id}"]`,
  );
  await item.getByTestId('inbox-item-toggle').click();
  const form = item.getByTestId('agree-metrics-form');
  const adoption = form.locator(
    '[data-testid="agree-metrics-table"] tr[data-metric="adoption-rate"]',
  );
  await adoption.filter({ hasText: '≥ 85' }).waitFor();

  const change = { metrics: { 'adoption-rate': { target: 95 } } };
  const pm = { token: app.cast.pm!.token, body: change };
  expect((await app.stack.call('POST', `/api/projects/${id}/metrics`, pm)).status).toBe(200);
  expect(await adoption.textContent()).toContain('≥ 85');

  const sent = await answerToClick(
    page,
    form.getByTestId('agree-metrics-submit'),
    'POST',
    '/metrics/agree',
  );
  expect(sent.status()).toBe(409);
  await form
    .getByTestId('problem')
    .filter({ hasText: 'the metrics changed since you saw them: review the new values' })
    .waitFor();
  // The form shows the new values; nothing was agreed.
  await adoption.filter({ hasText: '≥ 95' }).waitFor();
  const state = () => app.stack.call('GET', `/api/projects/${id}`, { token: app.pmo });
  expect((await state()).body.metrics.agreed).toBeUndefined();
  await screenshot(page, '85-agree-metrics-changed');

  // Agreeing now agrees to what the form shows.
  await form.getByTestId('agree-metrics-submit').click();
  await Promise.any([
    item.getByRole('status').filter({ hasText: 'Metrics agreed' }).waitFor(),
    item.waitFor({ state: 'detached' }),
  ]);
  expect((await state()).body.metrics).toMatchObject({
    values: { 'adoption-rate': { target: 95 } },
    agreed: { by: 'demo-ops-lead' },
  });
  expect(errors).toEqual([]);
  await page.close();
});

it('tells the PM before a go that operations must agree the metrics first', async () => {
  const id = await startDemoProject(app, 'Claims (go waits for metrics)');
  await proposeMetrics(id);
  const inception = nodeOf(opsIntegratedDelivery, 'inception');
  if (inception.type !== 'gate') throw new Error('inception is a gate');
  for (const d of inception.deliverables ?? []) {
    const path = `/api/projects/${id}/nodes/inception/deliverables/${d.id}`;
    const reply = await app.stack.call('POST', path, {
      token: app.cast.pm!.token,
      body: { text: d.name },
    });
    expect(reply.status).toBe(200);
  }

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  await page.goto(`/#/projects/${id}?node=inception`);
  const form = page.getByTestId('signoff-form');
  const notice = form.getByTestId('signoff-metrics-not-agreed');
  await notice.filter({ hasText: 'operations to agree the project’s metrics' }).waitFor();
  // Only a go waits: hold (or kill) is the PM's to choose, with nothing to warn about.
  await form.getByTestId('signoff-decision-hold').check();
  await notice.waitFor({ state: 'detached' });
  // A hold's comment asks why, but says what the API holds to: it is optional (SPEC: `comment?`).
  const commentLabel = form.locator('label[for^="signoff-comment-"]');
  await commentLabel.filter({ hasText: 'Comment (optional: say why)' }).waitFor({ timeout: 5000 });
  expect(await form.getByTestId('signoff-comment').getAttribute('required')).toBeNull();
  await form.getByTestId('signoff-decision-go').check();
  await notice.waitFor();
  await screenshot(page, '84-signoff-metrics-not-agreed');

  // The form does not block the go: the server decides, and its 422 shows at the decision.
  for (const [criterion, value] of Object.entries(fullMarks(inception))) {
    const field = form.getByTestId(`signoff-criterion-${criterion}`);
    if (value === true) await field.check();
    else await field.fill(String(value));
  }
  const sent = await answerToClick(
    page,
    form.getByTestId('signoff-submit'),
    'POST',
    '/nodes/inception/signoffs',
  );
  expect(sent.status()).toBe(422);
  await form
    .locator('fieldset.decisions .field-error')
    .filter({ hasText: "needs operations to agree the project's metrics as they stand" })
    .waitFor();

  // The same sign-off in the PM's inbox says it too.
  const inbox = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(inbox.page, app.cast.pm!.token);
  await inbox.page.getByTestId('nav-inbox').click();
  const item = inbox.page.locator(
    `[data-testid="inbox-item"][data-action="signoff"][data-project-id="${id}"]`,
  );
  await item.getByTestId('inbox-item-toggle').click();
  const inInbox = item.getByTestId('signoff-metrics-not-agreed');
  await inInbox.waitFor();

  // Operations agree; the live project view and the open inbox form drop the notice.
  const agree = { token: app.cast['ops-lead']!.token, body: {} };
  expect((await app.stack.call('POST', `/api/projects/${id}/metrics/agree`, agree)).status).toBe(
    200,
  );
  await notice.waitFor({ state: 'detached' });
  await inInbox.waitFor({ state: 'detached' });
  expect(await form.getByTestId('signoff-decision-go').isChecked()).toBe(true);
  expect(errors).toEqual([]);
  expect(inbox.errors).toEqual([]);
  await inbox.page.close();
  await page.close();
});
