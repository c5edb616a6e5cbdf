#!/usr/bin/env node
/**
 * Finds the Temporal CLI (which runs the dev server) in the order SPEC §5 fixes:
 * `TEMPORAL_CLI_PATH`, then `temporal` on PATH, then the project tool folder `.tools/bin`.
 * When it is missing and Go is present, it is built into `.tools/bin` with `go build` from the
 * tools module `scripts/temporal-cli/` (go.mod + go.sum); a stamp beside the binary records
 * that module's recipe, and a binary built from another recipe (or by the older `go install`,
 * without a stamp) is rebuilt. Without Go the caller falls back to the Temporal SDK's own
 * download.
 *
 * Plain Node ESM without dependencies so it runs before `npm ci` has finished anything else.
 * CLI: `node scripts/temporal-cli.mjs` prints the binary's path (installing it if needed).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  constants,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The CLI's package, built from the tools module. That module pins the CLI at v1.5.1 (the
 * last tag without a `replace` directive: later ones replace `cliext` with a folder of their
 * own repository, which no module proxy serves) and raises modernc.org/sqlite to v1.44.3, the
 * version Temporal itself moved to for SQLite's "interrupted (9)" errors under load.
 */
export const TEMPORAL_CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The project's own tool folder (git-ignored). */
export const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');
/** The Go module the CLI is built from (committed). */
export const TOOLS_MODULE = path.join(ROOT, 'scripts', 'temporal-cli');
/** Where the official Go tarball installs; CI images often do not put it on PATH. */
const GO_FALLBACK = '/usr/local/go/bin/go';
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
/** Beside the binary: the recipe it was built from. */
const STAMP = `${EXE}.recipe`;

/** @param {string} file */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** @param {string} name @returns {string | undefined} */
function onPath(name) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  return dirs.map((dir) => path.join(dir, name)).find(isExecutable);
}

function findGo() {
  return onPath(process.platform === 'win32' ? 'go.exe' : 'go') ?? [GO_FALLBACK].find(isExecutable);
}

/**
 * The recipe of a build: a hash of the tools module's go.mod and go.sum, which pin every
 * module that goes into the binary. Pure, so the stamp logic is testable without Go.
 *
 * @param {string} goMod @param {string} goSum @returns {string}
 */
export function recipeOf(goMod, goSum) {
  const hash = createHash('sha256');
  for (const [name, text] of [
    ['go.mod', goMod],
    ['go.sum', goSum],
  ]) {
    hash.update(`${name}\0${text.length}\0${text}`);
  }
  return `sha256:${hash.digest('hex')}`;
}

/**
 * What to do with `.tools/bin/temporal`: use it when its stamp names the current recipe, build
 * it when it is missing, rebuild it when it is stale (another recipe, or no stamp: the older
 * `go install` wrote none). Pure.
 *
 * @param {{ executable: boolean, stamp: string | undefined, recipe: string }} state
 * @returns {'current' | 'missing' | 'stale'}
 */
export function toolsBinaryState({ executable, stamp, recipe }) {
  if (!executable) return 'missing';
  return stamp?.trim() === recipe ? 'current' : 'stale';
}

/** The current recipe, read from the committed tools module. @returns {string} */
export function currentRecipe(moduleDir = TOOLS_MODULE) {
  const read = (/** @type {string} */ name) => readFileSync(path.join(moduleDir, name), 'utf8');
  return recipeOf(read('go.mod'), read('go.sum'));
}

