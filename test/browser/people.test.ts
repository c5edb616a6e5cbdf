/**
 * Issue 10, item 3: people, not ids. A PMO (not a demo user) starts a project picking every
 * participant by name or e-mail from the directory — a deactivated colleague is listed but
 * cannot be picked — and then the project page, its timeline and its audit trail name
 * everyone, also for a participant who may not search the directory.
 */
import type { Page } from 'playwright-core';
import { expectDescription, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/** Types `text` into a role's picker and waits for `userId` among the matches for it. */
async function search(page: Page, role: string, text: string, userId: string) {
  await page.getByTestId(`start-role-${role}`).fill(text);
  const option = page.locator(
    `[data-testid="start-role-${role}-options"][data-query="${text}"] [data-testid="people-option"][data-user-id="${userId}"]`,
  );
  await option.waitFor();
  return option;
}

const chip = (page: Page, role: string, userId: string) =>
  page.locator(`[data-testid="start-role-${role}-chips"] .chip[data-value="${userId}"]`);

it('picks participants by name, and names everyone on the project for everyone', async () => {
  const { stack } = app;
  const admin = stack.adminToken;
  const create = async (name: string, email: string, pmo = false) => {
    const created = await stack.call('POST', '/api/users', {
      token: admin,
      body: { name, email, pmo },
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; token: string };
  };
  const nina = await create('Nina Novak', 'nina.novak@example.test', true);
  const ravi = await create('Ravi Rao', 'ravi.rao@example.test');
  const dana = await create('Dana Deactivated', 'dana@example.test');
  await stack.db
    .updateTable('users')
    .set({ deactivated_at: Date.now() })
    .where('id', '=', dana.id)
    .execute();

  const { page, errors } = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(page, nina.token);
  await page.getByTestId('start-project-button').click();
  // "Start project" says why it cannot be pressed yet, beside it (aria-describedby).
  const start = page.getByTestId('start-submit');
  await page.getByTestId('start-dialog').waitFor();
  expect(await start.isDisabled()).toBe(true);
  await expectDescription(start, 'Name the project and choose a template first.');
  await page.getByTestId('start-name').fill('Claims portal');
  await expectDescription(start, 'Choose a template first.');
  await page.getByTestId('start-template').selectOption('ops-integrated-delivery');
  await expectDescription(start, null);
  expect(await start.isDisabled()).toBe(false);

  // By name, with the keyboard, typing on without waiting: Enter takes the first match for
  // what was typed once the directory answers.
  await page.getByTestId('start-role-pm').fill('ravi');
  await page.getByTestId('start-role-pm').press('Enter');
  await chip(page, 'pm', ravi.id).filter({ hasText: 'Ravi Rao' }).waitFor();

  // A deactivated colleague is listed but cannot be picked.
  const deactivated = await search(page, 'ops-lead', 'dana', dana.id);
  expect(await deactivated.getAttribute('aria-disabled')).toBe('true');
  await page.getByTestId('start-role-ops-lead').press('Enter');
  await deactivated.click({ force: true });
  expect(await chip(page, 'ops-lead', dana.id).count()).toBe(0);

  // By e-mail, with the mouse; the demo users who play the role are marked so.
  const olga = await search(page, 'ops-lead', 'demo-ops-lead@', 'demo-ops-lead');
  expect(await olga.textContent()).toContain('plays Operations lead');
  await olga.click();
  await chip(page, 'ops-lead', 'demo-ops-lead')
    .filter({ hasText: 'Olga Operations Lead' })
    .waitFor();
  for (const [role, text, user] of [
    ['ops-manager', 'omar', 'demo-ops-manager'],
    ['support', 'sofia support', 'demo-support'],
    ['steering', 'Stefan', 'demo-steering'],
  ] as const) {
    await (await search(page, role, text, user)).click();
    await chip(page, role, user).waitFor();
  }
  // No id typed anywhere, none shown.
  expect(await page.getByTestId('start-participants').textContent()).not.toMatch(/demo-/);
  await screenshot(page, '50-people-picker');
  await page.getByTestId('start-submit').click();

  // The project names its starter; the timeline and the audit trail name everyone.
  const view = page.getByTestId('project-view');
  await view.waitFor();
  const id = (await view.getAttribute('data-project-id'))!;
  await page.getByText('started by Nina Novak').waitFor();
  await page.getByTestId('project-tab-activity').click();
  const started = page.locator('[data-testid="audit-row"][data-action="project.started"]');
  // Read once the project's people are in: until then a name shows as '…' (and an id in the
  // row's detail), and the audit trail may well answer before them.
  await started.filter({ hasText: 'Project manager: Ravi Rao' }).waitFor();
  const line = (await started.textContent())!;
  expect(line).toContain('Nina Novak');
  expect(line).toContain('Project manager: Ravi Rao');
  expect(line).toContain('Operations lead: Olga Operations Lead');
  expect(line).not.toContain(nina.id);
  expect(line).not.toContain(ravi.id);
  await screenshot(page, '51-people-audit');

  // Ravi, a participant who may not search the directory, sees the same names.
  const other = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(other.page, ravi.token);
  await other.page.goto(`/#/projects/${id}`);
  await other.page.getByText('started by Nina Novak').waitFor();
  await other.page.getByTestId('project-tab-activity').click();
  const timeline = other.page.getByTestId('timeline');
  await timeline.getByText('Nina Novak', { exact: false }).first().waitFor();
  expect(await timeline.textContent()).not.toContain(nina.id);
  await screenshot(other.page, '52-people-participant');

  expect([...errors, ...other.errors]).toEqual([]);
});
