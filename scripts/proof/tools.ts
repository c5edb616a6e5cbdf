/**
 * The real Temporal server and its SQL tool for `npm run proof`, built from Temporal's Go module
 * at the release docker-compose.yml runs (TEMPORAL_RELEASE; test/ops/proof-parity.test.ts keeps
 * the two equal) into `.tools/temporal-<release>/` once, then reused. Go's own module and build
 * caches make a rebuild in a fresh clone a matter of linking. GOTOOLCHAIN=auto lets Go fetch
 * the toolchain the module asks for when the installed one is older (a Go module itself).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

export const TEMPORAL_RELEASE = '1.32.2';
const MODULE = 'go.temporal.io/server';
const ROOT = path.resolve(__dirname, '..', '..');
export const TOOLS_DIR = path.join(ROOT, '.tools', `temporal-${TEMPORAL_RELEASE}`);
/** The names the admin-tools and server images give them: the shared scripts call these. */
export const SERVER_BIN = path.join(TOOLS_DIR, 'temporal-server');
export const SQL_TOOL_BIN = path.join(TOOLS_DIR, 'temporal-sql-tool');

const GO_FALLBACK = '/usr/local/go/bin/go';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findGo(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, 'go'))) return path.join(dir, 'go');
  }
  return executable(GO_FALLBACK) ? GO_FALLBACK : undefined;
}

/** Builds both binaries unless present; resolves with the folder that holds them. */
export function ensureTemporalTools(log: (line: string) => void): string {
  if (executable(SERVER_BIN) && executable(SQL_TOOL_BIN)) {
    log(
      `temporal ${TEMPORAL_RELEASE}: server and SQL tool cached in ${path.relative(ROOT, TOOLS_DIR)}`,
    );
    return TOOLS_DIR;
  }
  const go = findGo();
  if (!go) {
    throw new Error(
      `the Temporal server ${TEMPORAL_RELEASE} is not built and Go is not installed: install Go ` +
        '(https://go.dev/dl, or /usr/local/go) and run npm run proof again',
    );
  }
  const staging = path.join(TOOLS_DIR, 'staging');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const targets = [
    `${MODULE}/cmd/server@v${TEMPORAL_RELEASE}`,
    `${MODULE}/cmd/tools/sql@v${TEMPORAL_RELEASE}`,
  ];
  log(`temporal ${TEMPORAL_RELEASE}: go install ${targets.join(' ')} (minutes on a cold Go cache)`);
  const started = Date.now();
  const result = spawnSync(go, ['install', ...targets], {
    env: { ...process.env, GOBIN: staging, GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'auto' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (result.error) throw new Error(`could not run ${go}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`go install failed with exit code ${result.status}`);
  renameSync(path.join(staging, 'server'), SERVER_BIN);
  renameSync(path.join(staging, 'sql'), SQL_TOOL_BIN);
  rmSync(staging, { recursive: true, force: true });
  log(`temporal ${TEMPORAL_RELEASE}: built in ${Math.round((Date.now() - started) / 1000)} s`);
  return TOOLS_DIR;
}

// `tsx scripts/proof/tools.ts`: builds them (or finds them built) and exits, so that a machine
// can be prepared ahead of `npm run proof` (.ci/run builds them while the tests run).
if (require.main === module) {
  try {
    ensureTemporalTools((line) => console.log(`proof tools: ${line}`));
  } catch (error) {
    console.error(`proof tools: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
