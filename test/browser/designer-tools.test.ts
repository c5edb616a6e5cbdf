/**
 * The designer's tools that had no browser test (issue 10): export to a JSON file and import
 * from one (errors listed before loading), undo and redo from the toolbar and the keyboard,
 * the keyboard shortcuts for delete, copy and paste (which keep out of form fields), and the
 * visual diff of two published versions; the problems list keeping the graph's problems while a
 * node name is over its length.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import { openPage, screenshot } from './support/browser';
import { signInWithToken, startBrowserApp, type BrowserApp } from './support/app';

const KEY = 'designer-tools';

let app: BrowserApp;
beforeAll(async () => {
  app = await startBrowserApp();
});
afterAll(async () => app?.stop());

const cards = (page: Page) => page.locator('.react-flow__node');
const card = (page: Page, id: string) => page.getByTestId(`rf__node-${id}`);

/** Opens the designer on a copy of the built-in under KEY, saved as a draft. */
async function openCopy(page: Page): Promise<Template> {
  const copy: Template = { ...opsIntegratedDelivery, key: KEY, name: 'Designer tools' };
  const saved = await app.stack.call('PUT', `/api/templates/${KEY}/draft`, {
    token: app.demo['demo-pmo']!.token,
    body: copy,
  });
  expect(saved.status).toBe(200);
  await page.goto(`/#/templates/${KEY}/edit`);
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  return copy;
}

