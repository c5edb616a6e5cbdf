/**
 * The designer's readiness editor (issue 13 item 5) in Chromium: the PMO opens a template, adds
 * a readiness checklist to its go-live gate — affected groups with their ADKAR stage, roles to
 * train with the coverage each needs, the support model — sees a bad value flagged on its
 * field until it is put right, publishes, and the API answers the checklist as edited.
 */
import type { NodeOf, Template } from '../../workflows/model';
import { answerToClick, openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

let app: BrowserApp;
let pmo: string;
beforeAll(async () => {
  app = await startBrowserApp();
  pmo = app.demo['demo-pmo']!.token;
});
afterAll(async () => app?.stop());

const KEY = 'readiness-editor';
const template: Template = {
  schema: 'gatehouse/template@1',
  key: KEY,
  name: 'Go-live readiness',
  roles: [
    { key: 'pm', name: 'Project manager' },
    { key: 'ops', name: 'Operations', operations: true },
  ],
  start: 'build',
  nodes: [
    { id: 'build', type: 'stage', name: 'Build', owner: 'pm', deliverables: [] },
    {
      id: 'go-live',
      type: 'gate',
      name: 'Go-live',
      signoff: {
        rules: [
          { role: 'pm', min: 1 },
          { role: 'ops', min: 1 },
        ],
      },
      decisions: ['go', 'kill'],
    },
    { id: 'done', type: 'end', name: 'Done', result: 'completed' },
    { id: 'killed', type: 'end', name: 'Killed', result: 'killed' },
  ],
  edges: [
    { from: 'build', to: 'go-live', on: 'done' },
    { from: 'go-live', to: 'done', on: 'go' },
    { from: 'go-live', to: 'killed', on: 'kill' },
  ],
  // Placed: the designer lays out a template without positions once opened, which would
  // replace edits made before it is done.
  layout: {
    build: { x: 0, y: 0 },
    'go-live': { x: 300, y: 0 },
    done: { x: 600, y: 0 },
    killed: { x: 600, y: 180 },
  },
};

it('adds a readiness checklist to a gate, flags a bad value, publishes it and reads it back', async () => {
  const path = `/api/templates/${KEY}`;
  const draft = await app.stack.call('PUT', `${path}/draft`, { token: pmo, body: template });
  expect(draft.status).toBe(200);
  expect((await app.stack.call('POST', `${path}/publish`, { token: pmo })).status).toBe(201);

  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, pmo);
  await page.goto(`/#/templates/${KEY}/edit`);
  await page.getByTestId('designer').waitFor();
  await page
    .getByTestId('designer-status')
    .filter({ hasText: `Opened ${KEY}` })
    .waitFor();
  await page.getByTestId('rf__node-go-live').click();
  await page.getByTestId('inspector-title').filter({ hasText: 'Go-live' }).waitFor();
  const field = (rel: string) => page.getByTestId(`field-readiness.${rel}`);
  const valid = page.getByTestId('problems-count').filter({ hasText: /^valid$/ });

  // Two affected groups, each with the ADKAR stage it must reach (default: ability).
  await page.getByTestId('add-readiness.groups').click();
  await field('groups.0.name').fill('Frontline users');
  await field('groups.0.key').fill('frontline-users');
  await page.getByTestId('add-readiness.groups').click();
  await field('groups.1.name').fill('Support team');
  await field('groups.1.key').fill('support-team');
  expect(await field('groups.1.stage').inputValue()).toBe('ability');
  await field('groups.1.stage').selectOption('reinforcement');

  // Training coverage per role: 90 % for all unless a role needs its own (support: all).
  await page.getByTestId('add-readiness.training.roles').click();
  await field('training.roles.0.name').fill('Frontline users');
  await field('training.roles.0.key').fill('frontline-users');
  await page.getByTestId('add-readiness.training.roles').click();
  await field('training.roles.1.name').fill('Support agents');
  await field('training.roles.1.key').fill('support-agents');
  await field('training.roles.1.min').fill('100');
  expect(await field('training.min').inputValue()).toBe('90');
  await field('supportModel').check();
  await valid.waitFor();

  // Bad values are flagged on their own field: a coverage over 100 %, then a key listed twice.
  const invalid = (rel: string) => field(rel).and(page.locator('[aria-invalid="true"]'));
  const message = async (rel: string) =>
    page.locator(`[id="${await field(rel).getAttribute('aria-describedby')}"]`).textContent();
  await field('training.min').fill('150');
  await invalid('training.min').waitFor();
  expect(await message('training.min')).toMatch(/1/);
  await field('training.min').fill('90');
  await valid.waitFor();
  expect(await field('training.min').getAttribute('aria-invalid')).toBeNull();
  await field('groups.1.key').fill('frontline-users');
  await invalid('groups.1.key').waitFor();
  expect(await message('groups.1.key')).toContain(
    'readiness group "frontline-users" is listed twice',
  );
  await screenshot(page, '99-readiness-editor-errors');
  await field('groups.1.key').fill('support-team');
  await valid.waitFor();

  const published = await answerToClick(
    page,
    page.getByTestId('publish'),
    'POST',
    `${path}/publish`,
  );
  expect(published.status()).toBe(201);
  await page.getByTestId('designer-status').filter({ hasText: 'version 2' }).waitFor();
  expect(errors).toEqual([]);
  await page.close();

  const v2 = await app.stack.call('GET', `${path}/versions/2`, { token: pmo });
  expect(v2.status).toBe(200);
  const gate = (v2.body as { template: Template }).template.nodes.find(
    (n) => n.id === 'go-live',
  ) as NodeOf<'gate'>;
  expect(gate.readiness).toEqual({
    groups: [
      { key: 'frontline-users', name: 'Frontline users' },
      { key: 'support-team', name: 'Support team', stage: 'reinforcement' },
    ],
    training: {
      min: 0.9,
      roles: [
        { key: 'frontline-users', name: 'Frontline users' },
        { key: 'support-agents', name: 'Support agents', min: 1 },
      ],
    },
    supportModel: true,
  });
});
