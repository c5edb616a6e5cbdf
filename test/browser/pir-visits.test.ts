/**
 * A post-implementation review the template loops back into, read in Chromium: once the
 * review is entered again, its step panel shows the decisions and follow-up actions of this
 * visit under a heading of their own, first, and the first visit's under "Visit 1", each with
 * its count, so a reader never takes the earlier visit's for this one's.
 */
import { pirLoopTemplate } from '../fixtures/loop-template';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const template = pirLoopTemplate();

it('shows a review entered again with its decisions and actions by visit', async () => {
  const { stack, demo, pmo } = app;
  const token = (user: string) => demo[user]!.token;
  const call = async (user: string, path: string, body: unknown, status = 201) => {
    const reply = await stack.call('POST', path, { token: token(user), body });
    expect([path, reply.status]).toEqual([path, status]);
    return reply.body as { id?: string };
  };
  expect(
    (
      await stack.call('PUT', `/api/templates/${template.key}/draft`, {
        token: pmo,
        body: template,
      })
    ).status,
  ).toBe(200);
  expect(
    (await stack.call('POST', `/api/templates/${template.key}/publish`, { token: pmo })).status,
  ).toBe(201);
  const started = await stack.call('POST', '/api/projects', {
    token: pmo,
    body: {
      name: 'Tills (PIR twice)',
      template: template.key,
      participants: {
        pm: ['demo-pm'],
        ops: ['demo-ops-manager'],
        steering: ['demo-steering'],
        support: ['demo-support'],
      },
    },
  });
  expect(started.status).toBe(201);
  const project = `/api/projects/${(started.body as { id: string }).id}`;
  const review = async (decisions: string[], action: string) => {
    for (const text of decisions) {
      await call('demo-steering', `${project}/nodes/pir/review-decisions`, { text });
    }
    const body = { text: action, due: 'P14D', owner: 'support' };
    await call('demo-steering', `${project}/nodes/pir/review-actions`, body);
  };
  const sign = (user: string, node: string, decision: string) =>
    call(user, `${project}/nodes/${node}/signoffs`, { decision }, 200);

  await review(['Roll out to region B', 'Keep the old tills a month'], 'Train the night shift');
  await sign('demo-steering', 'pir', 'go');
  await sign('demo-ops-manager', 'pir', 'go');
  await sign('demo-ops-manager', 'again', 'recycle');
  await review(['Retire the old tills'], 'Refresher for region B');

  const { page, errors } = await openPage(app.browser, stack.baseUrl);
  await signInWithToken(page, token('demo-steering'));
  await page.goto(`/#/${project.slice('/api/'.length)}?node=pir`);
  const view = page.getByTestId('pir-view');
  await view.getByTestId('pir-decision').first().waitFor();

  // Decisions: this visit's first, under a heading that says so; the first visit's below.
  const decisionVisits = view.getByTestId('pir-decision-visit');
  expect(await decisionVisits.getByTestId('pir-decision-visit-heading').allTextContents()).toEqual([
    'This visit (visit 2) · 1 decision',
    'Visit 1 · 2 decisions',
  ]);
  expect(await decisionVisits.first().getAttribute('data-latest')).toBe('true');
  expect(await decisionVisits.first().getByTestId('pir-decision').allTextContents()).toEqual([
    expect.stringContaining('Retire the old tills'),
  ]);
  const visitOne = view.locator('[data-testid="pir-decision-visit"][data-visit="1"]');
  expect(await visitOne.getByTestId('pir-decision').count()).toBe(2);
  expect(await visitOne.getByRole('listitem').count()).toBe(2);

  // Follow-up actions alike: the first visit's still open, under "Visit 1".
  const actionVisits = view.getByTestId('pir-action-visit');
  expect(await actionVisits.getByTestId('pir-action-visit-heading').allTextContents()).toEqual([
    'This visit (visit 2) · 1 action',
    'Visit 1 · 1 action',
  ]);
  expect(await actionVisits.nth(0).getByTestId('pir-action').getAttribute('data-action-id')).toBe(
    'pir-2-a2',
  );
  expect(await actionVisits.nth(1).getByTestId('pir-action').getAttribute('data-action-id')).toBe(
    'pir-1-a1',
  );
  // Headings a screen reader lists, not colour alone.
  expect(
    await view.getByRole('heading', { level: 4, name: /This visit \(visit 2\)/ }).count(),
  ).toBe(2);
  await screenshot(page, 'pir-entered-again-by-visit');
  expect(errors).toEqual([]);
});
