/**
 * Jest global setup: one Temporal dev server and one workflow bundle for the whole run.
 * Bundling per test file costs seconds each on a 2-core machine, so it happens once here and
 * workers load it with `workflowBundle: { codePath }`. Test files find both through the
 * environment variables in ./env (jest forks its workers after this runs, so they inherit them).
 * The bundle is made as `npm run workflows:bundle` makes it, with its manifest, in a temporary
 * folder (not the checkout's dist/workflows): WORKFLOW_BUNDLE_DIR points the worker processes
 * tests start (`gatehouse worker`, `npm start`) at it, so they load it as the image's workers
 * load theirs instead of each running webpack. A test that must see a start bundle unsets it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EphemeralServerExecutable } from '@temporalio/testing';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_OPTIONS, writeWorkflowBundle } from '../../worker/workflow-bundle';
import { TEST_ENV } from './env';

/**
 * The workflow entry that gets bundled. GATEHOUSE_TEST_WORKFLOWS_PATH exists only to try the
 * harness against other workflow code; the suite always runs against ours.
 */
const WORKFLOWS_PATH =
  process.env.GATEHOUSE_TEST_WORKFLOWS_PATH ?? path.resolve(__dirname, '../../workflows');
const NAMESPACE = 'default';

interface RunState {
  server?: TestWorkflowEnvironment;
  tmpDir?: string;
}
// Global setup and teardown share the jest parent process (not a module registry): keep the
// handles on globalThis under one key.
const STATE_KEY = Symbol.for('gatehouse.test.globalState');
const store = globalThis as typeof globalThis & { [STATE_KEY]?: RunState };

async function executable(): Promise<EphemeralServerExecutable> {
  // Plain JS shared with `npm test`; a dynamic import keeps one implementation of SPEC §5.
  const { resolveTemporalCli } = await import('../../scripts/temporal-cli.mjs');
  const cli = resolveTemporalCli();
  return cli.path ? { type: 'existing-path', path: cli.path } : { type: 'cached-download' };
}

async function startServer(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    // No port: the SDK binds a free one, so parallel runs on one machine do not collide.
    server: { executable: await executable(), ip: '127.0.0.1', namespace: NAMESPACE },
  });
}

/** The product's bundle in `dir`; its code is the tests' too unless they bring other workflows. */
async function bundle(tmpDir: string, dir: string): Promise<string> {
  const logger = new DefaultLogger('WARN');
  const { codePath } = await writeWorkflowBundle(dir, logger);
  if (require.resolve(WORKFLOWS_PATH) === require.resolve('../../workflows')) return codePath;
  const { code } = await bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    workflowsPath: require.resolve(WORKFLOWS_PATH),
    logger,
  });
  const otherPath = path.join(tmpDir, 'workflow-bundle.js');
  await writeFile(otherPath, code);
  return otherPath;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const state: RunState = {};
  store[STATE_KEY] = state;
  state.tmpDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-test-'));
  // Independent and both slow: start the server while webpack bundles.
  const serverStart = startServer();
  try {
    const productDir = path.join(state.tmpDir, 'workflows');
    const [server, codePath] = await Promise.all([serverStart, bundle(state.tmpDir, productDir)]);
    state.server = server;
    process.env[TEST_ENV.address] = server.address;
    process.env[TEST_ENV.namespace] = NAMESPACE;
    process.env[TEST_ENV.workflowBundle] = codePath;
    process.env.WORKFLOW_BUNDLE_DIR = productDir;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`\nTemporal dev server at ${server.address}, workflow bundle ready (${seconds}s)`);
  } catch (error) {
    // Jest skips global teardown when setup throws: release whatever did start.
    state.server = await serverStart.catch(() => undefined);
    await stopTestRun();
    throw error;
  }
}

/** Stops the server and removes the bundle; safe to call twice or after a partial setup. */
export async function stopTestRun(): Promise<void> {
  const state = store[STATE_KEY];
  store[STATE_KEY] = undefined;
  if (!state) return;
  try {
    await state.server?.teardown();
  } finally {
    if (state.tmpDir) await rm(state.tmpDir, { recursive: true, force: true });
  }
}
