/**
 * Hypercare as a joint duty and feedback with a loop (issue 13, items 2 and 6), walked in
 * Chromium on the built-in template: the project manager (a joint owner of hypercare) sees a
 * frontline colleague's issue with its age and response time and takes it on; then answers
 * the colleague's feedback as acted on, and the item shows it.
 */
import { opsIntegratedDelivery } from '../../workflows/model';
import { advance, type Cast } from '../server/happy-path';
import { openPage, screenshot } from './support/browser';
import { demoCast, signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
let cast: Cast;
let pmo: string;
beforeAll(async () => {
  app = await startBrowserApp();
  pmo = app.demo['demo-pmo']!.token;
  cast = demoCast(app);
});
afterAll(async () => app?.stop());

it('lets the project manager take a frontline issue on and close feedback as acted on', async () => {
  const started = await app.stack.call('POST', '/api/projects', {
    token: pmo,
    body: {
      name: 'Tills (hypercare)',
      template: opsIntegratedDelivery.key,
      participants: Object.fromEntries(Object.entries(cast).map(([r, u]) => [r, [u.id]])),
    },
  });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  await advance(app.stack, cast, id, opsIntegratedDelivery, 'inception', 'hypercare');
  const frontline = cast.frontline!;
  const post = (path: string, body: unknown) =>
    app.stack.call('POST', `/api/projects/${id}${path}`, { token: frontline.token, body });
  expect((await post('/issues', { severity: 1, title: 'Tills freeze at noon' })).status).toBe(201);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, cast.pm!.token);
  await page.goto(`/#/projects/${id}`);
  const issue = page.locator('[data-testid="hypercare-issue"][data-issue-id="issue-1"]');
  await issue.waitFor();
  expect(await issue.getByTestId('issue-age').textContent()).toMatch(/open for \d+s/);
  expect(await issue.getByTestId('issue-respond-by').textContent()).toMatch(/response due in/);
  await issue.getByTestId('issue-acknowledge-submit').click();
  await issue.getByTestId('issue-age').filter({ hasText: 'taken on by Paul' }).waitFor();
  expect(await issue.getByTestId('issue-acknowledge-form').count()).toBe(0);
  await screenshot(page, '90-hypercare-issue-taken-on');

  expect((await post('/feedback', { kind: 'feedback', text: 'Receipts print twice' })).status).toBe(
    201,
  );
  await page.getByTestId('project-tab-feedback').click();
  const entry = page.getByTestId('feedback-entry').filter({ hasText: 'Receipts print twice' });
  await entry.getByTestId('feedback-answer-form').waitFor();
  await entry.getByTestId('feedback-answer-status').selectOption('acted_on');
  await entry.getByTestId('feedback-answer-text').fill('Printer driver updated');
  await entry.getByTestId('feedback-answer-submit').click();
  await entry.locator('[data-testid="feedback-status"][data-status="acted_on"]').waitFor();
  expect(await entry.getByTestId('feedback-status').textContent()).toContain(
    'Printer driver updated',
  );
  expect(await entry.getByTestId('feedback-answer-form').count()).toBe(0);
  await screenshot(page, '91-feedback-acted-on');
  expect(errors).toEqual([]);
});
