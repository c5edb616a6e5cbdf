#!/usr/bin/env node
/**
 * `npm test [-- jest args]`: makes sure of what the suite needs (./test-prerequisites.mjs:
 * Chromium, docker-compose and PostgreSQL, installed or started where it can, else one line
 * saying what is missing), resolves (or builds) the Temporal CLI once, hands it to jest via
 * TEMPORAL_CLI_PATH, and runs jest with the given arguments. Jest's global setup starts one
 * dev server from that binary for the whole run (test/support/global-setup.ts).
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolveTemporalCli } from './temporal-cli.mjs';
import { ensureTestPrerequisites } from './test-prerequisites.mjs';

const missing = await ensureTestPrerequisites();
if (missing) {
  console.error(missing);
  process.exit(1);
}

let cli;
try {
  cli = resolveTemporalCli();
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const env = { ...process.env };
if (cli.path) env.TEMPORAL_CLI_PATH = cli.path;

// Run jest's JS entry with this node rather than node_modules/.bin/jest: no shell shim needed.
const jest = createRequire(import.meta.url).resolve('jest/bin/jest');
const result = spawnSync(process.execPath, [jest, ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
if (result.error) {
  console.error(`test: could not start jest: ${result.error.message}`);
  process.exit(1);
}
// A signal-killed jest has no status: still a failure.
process.exit(result.status ?? 1);
