/**
 * Hypercare and the PIR of the built-in template walked in Chromium, role by role (issue 13):
 * the project manager finds the hypercare issue operations raised in the inbox and takes it
 * on there and records the final cost in the PIR; the steering committee reads the PIR
 * (planned vs actual with the pilot's values, the delivery against its target date and budget,
 * lessons and feedback acted on, the criteria), records a decision and a follow-up action for
 * support and signs the PIR; support finds the action in the inbox and completes it. The PMO
 * edits the review's criteria in the designer's node form.
 */
import { opsIntegratedDelivery, type NodeOf } from '../../workflows/model';
import { advance } from '../server/happy-path';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const pir = opsIntegratedDelivery.nodes.find((n) => n.id === 'pir') as NodeOf<'review'>;

it('walks hypercare and the PIR: each role sees and does its part', async () => {
  const id = await startDemoProject(app, 'Tills (PIR)');
  const post = async (role: string, path: string, body: unknown, status = 201) => {
    const reply = await app.stack.call('POST', `/api/projects/${id}${path}`, {
      token: app.cast[role]!.token,
      body,
    });
    expect([path, reply.status]).toEqual([path, status]);
    return reply.body as { id?: string };
  };
  // Delivery measures: due yesterday (UTC), 250 000 EUR.
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const delivery = { targetDate: yesterday, budget: 250_000, currency: 'EUR' };
  await post('pm', '/metrics', { delivery }, 200);
  await advance(app.stack, app.cast, id, opsIntegratedDelivery, 'inception', 'pilot-review');
  // The pilot's value, seen at the pilot review; the actual one comes later.
  await post('ops-manager', '/kpis', { metric: 'adoption-rate', value: 55 });
  await advance(app.stack, app.cast, id, opsIntegratedDelivery, 'pilot-review', 'hypercare');
  await post('ops-manager', '/issues', { severity: 2, title: 'Tills freeze at noon' });

  // The project manager: the issue operations raised is in the inbox, taken on there.
  const pm = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(pm.page, app.cast.pm!.token);
  await pm.page.getByTestId('nav-inbox').click();
  const issue = pm.page.locator(
    `[data-testid="inbox-item"][data-action="acknowledge-issue"][data-project-id="${id}"]`,
  );
  expect(await issue.textContent()).toContain('Tills freeze at noon');
  await issue.getByTestId('inbox-item-toggle').click();
  await issue.getByTestId('issue-acknowledge-submit').click();
  await pm.page
    .locator(`[data-testid="inbox-item"][data-action="resolve-issue"][data-project-id="${id}"]`)
    .waitFor();
  await screenshot(pm.page, '95-pm-takes-hypercare-issue-on');
  expect(pm.errors).toEqual([]);

  await post('pm', '/issues/issue-1/resolve', { note: 'Till firmware rolled back' }, 200);
  await post('support', '/feedback', { kind: 'lesson', text: 'Train the night shift too' });
  const fb = await post('frontline', '/feedback', { kind: 'feedback', text: 'Receipts slow' });
  await post(
    'pm',
    `/feedback/${fb.id}/status`,
    { status: 'acted_on', response: 'New printers' },
    200,
  );
  await advance(app.stack, app.cast, id, opsIntegratedDelivery, 'hypercare', 'pir');
  await post('ops-manager', '/kpis', { metric: 'adoption-rate', value: 78 });

  // The project manager records the final cost in the PIR.
  await pm.page.goto(`/#/projects/${id}?node=pir`);
  const pmView = pm.page.getByTestId('pir-view');
  await pmView.getByTestId('cost-spent').fill('275000');
  await pmView.getByTestId('cost-submit').click();
  await pmView.getByTestId('delivery-cost').filter({ hasText: '10 % over' }).waitFor();
  expect(pm.errors).toEqual([]);

  // The steering committee reads the PIR and signs it with its decision and follow-up action.
  const steering = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(steering.page, app.cast.steering!.token);
  await steering.page.goto(`/#/projects/${id}?node=pir`);
  const view = steering.page.getByTestId('pir-view');
  const adoption = view.locator('[data-testid="pir-metric"][data-metric="adoption-rate"]');
  await adoption.waitFor();
  expect(await adoption.getByTestId('pir-metric-pilot').textContent()).toBe('55');
  expect(await adoption.getByTestId('pir-metric-actual').textContent()).toMatch(/^78/);
  expect(await view.getByTestId('pir-lesson').allTextContents()).toEqual([
    'Train the night shift too',
  ]);
  expect(await view.getByTestId('pir-feedback-acted').allTextContents()).toEqual(['New printers']);
  expect(await view.getByTestId('pir-criterion').count()).toBe(pir.criteria!.length);
  // Delivered at the formal handoff's go, a day after the target date; the cost over budget.
  const schedule = view.getByTestId('delivery-schedule');
  expect(await schedule.getAttribute('data-schedule')).toBe('late');
  expect(await schedule.textContent()).toContain(`1 day late (target ${yesterday})`);
  expect(await schedule.textContent()).toContain('handover: Formal handoff');
  expect(await view.getByTestId('delivery-cost').textContent()).toContain(
    'spent 275,000 EUR of 250,000 EUR · 10 % over',
  );
  expect(await view.getByTestId('cost-form').count()).toBe(0);

  await view.getByTestId('pir-decision-text').fill('Roll out to region B next quarter');
  await view.getByTestId('pir-decision-submit').click();
  await view.getByTestId('pir-decision').filter({ hasText: 'region B' }).waitFor();
  await view.getByTestId('pir-action-text').fill('Refresher training for the night shift');
  await view.getByTestId('pir-action-owner').selectOption('role:support');
  await view.getByTestId('pir-action-due').fill('P14D');
  await view.getByTestId('pir-action-submit').click();
  const action = view.locator('[data-testid="pir-action"][data-action-id="pir-1-a1"]');
  await action.waitFor();
  expect(await action.getAttribute('data-status')).toBe('open');
  expect(await action.getByTestId('pir-action-facts').textContent()).toMatch(
    /owner Support.*due in 14 days|owner Support.*in 1[34] days/,
  );
  // A due date the review cannot take shows its refusal under the form.
  await view.getByTestId('pir-action-text').fill('Too late');
  await view.getByTestId('pir-action-due').fill('2020-01-01');
  await view.getByTestId('pir-action-submit').click();
  const refusal = view
    .getByTestId('pir-action-form')
    .locator('[data-testid="problem"][data-status="422"] [data-code="out_of_range"]');
  await refusal.waitFor();
  expect(await refusal.textContent()).toContain('due');
  expect(await view.getByTestId('pir-action').count()).toBe(1);

  const signoff = steering.page.locator('[data-testid="node-action"][data-action="signoff"]');
  const form = signoff.getByTestId('signoff-form');
  for (const [criterion, value] of Object.entries({
    'training-support': 7,
    'benefits-realised': 8,
    'strategic-fit': 9,
  })) {
    await form.getByTestId(`signoff-criterion-${criterion}`).fill(String(value));
  }
  await form.getByTestId('signoff-submit').click();
  await view.getByTestId('pir-score').filter({ hasText: '0.78' }).waitFor();
  await screenshot(steering.page, '96-steering-signs-pir');
  expect(steering.errors).toEqual([]);

  // Support: the action is in the inbox, and done from there with a note.
  const support = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(support.page, app.cast.support!.token);
  await support.page.getByTestId('nav-inbox').click();
  const item = support.page.locator(
    `[data-testid="inbox-item"][data-action="complete-review-action"][data-project-id="${id}"]`,
  );
  expect(await item.textContent()).toContain('Refresher training for the night shift');
  await item.getByTestId('inbox-item-toggle').click();
  await item.getByTestId('review-action-done-note').fill('14 of 14 trained');
  await item.getByTestId('review-action-done-submit').click();
  await item.waitFor({ state: 'detached' });
  await support.page.goto(`/#/projects/${id}?node=pir`);
  const done = support.page.locator('[data-testid="pir-action"][data-action-id="pir-1-a1"]');
  await done.and(support.page.locator('[data-status="met"]')).waitFor();
  expect(await done.getByTestId('pir-action-facts').textContent()).toContain('14 of 14 trained');
  await screenshot(support.page, '97-support-completes-pir-action');
  expect(support.errors).toEqual([]);
});

it('edits a review’s criteria in the designer’s node form', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/templates/${opsIntegratedDelivery.key}/edit`);
  await page.getByTestId('designer').waitFor();
  await page.getByTestId('rf__node-pir').click();
  await page.getByTestId('inspector-title').filter({ hasText: 'Post-implementation' }).waitFor();
  const texts = await Promise.all(
    pir.criteria!.map((_, i) => page.getByTestId(`field-criteria.${i}.text`).inputValue()),
  );
  expect(texts).toEqual(pir.criteria!.map((c) => c.text));
  await page.getByTestId('add-criteria').click();
  const added = pir.criteria!.length;
  await page.getByTestId(`field-criteria.${added}.text`).fill('Support costs within plan');
  await page
    .getByTestId('problems-count')
    .filter({ hasText: /^valid$/ })
    .waitFor();
  expect(await page.getByTestId('rf__node-pir').textContent()).toContain('1 must · 3 should');
  await screenshot(page, '98-review-criteria-in-node-form');
  expect(errors).toEqual([]);
});
