/**
 * The README's two commands on a fresh clone of this kind of machine: `npm ci && npm start` in
 * a copy of the repository's files (what a clone holds: no node_modules, no designer/dist, no
 * data), then `/` in Chromium shows the designer, built by `npm start` itself. `npm ci` takes
 * minutes on 2 cores: this is the slowest test of the suite, and the one a newcomer relies on.
 * It stops `npm start` as a service manager would (SIGTERM to npm, which does not relay it
 * through its shell): the start must notice and stop everything, or the pipes never close.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { READY_LINE } from '../../scripts/start/banner';
import { launchBrowser } from '../browser/support/browser';
import { freePort } from '../support/outages';
import { PROJECT_ROOT, startProcess } from '../support/processes';

/**
 * better-sqlite3's install fetches its prebuilt binary from GitHub, which this kind of machine
 * cannot reach: it then compiles SQLite from source, about 3 of the test's minutes on 2 cores,
 * none of them about this repository. The clone's `npm ci` is handed, as a local prebuild
 * (prebuild-install's documented `local_prebuilds` setting), the binary this checkout's own
 * `npm ci` installed, which is what the download brings a newcomer. Without one (an install
 * that could not build it), the clone compiles as before. Returns the environment to add
 * (prebuild-install reads it from its own environment; npm warns it does not know the name).
 */
function localPrebuild(dir: string): NodeJS.ProcessEnv {
  const pkg = path.join(PROJECT_ROOT, 'node_modules', 'better-sqlite3');
  const binary = path.join('build', 'Release', 'better_sqlite3.node');
  if (!existsSync(path.join(pkg, binary))) return {};
  const { version } = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8')) as {
    version: string;
  };
  // prebuild-install's name for this Node ABI and platform (glibc Linux, as this machine).
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['-czf', path.join(dir, name), '-C', pkg, binary]);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

let clone: string;
let prebuilds: string;
beforeAll(async () => {
  clone = await mkdtemp(path.join(tmpdir(), 'gatehouse-clone-'));
  prebuilds = await mkdtemp(path.join(tmpdir(), 'gatehouse-prebuilds-'));
  const files = execFileSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    },
  )
    .split('\0')
    .filter((file) => file !== '' && existsSync(path.join(PROJECT_ROOT, file)));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(clone, file)), { recursive: true });
    cpSync(path.join(PROJECT_ROOT, file), path.join(clone, file));
  }
});
afterAll(async () => {
  if (clone) await rm(clone, { recursive: true, force: true });
  if (prebuilds) await rm(prebuilds, { recursive: true, force: true });
});

it('runs `npm ci && npm start` in a fresh clone and serves the designer at /', async () => {
  expect(existsSync(path.join(clone, 'node_modules'))).toBe(false);
  expect(existsSync(path.join(clone, 'designer', 'dist'))).toBe(false);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const t0 = Date.now();
  const phase = (name: string) =>
    process.stderr.write(`fresh-clone: ${name} at ${Date.now() - t0} ms\n`);
  const install = startProcess('npm ci (fresh clone)', npm, ['ci', '--no-audit', '--no-fund'], {
    cwd: clone,
    env: { ...process.env, ...localPrebuild(prebuilds) },
  });
  const installed = await install.exited;
  phase('npm ci done');
  expect(installed.code).toBe(0);

  const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  // Nor the run's prebuilt workflow bundle: a clone has none, and bundles at start.
  const {
    DATABASE_URL: _db,
    GATEHOUSE_ADMIN_TOKEN: _admin,
    NODE_ENV: _env,
    WORKFLOW_BUNDLE_DIR: _bundle,
    ...inherited
  } = process.env;
  // `npm start`, as the README says (npm runs the script; the dev server dies with it).
  const started = startProcess('npm start (fresh clone)', npm, ['start'], {
    cwd: clone,
    env: {
      ...inherited,
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
    },
  });
  try {
    await started.waitForLine(new RegExp(`^\\s+${READY_LINE}`), 300_000);
    phase('ready');
    expect(started.output().stdout).toContain('gatehouse: bundling the workflows and starting');
    expect(existsSync(path.join(clone, 'designer', 'dist', 'index.html'))).toBe(true);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const response = await page.goto(`http://127.0.0.1:${port}/`);
      expect(response?.status()).toBe(200);
      // The designer's shell renders: its sign-in picker lists the demo PMO.
      await page.getByText('Priya PMO').first().waitFor({ timeout: 30_000 });
      phase('designer shown');
    } finally {
      await browser.close();
    }
  } finally {
    await started.stop(30_000);
    phase('stopped');
  }
}, 900_000);
