/**
 * The designer of the embedded default: `npm start` serves designer/dist at `/`, building it
 * first when it is missing or older than its sources (a fresh clone, a pull, an edit), so
 * nobody has to know about `npm run designer:build`. A build takes seconds.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const DESIGNER_DIST = path.join(ROOT, 'designer', 'dist');
const BUILT = path.join(DESIGNER_DIST, 'index.html');
/**
 * What the designer's bundle is made of: its sources and the shared modules it imports (the
 * browser tests' rebuild check uses the same list), plus the lockfile (a dependency changed).
 */
export const DESIGNER_SOURCES = [
  'designer/src',
  'designer/index.html',
  'designer/vite.config.ts',
  'workflows/model',
  'workflows/lifecycle',
  'server/contract.ts',
];
const SOURCES = [...DESIGNER_SOURCES, 'package-lock.json'];
const SKIPPED = new Set(['dist', 'node_modules']);

export type DesignerState = 'built' | 'missing' | 'stale';

/** Whether designer/dist exists and is newer than every source file. */
export function designerState(): DesignerState {
  if (!existsSync(BUILT)) return 'missing';
  const builtAt = statSync(BUILT).mtimeMs;
  return SOURCES.some((source) => newerThan(path.join(ROOT, source), builtAt)) ? 'stale' : 'built';
}

/** Vite's command-line script (its package's `bin`), or undefined when vite is not installed. */
function viteCli(): string | undefined {
  let manifest: string;
  try {
    manifest = createRequire(__filename).resolve('vite/package.json');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: string | { vite: string } };
  return path.join(path.dirname(manifest), typeof bin === 'string' ? bin : bin.vite);
}

function newerThan(file: string, time: number): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat) return false;
  if (!stat.isDirectory()) return stat.mtimeMs > time;
  return readdirSync(file).some(
    (entry) => !SKIPPED.has(entry) && newerThan(path.join(file, entry), time),
  );
}

/**
 * Builds the designer when it is missing or stale; resolves with whether one is served.
 * Without vite (installed without dev dependencies) it says so and the API runs alone; a
 * failing build stops the start with the end of vite's output.
 */
export async function ensureDesigner(log: (message: string) => void): Promise<boolean> {
  const state = designerState();
  if (state === 'built') return true;
  const vite = viteCli();
  if (vite === undefined) {
    log(`the designer is ${state} and vite is not installed (run npm ci): serving the API only`);
    return false;
  }
  log(
    `building the designer (${state === 'missing' ? 'not built yet' : 'older than its sources'})`,
  );
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    // NODE_ENV=test (a test running npm start) would make Vite bundle React's development build.
    const { NODE_ENV: _nodeEnv, ...env } = process.env;
    const child = spawn(process.execPath, [vite, 'build', 'designer', '--logLevel', 'warn'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, text }));
  });
  if (output.code !== 0 || !existsSync(BUILT)) {
    throw new Error(
      `building the designer failed (vite exit ${output.code}):\n${output.text.trim().slice(-2000)}`,
    );
  }
  return true;
}
