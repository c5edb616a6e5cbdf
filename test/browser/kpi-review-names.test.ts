/**
 * The Benefits tab names who did each KPI review (it showed their user id), and for whom when
 * a stand-in did it: the review done over the API, read on the project page in Chromium.
 */
import { standInTemplate as template } from '../fixtures/kpi-stand-in';
import { eventually, expectStatus, startProject } from '../server/drive-http';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
  const pmo = { token: app.pmo };
  const saved = await app.stack.call('PUT', `/api/templates/${template.key}/draft`, {
    ...pmo,
    body: template,
  });
  expectStatus(saved, 200, 'draft');
  expectStatus(
    await app.stack.call('POST', `/api/templates/${template.key}/publish`, pmo),
    201,
    'publish',
  );
});
afterAll(async () => app?.stop());

it('names the reviewer of a done KPI review on the Benefits tab', async () => {
  const omar = app.demo['demo-ops-manager']!;
  const id = await startProject(app.stack, { token: app.pmo }, 'Service desk KPIs', {
    template: template.key,
    participants: { pm: ['demo-pm'], ops: [omar.id] },
  });
  const path = `/api/projects/${id}/nodes/monitor/kpi-reviews`;
  // The first review opens 2 s after the start.
  await eventually(
    'the first review done',
    () =>
      app.stack.call('POST', path, {
        token: omar.token,
        body: { values: { adoption: 85 }, decision: 'keep' },
      }),
    (reply) => reply.status === 201,
  );

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pm']!.token);
  await page.goto(`/#/projects/${id}/benefits`);
  const by = page.locator(
    '[data-testid="kpi-reviews"] [data-review="1"] [data-testid="kpi-review-by"]',
  );
  // Named once the project's people are in ('…' until then).
  await by.filter({ hasNotText: '…' }).waitFor();
  expect(await by.textContent()).toBe('keep by Omar Operations Manager');
  expect(await by.getAttribute('data-by')).toBe(omar.id);
  await screenshot(page, 'kpi-review-by-name');
  expect(errors).toEqual([]);
});
