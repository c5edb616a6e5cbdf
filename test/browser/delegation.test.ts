/**
 * Issue 10, item 6: out of office. A project manager (not a PMO: no directory) delegates one
 * project to a colleague they work with, picked by name; the colleague finds the sign-off in
 * their to-do list marked "for" the manager and signs it; the vote is the manager's, cast by
 * the colleague, and the audit trail says so.
 */
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { fullMarks, nodeOf } from '../workflows/drive';
import { answerToClick, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

it('delegates a project while away, and the delegate signs for the manager', async () => {
  const { stack, demo } = app;
  const created = await stack.call('POST', '/api/users', {
    token: stack.adminToken,
    body: { name: 'Dora Deputy', email: 'dora.deputy@example.test' },
  });
  expect(created.status).toBe(201);
  const dora = created.body as { id: string; token: string };
  const started = await stack.call('POST', '/api/projects', {
    token: demo['demo-pmo']!.token,
    body: {
      name: 'Claims portal',
      template: builtin.key,
      version: 1,
      participants: {
        pm: ['demo-pm'],
        'ops-lead': ['demo-ops-lead'],
        'ops-manager': [dora.id],
        support: ['demo-support'],
        steering: ['demo-steering'],
      },
    },
  });
  expect(started.status).toBe(201);
  const id = (started.body as { id: string }).id;
  const inception = nodeOf(builtin, 'inception');
  for (const d of inception.type === 'gate' ? (inception.deliverables ?? []) : []) {
    const path = `/api/projects/${id}/nodes/inception/deliverables/${d.id}`;
    const body = { text: d.name };
    expect((await stack.call('POST', path, { token: demo['demo-pm']!.token, body })).status).toBe(
      200,
    );
  }

  // Operations agree the project's metrics: the inception gate waits for that before a go.
  const agree = { token: demo['demo-ops-lead']!.token, body: {} };
  expect((await stack.call('POST', `/api/projects/${id}/metrics/agree`, agree)).status).toBe(200);

  // Paul, out next week, hands this project to Dora, found by name among his colleagues.
  const { page, errors } = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(page, demo['demo-pm']!.token);
  await page.goto('/#/inbox/away');
  const form = page.getByTestId('delegate-form');
  await form.waitFor();
  await form.getByTestId('delegate-to').fill('dora');
  await page
    .locator(
      `[data-testid="delegate-to-options"][data-query="dora"] [data-testid="people-option"][data-user-id="${dora.id}"]`,
    )
    .click();
  await form
    .locator(`[data-testid="delegate-to-chips"] .chip[data-value="${dora.id}"]`)
    .filter({ hasText: 'Dora Deputy' })
    .waitFor();
  await form.getByTestId('delegate-project').selectOption(id);
  await form.getByTestId('delegate-submit').click();
  const given = page.locator('[data-testid="delegations-given"] [data-testid="delegation"]');
  await given.filter({ hasText: 'to Dora Deputy' }).filter({ hasText: 'Claims portal' }).waitFor();
  expect(await given.first().getAttribute('data-status')).toBe('active');
  await screenshot(page, '70-delegate-form');

  // Dora sees Paul's sign-off, for Paul, and signs it.
  const deputy = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(deputy.page, dora.token);
  await deputy.page.getByTestId('nav-inbox').click();
  const item = deputy.page.locator(
    `[data-testid="inbox-item"][data-action="signoff"][data-project-id="${id}"][data-on-behalf-of="demo-pm"]`,
  );
  expect(await item.getByTestId('inbox-item-for').textContent()).toBe('for Paul Project Manager');
  await item.getByTestId('inbox-item-toggle').click();
  const signoff = item.getByTestId('signoff-form');
  await signoff.getByTestId('signoff-for').waitFor();
  for (const [criterion, value] of Object.entries(fullMarks(inception))) {
    const field = signoff.getByTestId(`signoff-criterion-${criterion}`);
    if (value === true) await field.check();
    else await field.fill(String(value));
  }
  await screenshot(deputy.page, '71-delegate-signs');
  const sent = await answerToClick(
    deputy.page,
    signoff.getByTestId('signoff-submit'),
    'POST',
    '/nodes/inception/signoffs',
  );
  expect(sent.status()).toBe(200);
  // The card says so until the live inbox reloads without it; the stream may win that race.
  await Promise.any([
    item.getByRole('status').filter({ hasText: 'for Paul Project Manager' }).waitFor(),
    item.waitFor({ state: 'detached' }),
  ]);

  // The project page shows the vote as Paul's, cast by Dora, and the trail says so in words.
  await deputy.page.goto(`/#/projects/${id}?node=inception`);
  await deputy.page
    .getByTestId('vote-by')
    .filter({ hasText: 'signed for them by Dora Deputy' })
    .waitFor();
  await deputy.page.getByTestId('project-tab-activity').click();
  const line = deputy.page.locator('[data-testid="audit-row"][data-action="signoff"]');
  await line.filter({ hasText: 'for Paul Project Manager' }).waitFor();
  expect(await line.textContent()).toContain('Dora Deputy');
  await screenshot(deputy.page, '72-delegate-audit');

  // The vote is Paul's, cast by Dora; the audit trail names both.
  const state = await stack.call('GET', `/api/projects/${id}`, { token: demo['demo-pmo']!.token });
  expect(state.body.nodes.inception.votes).toEqual([
    expect.objectContaining({ userId: 'demo-pm', by: dora.id, role: 'pm' }),
  ]);
  const audit = await stack.call('GET', `/api/projects/${id}/audit`, {
    token: demo['demo-pmo']!.token,
  });
  expect(
    (audit.body.items as { action: string; actor: string; detail?: { onBehalfOf?: string } }[])
      .filter((e) => e.action === 'signoff')
      .map((e) => [e.actor, e.detail?.onBehalfOf]),
  ).toEqual([[dora.id, 'demo-pm']]);

  expect([...errors, ...deputy.errors]).toEqual([]);
});
