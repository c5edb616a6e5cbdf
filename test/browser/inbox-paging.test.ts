/**
 * The to-do list pages (issue 12), in Chromium: an approver with more to do than one page
 * (50) sees the first page, counted "50+" in the tab and the navigation, and loads the rest
 * with "Load more", in due order.
 */
import { TEMPLATE_SCHEMA, type Template } from '../../workflows/model';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** One gate the operations lead signs, due a day after it opens. */
const CHECK: Template = {
  schema: TEMPLATE_SCHEMA,
  key: 'inbox-paging-check',
  name: 'Paging check',
  roles: [{ key: 'ops-lead', name: 'Operations lead', operations: true }],
  start: 'check',
  nodes: [
    {
      id: 'check',
      type: 'gate',
      name: 'Check',
      signoff: { rules: [{ role: 'ops-lead', min: 1 }] },
      decisions: ['go'],
      sla: { due: 'P1D' },
    },
    { id: 'done', type: 'end', name: 'Done', result: 'completed' },
  ],
  edges: [{ from: 'check', on: 'go', to: 'done' }],
};

const PROJECTS = 53;

it('shows the first 50 to-dos and loads the rest on demand', async () => {
  const { stack, demo } = app;
  const pmo = demo['demo-pmo']!.token;
  const put = await stack.call('PUT', `/api/templates/${CHECK.key}/draft`, {
    token: pmo,
    body: CHECK,
  });
  expect(put.status).toBe(200);
  expect(
    (await stack.call('POST', `/api/templates/${CHECK.key}/publish`, { token: pmo })).status,
  ).toBe(201);
  for (let i = 1; i <= PROJECTS; i += 1) {
    const started = await stack.call('POST', '/api/projects', {
      token: pmo,
      body: {
        name: `Check ${String(i).padStart(2, '0')}`,
        template: CHECK.key,
        participants: { 'ops-lead': ['demo-ops-lead'] },
      },
    });
    expect(started.status).toBe(201);
  }

  // The worker has recorded every start (each notifies the approver): the page reads a read
  // model at rest, and no workflow task is left in flight when the stack stops.
  const olga = demo['demo-ops-lead']!.token;
  for (let waited = 0; ; waited += 250) {
    const summary = await stack.call('GET', '/api/inbox/summary', { token: olga });
    if ((summary.body as { total: number }).total >= PROJECTS) break;
    if (waited > 60_000) throw new Error('the worker did not record every start in a minute');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }

  const { page } = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(page, demo['demo-ops-lead']!.token);
  await page
    .getByTestId('nav-inbox-count')
    .filter({ hasText: /^\D*50\+$/ })
    .waitFor();
  await page.getByTestId('nav-inbox').click();
  await page.getByTestId('inbox-tab-actions').filter({ hasText: 'To do (50+)' }).waitFor();
  const items = page.getByTestId('inbox-items').locator(':scope > li');
  expect(await items.count()).toBe(50);
  await screenshot(page, '46-inbox-first-page');

  await page.getByTestId('inbox-load-more').click();
  await page
    .getByTestId('inbox-tab-actions')
    .filter({ hasText: `To do (${PROJECTS})` })
    .waitFor();
  expect(await items.count()).toBe(PROJECTS);
  await page.getByTestId('inbox-load-more').waitFor({ state: 'detached' });
  // In the API's order (due first), across the two pages.
  const api = await stack.call('GET', '/api/inbox?limit=200', { token: olga });
  const expected = (api.body as { items: { projectName: string }[] }).items.map(
    (i) => i.projectName,
  );
  const names = await page.getByTestId('inbox-items').locator(':scope > li').allTextContents();
  expect(names.map((text) => /Check \d\d/.exec(text)?.[0])).toEqual(expected);
});
