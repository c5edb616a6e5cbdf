/**
 * Issue 10, item 2: the built-in template opens with every card readable, without a click, in
 * the designer, the simulation, the version diff and the project view (its one long row is
 * folded into rows); a template too large to show whole opens readable on its start node.
 * Readable is measured as painted: a card's text size times the graph's zoom.
 */
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';
import { openingsIn, readCards, recordOpenings, unreadable } from './support/readability';

const KEY = opsIntegratedDelivery.key;

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

/**
 * Waits until the graph in the element of `testId` has opened its view, then reads its cards.
 * Each card was in view the moment the graph said it was open, not only a moment later.
 */
async function openedCards(page: Page, testId: string, count: number) {
  const pane = `[data-testid="${testId}"]`;
  const opened = page.locator(`${pane}[data-opened], ${pane} [data-opened]`).first();
  await opened.waitFor();
  // (This template opens fitted: every card in view.)
  const openings = await openingsIn(page, testId);
  expect(openings.length).toBeGreaterThan(0);
  expect(openings.map((o) => `${o.kind}: ${o.outside.join()}`)).toEqual(
    openings.map(() => 'fit: '),
  );
  const cards = await readCards(page, pane);
  expect(cards).toHaveLength(count);
  // How it opened and in what pane, so that a card found outside says why.
  const how = `${await opened.getAttribute('data-opened')} in ${JSON.stringify(await opened.boundingBox())}`;
  return cards.map((c) => (c.inside ? c : { ...c, id: `${c.id} (opened ${how})` }));
}

it('opens the built-in template readable in the designer, simulation, diff and project view', async () => {
  const { stack, demo } = app;
  const { page, errors } = await openPage(app.browser, stack.baseUrl);
  await recordOpenings(page);
  await signInWithToken(page, demo['demo-pmo']!.token);
  const nodes = opsIntegratedDelivery.nodes.length;

  // A second version of the built-in, published over the API, for the diff.
  const pmo = demo['demo-pmo']!.token;
  const v2: Template = {
    ...opsIntegratedDelivery,
    nodes: opsIntegratedDelivery.nodes.map((n) =>
      n.id === 'pilot' ? { ...n, name: 'Pilot with frontline users' } : n,
    ),
  };
  expect(
    (await stack.call('PUT', `/api/templates/${KEY}/draft`, { token: pmo, body: v2 })).status,
  ).toBe(200);
  expect((await stack.call('POST', `/api/templates/${KEY}/publish`, { token: pmo })).status).toBe(
    201,
  );

  // The designer: the one long row of the stored layout opens folded into rows.
  await page.goto(`/#/templates/${KEY}/edit`);
  const designer = await openedCards(page, 'designer', nodes);
  await screenshot(page, '30-readable-designer');
  expect(unreadable(designer)).toEqual([]);
  // Only arranged to be shown: opening it left nothing unsaved.
  expect(await page.getByTestId('dirty-state').textContent()).not.toMatch(/unsaved/i);

  // The version diff, v1 → v2.
  await page.getByTestId('tab-versions').click();
  await page.getByTestId('version-2').waitFor();
  await page.getByTestId('diff-a').selectOption('1');
  await page.getByTestId('diff-b').selectOption('2');
  await page.getByTestId('diff-compare').click();
  const diff = await openedCards(page, 'diff-graph', nodes);
  await screenshot(page, '31-readable-diff');
  expect(unreadable(diff)).toEqual([]);
  await page.getByTestId('diff-close').click();

  // The simulation.
  await page.goto(`/#/templates/${KEY}/simulate`);
  const simulation = await openedCards(page, 'sim-graph', nodes);
  await screenshot(page, '32-readable-simulation');
  expect(unreadable(simulation)).toEqual([]);

  // The project view of a project on it.
  const started = await stack.call('POST', '/api/projects', {
    token: pmo,
    body: {
      name: 'Readable rollout',
      template: KEY,
      participants: {
        pm: ['demo-pm'],
        'ops-lead': ['demo-ops-lead'],
        'ops-manager': ['demo-ops-manager'],
        support: ['demo-support'],
        steering: ['demo-steering'],
      },
    },
  });
  expect(started.status).toBe(201);
  await page.goto(`/#/projects/${started.body.id}`);
  const project = await openedCards(page, 'project-graph', nodes);
  await screenshot(page, '33-readable-project');
  expect(unreadable(project)).toEqual([]);

  expect(errors).toEqual([]);
});

it('opens a template too large to show whole on its start node, readable', async () => {
  const { stack, demo } = app;
  const pmo = demo['demo-pmo']!.token;
  // 32 stages in a chain: no fold shows them all readably.
  const count = 32;
  const ids = Array.from({ length: count }, (_, i) => `step-${i + 1}`);
  const big: Template = {
    schema: opsIntegratedDelivery.schema,
    key: 'readable-long-chain',
    name: 'A long chain',
    roles: [{ key: 'ops', name: 'Operations', operations: true }],
    start: ids[0]!,
    nodes: [
      ...ids.map((id, i) => ({
        id,
        type: 'stage' as const,
        name: `Step ${i + 1}`,
        owner: 'ops',
        deliverables: [],
      })),
      { id: 'done', type: 'end' as const, name: 'Done', result: 'completed' as const },
    ],
    edges: [...ids, 'done'].slice(1).map((to, i) => ({ from: ids[i]!, to, on: 'done' as const })),
    layout: Object.fromEntries([...ids, 'done'].map((id, i) => [id, { x: i * 260, y: 0 }])),
  };
  expect(
    (await stack.call('PUT', `/api/templates/${big.key}/draft`, { token: pmo, body: big })).status,
  ).toBe(200);

  const { page, errors } = await openPage(app.browser, stack.baseUrl);
  await recordOpenings(page);
  await signInWithToken(page, pmo);
  await page.goto(`/#/templates/${big.key}/edit`);
  await page.locator('[data-testid="canvas"][data-opened="focus"]').waitFor();
  // The start card was in view the moment the graph said it was open.
  const openings = await openingsIn(page, 'designer');
  expect(openings.map((o) => `${o.kind}: ${o.outside.includes('step-1')}`)).toEqual([
    'focus: false',
  ]);
  const cards = await readCards(page, '[data-testid="designer"]');
  const start = cards.find((c) => c.id === 'step-1')!;
  expect(unreadable([start])).toEqual([]);
  // Readable, so not all of it: the rest is a pan or a "fit view" away.
  expect(cards.filter((c) => c.inside).length).toBeLessThan(count);
  expect(unreadable(cards.filter((c) => c.inside))).toEqual([]);
  await screenshot(page, '34-readable-large');
  expect(errors).toEqual([]);
});