/** @param {string} file @returns {string | undefined} */
function readStamp(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Builds the CLI from the tools module into a staging file, then renames it over the binary
 * (a dev server still running the old one keeps it) and writes the stamp last: a build that
 * fails or is interrupted leaves no stamp naming the new recipe.
 *
 * @param {{ go: string, toolsBin: string, recipe: string, log: (message: string) => void }} build
 * @returns {string}
 */
function buildWithGo({ go, toolsBin, recipe, log }) {
  const rel = path.relative(ROOT, TOOLS_MODULE);
  log(
    `temporal-cli: building ${TEMPORAL_CLI_PACKAGE} (${rel}/go.mod) into ${toolsBin}` +
      ' (a few minutes on a cold Go cache)',
  );
  mkdirSync(toolsBin, { recursive: true });
  const installed = path.join(toolsBin, EXE);
  const staging = `${installed}.building-${process.pid}`;
  const stamp = path.join(toolsBin, STAMP);
  // -mod=readonly: go.sum must already name every module (no edits, nothing but the proxy);
  // GOWORK=off: a go.work above the checkout must not take part.
  const args = ['build', '-mod=readonly', '-o', staging, TEMPORAL_CLI_PACKAGE];
  // go's own output goes to stderr so that stdout carries only the resolved path.
  const result = spawnSync(go, args, {
    cwd: TOOLS_MODULE,
    env: { ...process.env, GOWORK: 'off' },
    stdio: ['ignore', 2, 2],
  });
  try {
    if (result.error) throw new Error(`temporal-cli: could not run ${go}: ${result.error.message}`);
    if (result.status !== 0) {
      throw new Error(
        `temporal-cli: \`go ${args.join(' ')}\` in ${rel} failed with exit code ${result.status}`,
      );
    }
    if (!isExecutable(staging)) {
      throw new Error(`temporal-cli: go build succeeded but ${staging} is not executable`);
    }
    rmSync(stamp, { force: true });
    renameSync(staging, installed);
    writeFileSync(stamp, `${recipe}\n`);
  } finally {
    rmSync(staging, { force: true });
  }
  return installed;
}

/**
 * @typedef {'env' | 'path' | 'tools' | 'installed' | 'sdk-download'} TemporalCliSource
 * @typedef {{ path: string | undefined, source: TemporalCliSource }} TemporalCli
 */

/**
 * Resolves the Temporal CLI. `path` is undefined only when it is missing and cannot be built
 * (no Go, or `install: false`): callers then let the SDK download it (`source: 'sdk-download'`).
 * Throws when `TEMPORAL_CLI_PATH` names no executable or `go build` fails: both are mistakes
 * to fix, not reasons to fall through silently.
 *
 * `toolsBin` and `go` are for tests: another tool folder, a given `go` instead of the one found.
 *
 * @param {{ install?: boolean, log?: (message: string) => void, toolsBin?: string, go?: string }} [options]
 * @returns {TemporalCli}
 */
export function resolveTemporalCli({
  install = true,
  log = console.error,
  toolsBin = TOOLS_BIN,
  go: givenGo,
} = {}) {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`temporal-cli: TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    }
    return { path: path.resolve(fromEnv), source: 'env' };
  }
  const fromPath = onPath(EXE);
  if (fromPath) return { path: fromPath, source: 'path' };
  const fromTools = path.join(toolsBin, EXE);
  const recipe = currentRecipe();
  const state = toolsBinaryState({
    executable: isExecutable(fromTools),
    stamp: readStamp(path.join(toolsBin, STAMP)),
    recipe,
  });
  if (state === 'current') return { path: fromTools, source: 'tools' };

  const go = install ? (givenGo ?? findGo()) : undefined;
  if (go) return { path: buildWithGo({ go, toolsBin, recipe, log }), source: 'installed' };
  if (state === 'stale') {
    const rel = path.relative(ROOT, TOOLS_MODULE);
    log(`temporal-cli: ${fromTools} predates ${rel}/go.mod; no Go to rebuild it, so it is used`);
    return { path: fromTools, source: 'tools' };
  }
  log(
    install
      ? 'temporal-cli: no Temporal CLI and no Go; the Temporal SDK will download the dev server itself'
      : 'temporal-cli: no Temporal CLI found (install disabled); the Temporal SDK will download it',
  );
  return { path: undefined, source: 'sdk-download' };
}

function isMain() {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isMain()) {
  try {
    const cli = resolveTemporalCli();
    // No path is not a failure: SPEC §5 makes the SDK download the fallback without Go.
    if (cli.path) console.log(cli.path);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
