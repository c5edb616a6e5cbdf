/**
 * Defects found walking the second half of the lifecycle as operations and approvers, pinned
 * where they were found: notifications in the inbox named their moments as ISO instants ("KPI
 * review #1 due 2026-12-06T02:09:33.054Z"), and a Conditional Go's condition showed its due
 * time as an ISO duration ("P30D").
 */
import { insertInboxItems } from '../../db/inbox';
import { opsIntegratedDelivery } from '../../workflows/model';
import { fullMarks, goPrerequisites, nodeOf } from '../workflows/drive';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, startDemoProject, type BrowserApp } from './support/app';

const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('names the moments of a notification in words, in the subject and its details', async () => {
  const projectId = await startDemoProject(app, 'Payroll rollout');
  // A KPI review as the workflow writes it (workflows/lifecycle/kpi-review.ts).
  const due = '2030-03-04T09:05:33.054Z';
  await insertInboxItems(
    app.stack.db,
    {
      key: `${projectId}:walk-1`,
      projectId,
      projectName: 'Payroll rollout',
      kind: 'kpi-review',
      nodeId: 'kpi-monitoring',
      recipients: ['demo-ops-manager'],
      subject: `Payroll rollout: KPI review #1 due ${due}`,
      text: `Review the KPIs of "KPI monitoring" by ${due}: record the period's values.`,
      at: Date.parse('2030-02-18T09:05:33.054Z'),
    },
    ['demo-ops-manager'],
  );
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-ops-manager']!.token);
  await page.goto('/#/inbox/notifications');
  const card = page.getByTestId('notification').filter({ hasText: 'KPI review #1' });
  await card.locator('summary').click();
  const shown = await card.innerText();
  expect(shown).not.toMatch(ISO_INSTANT);
  // The reader's own clock (the browser's time zone), as every other date of the app.
  const inWords = await page.evaluate(
    `new Date(${Date.parse(due)}).toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })`,
  );
  expect(shown).toContain(`Payroll rollout: KPI review #1 due ${String(inWords)}`);
  expect(shown).toContain(`Review the KPIs of "KPI monitoring" by ${String(inWords)}:`);
  await screenshot(page, 'ops-walk-notification-in-words');
  expect(errors).toEqual([]);
});

it('shows a Conditional Go condition due in words on the gate', async () => {
  const projectId = await startDemoProject(app, 'Conditional rollout');
  const template = opsIntegratedDelivery;
  const inception = nodeOf(template, 'inception');
  const call = async (token: string, path: string, body: unknown) => {
    const reply = await app.stack.call('POST', `/api/projects/${projectId}${path}`, {
      token,
      body,
    });
    if (reply.status !== 200) throw new Error(`${path}: ${reply.status}`);
  };
  const pm = app.cast.pm!.token;
  for (const d of inception.type === 'gate' ? (inception.deliverables ?? []) : []) {
    if (d.required) await call(pm, `/nodes/inception/deliverables/${d.id}`, { text: d.name });
  }
  for (const step of goPrerequisites(template, 'inception')) {
    await call(app.cast[step.role]!.token, step.path, step.body);
  }
  await call(pm, '/nodes/inception/signoffs', {
    decision: 'go',
    criteria: fullMarks(inception),
    conditions: [{ text: 'Runbook reviewed by the night shift', due: 'P30D', owner: 'ops-lead' }],
  });
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-ops-lead']!.token);
  await page.goto(`/#/projects/${projectId}?node=inception`);
  const condition = page.getByText('condition: Runbook reviewed by the night shift');
  await condition.waitFor();
  expect(await condition.innerText()).toBe(
    'condition: Runbook reviewed by the night shift (Operations lead, due within 30 days)',
  );
  await screenshot(page, 'ops-walk-condition-in-words');
  expect(errors).toEqual([]);
});
