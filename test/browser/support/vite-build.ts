/**
 * Vite's JavaScript API (`build(config)`) in a child Node process. Vite is ESM only, which
 * Jest's module sandbox cannot load, and under tsx's loader (the benches) Vite fails to
 * resolve its own modulepreload polyfill; plain Node does both. Shared by the browser tests
 * and `npm run bench -- designer`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const REPO = path.resolve(__dirname, '../../..');

/** The subset of Vite's InlineConfig the callers use, passed to the child as JSON. */
export interface ViteBuildConfig {
  configFile?: string | false;
  root?: string;
  base?: string;
  logLevel?: 'info' | 'warn' | 'error' | 'silent';
  resolve?: { alias?: Record<string, string> };
  build?: { outDir?: string; emptyOutDir?: boolean; chunkSizeWarningLimit?: number };
}

const SCRIPT = `
import { build } from 'vite';
await build(JSON.parse(process.argv[1]));
`;

export function viteBuild(config: ViteBuildConfig): Promise<void> {
  // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const { NODE_ENV: _testEnv, ...env } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--input-type=module', '--eval', SCRIPT, JSON.stringify(config)],
      { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${signal ?? `exit ${code}`}):\n${output}`));
    });
  });
}
