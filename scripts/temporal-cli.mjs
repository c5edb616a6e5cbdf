#!/usr/bin/env node
/**
 * Finds the Temporal CLI (which runs the dev server) in the order SPEC §5 fixes:
 * `TEMPORAL_CLI_PATH`, then `temporal` on PATH, then the project tool folder `.tools/bin`.
 * When it is missing and Go is present, it is built into `.tools/bin` with `go install`;
 * without Go the caller falls back to the Temporal SDK's own download.
 *
 * Plain Node ESM without dependencies so it runs before `npm ci` has finished anything else.
 * CLI: `node scripts/temporal-cli.mjs` prints the binary's path (installing it if needed).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Pinned: v1.5.1 is the last tag `go install <pkg>@<version>` accepts; later tags carry a
 * `replace` directive in go.mod, which module-mode `go install` rejects.
 */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const TEMPORAL_CLI_PACKAGE = 'github.com/temporalio/cli/cmd/temporal';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The project's own tool folder (git-ignored). */
export const TOOLS_BIN = path.join(ROOT, '.tools', 'bin');
/** Where the official Go tarball installs; CI images often do not put it on PATH. */
const GO_FALLBACK = '/usr/local/go/bin/go';
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

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

/** @param {string} go @param {(message: string) => void} log @returns {string} */
function installWithGo(go, log) {
  const target = `${TEMPORAL_CLI_PACKAGE}@${TEMPORAL_CLI_VERSION}`;
  log(`temporal-cli: building ${target} into ${TOOLS_BIN} (a few minutes on a cold cache)`);
  mkdirSync(TOOLS_BIN, { recursive: true });
  // go's own output goes to stderr so that stdout carries only the resolved path.
  const result = spawnSync(go, ['install', target], {
    env: { ...process.env, GOBIN: TOOLS_BIN },
    stdio: ['ignore', 2, 2],
  });
  if (result.error) throw new Error(`temporal-cli: could not run ${go}: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(
      `temporal-cli: \`go install ${target}\` failed with exit code ${result.status}`,
    );
  }
  const installed = path.join(TOOLS_BIN, EXE);
  if (!isExecutable(installed)) {
    throw new Error(`temporal-cli: go install succeeded but ${installed} is not executable`);
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
 * Throws when `TEMPORAL_CLI_PATH` names no executable or `go install` fails: both are mistakes
 * to fix, not reasons to fall through silently.
 *
 * @param {{ install?: boolean, log?: (message: string) => void }} [options]
 * @returns {TemporalCli}
 */
export function resolveTemporalCli({ install = true, log = console.error } = {}) {
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`temporal-cli: TEMPORAL_CLI_PATH=${fromEnv} is not an executable file`);
    }
    return { path: path.resolve(fromEnv), source: 'env' };
  }
  const fromPath = onPath(EXE);
  if (fromPath) return { path: fromPath, source: 'path' };
  const fromTools = path.join(TOOLS_BIN, EXE);
  if (isExecutable(fromTools)) return { path: fromTools, source: 'tools' };

  const go = install ? findGo() : undefined;
  if (go) return { path: installWithGo(go, log), source: 'installed' };
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