it('exports the template to a file and imports one, errors listed before loading', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  const copy = await openCopy(page);

  // Export: a JSON file named after the key, holding the template as on the canvas.
  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${KEY}.json`);
  const exported = JSON.parse(await readFile(await file.path(), 'utf8')) as Template;
  const { layout: _layout, ...content } = exported;
  const { layout: _original, ...expected } = copy;
  expect(content).toEqual(expected);
  expect(Object.keys(exported.layout!).sort()).toEqual(copy.nodes.map((n) => n.id).sort());

  // Import: a file with a dangling edge lists its error before anything is loaded.
  const broken = {
    ...exported,
    name: 'Imported with a flaw',
    edges: [...exported.edges, { from: 'pilot', on: 'done', to: 'nowhere' }],
  };
  await page.getByTestId('import').click();
  await page.getByTestId('import-file').setInputFiles({
    name: 'flawed.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(broken)),
  });
  await page.getByTestId('import-errors').waitFor();
  expect(await page.getByTestId('import-errors').textContent()).toContain('nowhere');
  expect(await page.getByTestId('field-template.name').inputValue()).toBe('Designer tools');
  // Loaded anyway (a draft may be invalid): the problems panel names the edge.
  await page.getByTestId('import-load').click();
  await page
    .getByTestId('field-template.name')
    .and(page.locator('[value="Imported with a flaw"]'))
    .waitFor();
  await page
    .locator('[data-testid="problems-count"]')
    .filter({ hasNotText: /^valid$/ })
    .waitFor();
  expect(await page.getByTestId('problems-list').textContent()).toContain('nowhere');
  await screenshot(page, '80-designer-import');

  // Not JSON at all: refused outright, nothing to load.
  await page.getByTestId('import').click();
  await page.getByTestId('import-text').fill('{ "key": ');
  await page.getByTestId('import-error').filter({ hasText: 'not JSON' }).waitFor();
  expect(await page.getByTestId('import-load').isDisabled()).toBe(true);
  await page.getByTestId('import-cancel').click();
  expect(errors).toEqual([]);
});

it('undoes and redoes from the toolbar and the keyboard; shortcuts keep out of fields', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  const copy = await openCopy(page);
  const count = copy.nodes.length;
  await cards(page)
    .nth(count - 1)
    .waitFor();
  expect(await page.getByTestId('undo').isDisabled()).toBe(true);

  // Add a stage from the palette (keyboard: Enter on the palette item).
  await page.getByTestId('palette-stage').focus();
  await page.keyboard.press('Enter');
  await cards(page).nth(count).waitFor();
  expect(await page.getByTestId('undo').isEnabled()).toBe(true);

  // Undo and redo by the toolbar.
  await page.getByTestId('undo').click();
  await cards(page).nth(count).waitFor({ state: 'detached' });
  await page.getByTestId('redo').click();
  await cards(page).nth(count).waitFor();

  // … and by the keyboard: Ctrl+Z, Shift+Ctrl+Z, Ctrl+Y.
  await card(page, 'pilot').click();
  await page.keyboard.press('Control+z');
  await cards(page).nth(count).waitFor({ state: 'detached' });
  await page.keyboard.press('Shift+Control+z');
  await cards(page).nth(count).waitFor();
  await page.keyboard.press('Control+z');
  await cards(page).nth(count).waitFor({ state: 'detached' });
  await page.keyboard.press('Control+y');
  await cards(page).nth(count).waitFor();

  // Delete the selected card with the Delete key; its edges go with it; undo brings both back.
  await card(page, 'pilot').click();
  await page.getByTestId('inspector-title').filter({ hasText: 'Pilot' }).waitFor();
  await page.keyboard.press('Delete');
  await card(page, 'pilot').waitFor({ state: 'detached' });
  expect(await page.getByTestId('rf__edge-plan-approval~go').count()).toBe(0);
  await page.keyboard.press('Control+z');
  await card(page, 'pilot').waitFor();
  await page.getByTestId('rf__edge-plan-approval~go').waitFor();

  // Copy and paste a card: a copy under a new id, selected.
  await card(page, 'handoff').click();
  await page.keyboard.press('Control+c');
  await page.getByTestId('designer-status').filter({ hasText: 'Copied 1 node' }).waitFor();
  await page.keyboard.press('Control+v');
  await page.getByTestId('designer-status').filter({ hasText: 'Pasted 1 node' }).waitFor();
  const after = await cards(page).count();
  expect(after).toBe(count + 2);

  // In a form field the keys are the field's: Backspace edits the pasted card's name, deletes
  // no card.
  const name = page.getByTestId('field-name');
  const before = await name.inputValue();
  await name.click();
  await name.press('End');
  await name.press('Backspace');
  expect(await name.inputValue()).toBe(before.slice(0, -1));
  expect(await cards(page).count()).toBe(after);
  // Ctrl+Z in the field is the field's own undo, not the designer's.
  await name.press('Control+z');
  expect(await cards(page).count()).toBe(after);
  await screenshot(page, '81-designer-shortcuts');
  expect(errors).toEqual([]);
});

it('compares two published versions: added, changed and removed, in the summary and the graph', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  const token = app.demo['demo-pmo']!.token;
  await signInWithToken(page, token);
  const key = 'designer-diff';
  const v1: Template = { ...opsIntegratedDelivery, key, name: 'Diffed' };
  // v2: the pilot renamed, a notify step added before hypercare, the pilot review gone.
  const v2: Template = {
    ...v1,
    nodes: [
      ...v1.nodes
        .filter((n) => n.id !== 'pilot-review')
        .map((n) => (n.id === 'pilot' ? { ...n, name: 'Pilot with frontline users' } : n)),
      {
        id: 'tell-support',
        type: 'notify',
        name: 'Tell support',
        to: ['support'],
        message: 'Live',
      },
    ],
    edges: [
      ...v1.edges
        .filter((e) => e.from !== 'pilot-review' && e.to !== 'pilot-review' && e.from !== 'handoff')
        .concat([{ from: 'pilot', on: 'done', to: 'handoff' }]),
      { from: 'handoff', on: 'go', to: 'tell-support' },
      { from: 'handoff', on: 'recycle', to: 'pilot' },
      { from: 'handoff', on: 'kill', to: 'killed' },
      { from: 'tell-support', on: 'done', to: 'hypercare' },
    ],
    layout: { ...v1.layout, 'tell-support': { x: 1560, y: 180 } },
  };
  for (const version of [v1, v2]) {
    expect(
      (await app.stack.call('PUT', `/api/templates/${key}/draft`, { token, body: version })).status,
    ).toBe(200);
    expect((await app.stack.call('POST', `/api/templates/${key}/publish`, { token })).status).toBe(
      201,
    );
  }
  await page.goto(`/#/templates/${key}/edit`);
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  await page.getByTestId('tab-versions').click();
  await page.getByTestId('version-2').waitFor();
  await page.getByTestId('diff-a').selectOption('1');
  await page.getByTestId('diff-b').selectOption('2');
  await page.getByTestId('diff-compare').click();
  await page.locator('[data-testid="diff-graph"] [data-opened]').waitFor();

  const summary = page.getByTestId('diff-summary');
  expect(await summary.getByTestId('diff-node-pilot').getAttribute('data-status')).toBe('changed');
  expect(await summary.getByTestId('diff-node-pilot').textContent()).toContain('name');
  expect(await summary.getByTestId('diff-node-tell-support').getAttribute('data-status')).toBe(
    'added',
  );
  expect(await summary.getByTestId('diff-node-pilot-review').getAttribute('data-status')).toBe(
    'removed',
  );
  expect(await summary.getByTestId('diff-edge-pilot~done').getAttribute('data-status')).toBe(
    'changed',
  );
  // The merged graph marks the same nodes: removed ones still drawn, dashed.
  const graph = page.getByTestId('diff-graph');
  expect(await graph.locator('[data-testid="rf__node-pilot"] .gh-node.diff-changed').count()).toBe(
    1,
  );
  expect(
    await graph.locator('[data-testid="rf__node-tell-support"] .gh-node.diff-added').count(),
  ).toBe(1);
  expect(
    await graph.locator('[data-testid="rf__node-pilot-review"] .gh-node.diff-removed').count(),
  ).toBe(1);
  expect(await graph.locator('.react-flow__node').count()).toBe(v1.nodes.length + 1);
  await screenshot(page, '82-designer-diff');
  await page.getByTestId('diff-close').click();
  await page.getByTestId('diff-view').waitFor({ state: 'detached' });
  expect(errors).toEqual([]);
});

