/**
 * The built designer the browser tests load (designer/dist), rebuilt first when it is missing
 * or older than what it is built from (`npm run designer:build` does the same by hand). Two
 * test files may ask at once (Jest runs files in parallel): a lock directory lets one build
 * while the other waits for it.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DESIGNER_SOURCES } from '../../../scripts/start/designer';
import { viteBuild } from './vite-build';

export const REPO = path.resolve(__dirname, '../../..');
export const DESIGNER_DIST = path.join(REPO, 'designer/dist');

/** What the bundle is made of (the same list `npm start` checks before it serves it). */
const SOURCES = DESIGNER_SOURCES.map((p) => path.join(REPO, p));

const LOCK = path.join(
  os.tmpdir(),
  `gatehouse-designer-build-${createHash('sha1').update(REPO).digest('hex').slice(0, 12)}.lock`,
);
/** A build takes seconds; a lock this old was left by a killed run. */
const STALE_LOCK_MS = 120_000;

/** Builds designer/dist unless it is newer than every source file. */
export async function ensureDesignerBuilt(): Promise<void> {
  if (await isFresh()) return;
  await withLock(async () => {
    // Another test file may have built it while this one waited.
    if (!(await isFresh())) {
      await viteBuild({ configFile: path.join(REPO, 'designer/vite.config.ts'), logLevel: 'warn' });
    }
  });
}

async function isFresh(): Promise<boolean> {
  const built = await mtime(path.join(DESIGNER_DIST, 'index.html'));
  if (built === undefined) return false;
  const newest = Math.max(...(await Promise.all(SOURCES.map(newestMtime))));
  return built >= newest;
}

async function mtime(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The latest modification time of a file, or of any file under a directory. */
async function newestMtime(target: string): Promise<number> {
  const info = await stat(target);
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(target, { withFileTypes: true, recursive: true });
  const times = await Promise.all(
    entries
      .filter((e) => e.isFile())
      .map(async (e) => (await stat(path.join(e.parentPath, e.name))).mtimeMs),
  );
  return Math.max(info.mtimeMs, ...times);
}

async function withLock(fn: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 3 * STALE_LOCK_MS;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const since = await mtime(LOCK);
    if (since !== undefined && Date.now() - since > STALE_LOCK_MS) {
      await rm(LOCK, { recursive: true, force: true });
    } else if (Date.now() > deadline) {
      throw new Error(`designer build: waited too long for the lock ${LOCK}`);
    } else {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
