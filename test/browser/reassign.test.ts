/**
 * Reassigning a participant's part in the web app. A participant is deactivated; on a phone
 * sized screen the PMO sees the project's banner, opens "Reassign…" on that part, is refused at
 * the field when the successor was deactivated meanwhile, then hands the part to an active
 * colleague with the keyboard: the state and the audit trail say so and the banner is gone. A
 * participant who is not PMO sees the banner without the control; the Manage dialog's form
 * reassigns any part, and lists the role's holder among the successors but not to be picked.
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { eventually, expectStatus } from '../server/drive-http';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const SEATS = {
  pm: ['demo-pm'],
  'ops-lead': ['demo-ops-lead'],
  'ops-manager': ['demo-ops-manager'],
  support: ['demo-support'],
  steering: ['demo-steering'],
};

async function createUser(name: string, email: string): Promise<{ id: string; token: string }> {
  const created = await app.stack.call('POST', '/api/users', {
    token: app.stack.adminToken,
    body: { name, email },
  });
  return expectStatus(created, 201, `create ${name}`).body as { id: string; token: string };
}

async function deactivate(userId: string): Promise<void> {
  const reply = await app.stack.call('PATCH', `/api/users/${userId}`, {
    token: app.stack.adminToken,
    body: { active: false },
  });
  expectStatus(reply, 200, `deactivate ${userId}`);
}

async function startWith(name: string, seats: Record<string, string[]>): Promise<string> {
  const started = await app.stack.call('POST', '/api/projects', {
    token: app.pmo,
    body: { name, template: builtin.key, version: 1, participants: seats },
  });
  return (expectStatus(started, 201, `start ${name}`).body as { id: string }).id;
}

/** Types `text` into the successor field and takes the match `userId` with Enter. */
async function pickSuccessor(page: Page, text: string, userId: string): Promise<void> {
  const field = page.getByTestId('reassign-to');
  await field.fill(text);
  await page
    .locator(
      `[data-testid="reassign-to-options"][data-query="${text}"] [data-testid="people-option"][data-user-id="${userId}"]`,
    )
    .waitFor();
  await field.press('Enter');
  await page.locator(`[data-testid="reassign-to-chips"] .chip[data-value="${userId}"]`).waitFor();
}

async function participants(id: string): Promise<Record<string, string[]>> {
  const reply = await app.stack.call('GET', `/api/projects/${id}`, { token: app.pmo });
  return (expectStatus(reply, 200, 'project').body as { participants: Record<string, string[]> })
    .participants;
}