it('keeps listing the graph problems while a node name is over its length', async () => {
  const { page, errors } = await openPage(app.browser, app.stack.baseUrl);
  await signInWithToken(page, app.demo['demo-pmo']!.token);
  const key = `${KEY}-long-name`;
  const flawed: Template = {
    ...opsIntegratedDelivery,
    key,
    name: 'Long name',
    edges: [...opsIntegratedDelivery.edges, { from: 'pilot', on: 'done', to: 'nowhere' }],
  };
  const token = app.demo['demo-pmo']!.token;
  const saved = await app.stack.call('PUT', `/api/templates/${key}/draft`, { token, body: flawed });
  expect(saved.status).toBe(200);
  await page.goto(`/#/templates/${key}/edit`);
  await page.locator('[data-testid="canvas"][data-opened]').waitFor();
  const list = page.getByTestId('problems-list');
  await list.waitFor();
  const before = await list.locator('li').count();
  expect(before).toBeGreaterThan(0);
  expect(await list.textContent()).toContain('nowhere');

  // A name of 201 characters: its problem joins the list, and the graph's stay.
  await card(page, 'inception').click();
  await page.getByTestId('field-name').fill('x'.repeat(201));
  await list.locator('li').nth(before).waitFor();
  expect(await list.locator('li').count()).toBe(before + 1);
  expect(await list.textContent()).toContain('at most 200 characters');
  expect(await list.textContent()).toContain('nowhere');
  expect(await page.getByTestId('problems-count').textContent()).toBe(`${before + 1} problems`);
  await screenshot(page, '86-designer-long-name-problems');
  expect(errors).toEqual([]);
});
