/**
 * The PMO finds a project by name in the portfolio, shares the filtered view by its address
 * and takes the same list out as CSV for a steering report.
 */
import { eventually } from '../server/drive-http';
import { attributesOf, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('finds projects by name, keeps the search in the address and exports what it lists', async () => {
  const erp = await startDemoProject(app, 'ERP rollout, EMEA');
  const erpApac = await startDemoProject(app, 'erp upgrade APAC');
  await startDemoProject(app, 'CRM consolidation');

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  const rows = page.getByTestId('portfolio-row');
  await rows.nth(2).waitFor();
  await page.getByTestId('portfolio-search').fill('ERP');
  await page.waitForURL(/#\/portfolio\?q=ERP$/);
  await page.getByTestId('portfolio-row').nth(1).waitFor();
  const listed = () => attributesOf(rows, 'data-project-id');
  expect(await eventually('the matching rows', listed, (ids) => ids.length === 2)).toEqual([
    erpApac,
    erp,
  ]);
  await screenshot(page, '95-portfolio-search');

  // The address is the view: a reload (or a colleague following the link) lists the same.
  await page.reload();
  expect(await eventually('the matching rows', listed, (ids) => ids.length === 2)).toEqual([
    erpApac,
    erp,
  ]);
  expect(await page.getByTestId('portfolio-search').inputValue()).toBe('ERP');

  await page.getByTestId('portfolio-filter-status').selectOption('active');
  await page.waitForURL(/#\/portfolio\?status=active&q=ERP$/);
  const href = await page.getByTestId('portfolio-export').getAttribute('href');
  expect(href).toBe('/api/portfolio/export?status=active&q=ERP');
  // The download, as the signed-in browser fetches it (its session cookie).
  const csv = await page.evaluate(async (url) => {
    const response = await fetch(url);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      text: await response.text(),
    };
  }, href!);
  expect(csv.status).toBe(200);
  expect(csv.type).toBe('text/csv; charset=utf-8');
  const lines = csv.text.trim().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toMatch(
    new RegExp(
      `^${erpApac},erp upgrade APAC,ops-integrated-delivery,1,active,Inception,inception,`,
    ),
  );
  expect(lines[2]).toMatch(new RegExp(`^${erp},"ERP rollout, EMEA",`));

  // Nothing matches: the empty state says the filters are why.
  await page.getByTestId('portfolio-search').fill('warehouse');
  await page.getByText('No project matches these filters').waitFor();
  expect(errors).toEqual([]);
});

it('offers no export to someone who is not the PMO', async () => {
  const { page } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.cast.pm!.token);
  await page.getByTestId('portfolio-search').waitFor();
  expect(await page.getByTestId('portfolio-export').count()).toBe(0);
});