it('reassigns a deactivated participant’s part from the banner, on a 375 px screen', async () => {
  const dana = await createUser('Dana Departed', 'dana.departed@example.test');
  const ravi = await createUser('Ravi Rao', 'ravi.rao@example.test');
  const ivo = await createUser('Ivo Interim', 'ivo.interim@example.test');
  const id = await startWith('Claims handover', { ...SEATS, 'ops-lead': [dana.id] });
  await deactivate(dana.id);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await page.setViewportSize({ width: 375, height: 812 });
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/projects/${id}`);
  const banner = page.getByTestId('inactive-participants');
  await banner.getByText('Dana Departed', { exact: false }).first().waitFor();
  await screenshot(page, '78-reassign-banner');
  await page
    .locator(`[data-testid="reassign-open"][data-user-id="${dana.id}"][data-role="ops-lead"]`)
    .click();
  const dialog = page.getByTestId('reassign-dialog');
  await dialog.getByTestId('reassign-form').waitFor();
  expect(await banner.textContent()).toContain('Dana Departed (Operations lead)');
  // Opened on that part, the leaving participant marked.
  expect(await dialog.getByTestId('reassign-role').inputValue()).toBe('ops-lead');
  const from = dialog.getByTestId('reassign-from');
  expect(await from.inputValue()).toBe(dana.id);
  expect(await from.locator('option:checked').textContent()).toBe('Dana Departed (deactivated)');
  // Labelled fields, all of the form on the screen's width.
  for (const name of [
    'Role',
    'Who leaves the role',
    'Who takes it over',
    'Reason (optional, in the audit trail)',
  ]) {
    expect(await dialog.getByLabel(name, { exact: true }).count()).toBe(1);
  }
  // On the phone's width: the dialog and the banner within it, nothing in the form scrolls sideways.
  const layout = await page.evaluate<{ dialog: number; banner: number; overflow: number }>(
    `(() => {
      const form = document.querySelector('[data-testid="reassign-form"]');
      const right = (testId) =>
        document.querySelector('[data-testid="' + testId + '"]').getBoundingClientRect().right;
      return {
        dialog: right('reassign-dialog'),
        banner: right('inactive-participants'),
        overflow: form.scrollWidth - form.clientWidth,
      };
    })()`,
  );
  expect(layout.dialog).toBeLessThanOrEqual(375);
  expect(layout.banner).toBeLessThanOrEqual(375);
  expect(layout.overflow).toBe(0);
  await screenshot(page, '79-reassign-dialog');

  // Ivo, picked while active, is deactivated before the PMO sends: refused at the field.
  await pickSuccessor(page, 'ivo', ivo.id);
  await deactivate(ivo.id);
  await dialog.getByTestId('reassign-submit').click();
  const fieldError = dialog.getByTestId('reassign-to-error');
  await fieldError.getByText('Ivo Interim is deactivated').waitFor();
  expect(await dialog.getByTestId('reassign-to').getAttribute('aria-invalid')).toBe('true');
  await screenshot(page, '80-reassign-refused');

  // With the keyboard: Backspace drops Ivo, Enter takes Ravi, Enter on the button sends.
  await dialog.getByTestId('reassign-to').press('Backspace');
  await pickSuccessor(page, 'ravi', ravi.id);
  expect(await fieldError.textContent()).toBe('');
  await dialog.getByTestId('reassign-reason').fill('Dana left the company');
  await dialog.getByTestId('reassign-submit').focus();
  await page.keyboard.press('Enter');
  await page
    .getByTestId('notice')
    .getByText('Dana Departed’s part as Operations lead is now Ravi Rao’s.')
    .waitFor();
  await banner.waitFor({ state: 'detached' });
  await screenshot(page, '81-reassign-done');

  expect((await participants(id))['ops-lead']).toEqual([ravi.id]);
  const audit = await eventually(
    'the reassignment in the audit trail',
    async () =>
      (await app.stack.call('GET', `/api/projects/${id}/audit`, { token: app.pmo })).body as {
        items: { action: string; reason?: string; detail?: unknown }[];
      },
    (trail) => trail.items.some((e) => e.action === 'participant.reassigned'),
  );
  expect(audit.items.find((e) => e.action === 'participant.reassigned')).toMatchObject({
    reason: 'Dana left the company',
    detail: { role: 'ops-lead', from: dana.id, to: ravi.id },
  });
  // Loaded afresh, the project asks for nothing more.
  await page.reload();
  await page.getByTestId('project-view').waitFor();
  await page.getByTestId('stream-status').and(page.locator('[data-state="live"]')).waitFor();
  expect(await banner.count()).toBe(0);
  expect(errors).toEqual([]);
});

it('shows a participant who is not PMO the banner without the control', async () => {
  const olaf = await createUser('Olaf Offboarded', 'olaf.offboarded@example.test');
  const id = await startWith('Billing handover', { ...SEATS, support: [olaf.id] });
  await deactivate(olaf.id);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pm']!.token);
  await page.goto(`/#/projects/${id}`);
  const banner = page.getByTestId('inactive-participants');
  await banner.getByText('the PMO has been asked to reassign their part').waitFor();
  expect(await banner.textContent()).toContain('Olaf Offboarded (Support lead)');
  expect(await page.getByTestId('reassign-open').count()).toBe(0);
  expect(await page.getByTestId('project-manage').count()).toBe(0);
  expect(await page.getByTestId('reassign-form').count()).toBe(0);
  expect(errors).toEqual([]);
});

it('reassigns any part from the Manage dialog', async () => {
  const sam = await createUser('Sam Successor', 'sam.successor@example.test');
  const id = await startWith('Payroll move', SEATS);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.pmo);
  await page.goto(`/#/projects/${id}`);
  await page.getByTestId('project-manage').click();
  const form = page.getByTestId('project-manage-dialog').getByTestId('reassign-form');
  await form.getByTestId('reassign-role').selectOption('support');
  expect(await form.getByTestId('reassign-from').inputValue()).toBe('demo-support');
  // Sofia holds the role already: listed, said why, not pickable (the API would refuse her).
  const field = form.getByTestId('reassign-to');
  await field.fill('sofia');
  const sofia = page.locator(
    '[data-testid="reassign-to-options"][data-query="sofia"] [data-testid="people-option"][data-user-id="demo-support"]',
  );
  await sofia.waitFor();
  expect(await sofia.getAttribute('aria-disabled')).toBe('true');
  expect(await sofia.textContent()).toContain('already holds this role');
  await field.press('Enter');
  await sofia.click({ force: true });
  expect(await form.locator('[data-testid="reassign-to-chips"] .chip').count()).toBe(0);
  await pickSuccessor(page, 'sam', sam.id);
  await form.getByTestId('reassign-submit').click();
  await page.getByTestId('notice').getByText('is now Sam Successor’s').waitFor();
  expect(await page.getByTestId('project-manage-dialog').isVisible()).toBe(false);
  expect((await participants(id)).support).toEqual([sam.id]);
  expect(errors).toEqual([]);
});
