/**
 * The prebuilt workflow bundle (worker/workflow-bundle.ts) is used only while it was made from
 * the worker's own workflow entry with the modules it must preload, every file it was made from is unchanged, no file appeared
 * where module resolution found none, and the SDK is the same; otherwise the worker bundles at
 * start and the
 * reason names what differs. Manifests are written by hand here (bundling takes seconds); the
 * image's own bundle is made and loaded by `npm run proof`.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { prebuiltBundle } from '../../worker/workflow-bundle';

const SDK = (
  JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as {
    version: string;
  }
).version;
let dir: string;
let source: string;

/** Why the worker would bundle at start (undefined: it would load the bundle). */
const reason = (from: string) => {
  const found = prebuiltBundle(from, source, []);
  return 'reason' in found ? found.reason : undefined;
};
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
function manifest(sdk: string, files: Record<string, string>, absent: string[] = []) {
  writeFileSync(path.join(dir, 'bundle.js'), '/* bundle */');
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ sdk, files, absent }));
}

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-bundle-'));
  source = path.join(dir, 'workflow.ts');
  writeFileSync(source, 'export const a = 1;\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('loads the bundle while its files and the SDK are as they were', () => {
  manifest(SDK, { 'workflow.ts': sha256(source) });
  expect(prebuiltBundle(dir, source, [])).toEqual({
    bundle: { codePath: path.join(dir, 'bundle.js') },
    files: 1,
  });
});

it('bundles at start when a file it was made from changed, naming the file', () => {
  manifest(SDK, { 'workflow.ts': sha256(source) });
  writeFileSync(source, 'export const a = 2;\n');
  expect(prebuiltBundle(dir, source, [])).toEqual({
    reason: `${source} changed since the prebuilt bundle was made`,
  });
});

it('bundles at start when a file it was made from is gone', () => {
  manifest(SDK, { 'workflow.ts': sha256(source), 'gone.ts': 'x' });
  expect(reason(dir)).toBe(
    `the prebuilt bundle was made from ${path.join(dir, 'gone.ts')}, which is gone`,
  );
});

it('bundles at start when the bundle was made from other workflows (another checkout)', () => {
  // Its files are unchanged where they were read, but they are not the worker's own.
  const other = path.join(dir, 'other-checkout', 'workflow.ts');
  mkdirSync(path.dirname(other));
  writeFileSync(other, 'export const a = 1;\n');
  manifest(SDK, { 'other-checkout/workflow.ts': sha256(other) });
  expect(prebuiltBundle(dir, other, [])).toHaveProperty('bundle');
  expect(reason(dir)).toBe(`the prebuilt bundle in ${dir} was not made from ${source}`);
});

it('bundles at start when the bundle does not preload a module it must (made before)', () => {
  const preload = path.join(dir, 'preload.ts');
  writeFileSync(preload, 'export const b = 1;\n');
  manifest(SDK, { 'workflow.ts': sha256(source) });
  expect(prebuiltBundle(dir, source, [preload])).toEqual({
    reason: `the prebuilt bundle in ${dir} does not preload ${preload}`,
  });
  manifest(SDK, { 'workflow.ts': sha256(source), 'preload.ts': sha256(preload) });
  expect(prebuiltBundle(dir, source, [preload])).toHaveProperty('bundle');
});

it('bundles at start when the bundle is of another SDK version', () => {
  manifest('0.0.1', { 'workflow.ts': sha256(source) });
  expect(reason(dir)).toBe(`the prebuilt bundle is of Temporal SDK 0.0.1, not ${SDK}`);
});

it('bundles at start when there is none', () => {
  expect(reason(path.join(dir, 'nothing'))).toMatch(/^no prebuilt bundle in /);
});

it('bundles at start when the manifest cannot be read, saying so', () => {
  writeFileSync(path.join(dir, 'manifest.json'), '{"sdk": ');
  expect(reason(dir)).toMatch(/^the prebuilt bundle's manifest in .* cannot be read: /);
});

it('bundles at start when a file appeared where resolution looked and found none', () => {
  // `import './workflow'` tried `workflow` before `workflow.ts`: a file there now wins.
  manifest(SDK, { 'workflow.ts': sha256(source) }, ['workflow', 'sub/index.ts']);
  expect(reason(dir)).toBeUndefined();
  writeFileSync(path.join(dir, 'workflow'), 'export const a = 3;\n');
  expect(reason(dir)).toBe(
    `${path.join(dir, 'workflow')} appeared since the prebuilt bundle was made, where it looked`,
  );
});

it('bundles at start when the manifest has no list of absent files (an older one)', () => {
  writeFileSync(path.join(dir, 'bundle.js'), '/* bundle */');
  const files = { 'workflow.ts': sha256(source) };
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ sdk: SDK, files }));
  expect(reason(dir)).toMatch(/^the prebuilt bundle's manifest in .* predates its list of absent/);
});
