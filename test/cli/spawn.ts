/** Runs `node bin/gatehouse.js …` from the repository root as users do, collecting its output. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/processes';

export const BIN = path.join(PROJECT_ROOT, 'bin', 'gatehouse.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the trailing empty one. */
  errLines: string[];
}

export function runGatehouse(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: PROJECT_ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, errLines: stderr.split('\n').filter((l) => l !== '') }),
    );
  });
}
