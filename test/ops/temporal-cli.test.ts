/**
 * scripts/temporal-cli.mjs builds the dev server's CLI from the committed tools module
 * (scripts/temporal-cli/) and stamps the binary with that module's recipe, so a machine holding
 * a binary from an older recipe (or from the older `go install`, which wrote no stamp) gets it
 * rebuilt. Nothing here runs Go: the pure functions are called directly, and the resolver is
 * run against a scratch tool folder with a stand-in `go` that only writes a file where `-o`
 * says. The script is an ES module, which this CommonJS Jest cannot import: each check runs in
 * a child Node.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from './compose-config';

const SCRIPT = pathToFileURL(path.join(PROJECT_ROOT, 'scripts', 'temporal-cli.mjs')).href;
const MODULE_DIR = path.join(PROJECT_ROOT, 'scripts', 'temporal-cli');
/** The first modernc.org/sqlite without the "interrupted (9)" race (Temporal's own upgrade). */
const SQLITE_FIXED = [1, 44, 3];

/** Runs `body` (an async function body over the script's exports `m`) and returns its value. */
function inScript<T>(body: string, env: NodeJS.ProcessEnv = cleanEnv()): T {
  const code = `const m = await import(${JSON.stringify(SCRIPT)});
    const value = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify(value ?? null));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    encoding: 'utf8',
    env,
    timeout: 30_000,
  });
  if (result.status !== 0) throw new Error(`temporal-cli.mjs check failed:\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** No TEMPORAL_CLI_PATH (npm test sets it) and a PATH of system folders without `temporal`. */
function cleanEnv(): NodeJS.ProcessEnv {
  const dirs = ['/usr/bin', '/bin'].filter((dir) => !existsSync(path.join(dir, 'temporal')));
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: dirs.join(path.delimiter) };
  delete env.TEMPORAL_CLI_PATH;
  return env;
}

function version(text: string): number[] {
  return text.replace(/^v/, '').split(/[.-]/).slice(0, 3).map(Number);
}

function atLeast(have: number[], want: number[]): boolean {
  for (let i = 0; i < want.length; i++) {
    if (have[i]! !== want[i]!) return have[i]! > want[i]!;
  }
  return true;
}

describe('the tools module', () => {
  const goMod = readFileSync(path.join(MODULE_DIR, 'go.mod'), 'utf8');
  const goSum = readFileSync(path.join(MODULE_DIR, 'go.sum'), 'utf8');
  const required = (module: string) =>
    new RegExp(`^\\s*${module.replace(/\./g, '\\.')} (v\\S+)`, 'm').exec(goMod)?.[1];

  it('builds the CLI with a modernc.org/sqlite that has the fix, and go.sum holds both', () => {
    expect(goMod).toMatch(/^tool github\.com\/temporalio\/cli\/cmd\/temporal$/m);
    const cli = required('github.com/temporalio/cli');
    const sqlite = required('modernc.org/sqlite');
    expect(cli).toBeDefined();
    expect(sqlite).toBeDefined();
    expect(atLeast(version(sqlite!), SQLITE_FIXED)).toBe(true);
    for (const [module, v] of [
      ['github.com/temporalio/cli', cli],
      ['modernc.org/sqlite', sqlite],
    ]) {
      expect(goSum).toContain(`${module} ${v} h1:`);
      expect(goSum).toContain(`${module} ${v}/go.mod h1:`);
    }
  });
});

describe('the stamp', () => {
  it('calls a binary current only when its stamp names the current recipe', () => {
    const states = inScript<Record<string, string>>(`
      const recipe = m.currentRecipe();
      const state = (executable, stamp) => m.toolsBinaryState({ executable, stamp, recipe });
      return {
        missing: state(false, recipe),
        noStamp: state(true, undefined),
        other: state(true, m.recipeOf('module old\\n', '')),
        current: state(true, recipe + '\\n'),
      };`);
    expect(states).toEqual({
      missing: 'missing',
      noStamp: 'stale',
      other: 'stale',
      current: 'current',
    });
  });

  it('is a hash of go.mod and go.sum: a change to either changes it', () => {
    const recipes = inScript<string[]>(`
      return [m.recipeOf('a', 'b'), m.recipeOf('a', 'c'), m.recipeOf('x', 'b'),
        m.recipeOf('ab', ''), m.recipeOf('a', 'b')];`);
    expect(new Set(recipes.slice(0, 4)).size).toBe(4);
    expect(recipes[4]).toBe(recipes[0]);
  });
});

describe('resolveTemporalCli with .tools/bin', () => {
  let dir: string;
  let toolsBin: string;
  let fakeGo: string;
  let goLog: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-temporal-cli-'));
    toolsBin = path.join(dir, 'bin');
    goLog = path.join(dir, 'go.log');
    fakeGo = path.join(dir, 'go');
    // Logs its working folder and arguments, then writes an executable where -o says.
    writeFileSync(
      fakeGo,
      `#!/bin/sh
echo "$PWD $*" >> "${goLog}"
out=""; prev=""
for a in "$@"; do [ "$prev" = "-o" ] && out="$a"; prev="$a"; done
printf '#!/bin/sh\\necho built\\n' > "$out" && chmod +x "$out"
`,
    );
    chmodSync(fakeGo, 0o755);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function resolve(go: string | undefined) {
    return inScript<{ path: string | null; source: string }>(
      `return m.resolveTemporalCli({ toolsBin: ${JSON.stringify(toolsBin)},
        go: ${JSON.stringify(go)}, log: () => {} });`,
    );
  }

  function oldBinary(stamp?: string) {
    inScript(`const fs = await import('node:fs');
      fs.mkdirSync(${JSON.stringify(toolsBin)}, { recursive: true });
      fs.writeFileSync(${JSON.stringify(path.join(toolsBin, 'temporal'))}, '#!/bin/sh\\necho old\\n', { mode: 0o755 });
      ${stamp === undefined ? '' : `fs.writeFileSync(${JSON.stringify(path.join(toolsBin, 'temporal.recipe'))}, ${JSON.stringify(stamp)});`}`);
  }

  const goCalls = () => readFileSync(goLog, 'utf8').trim().split('\n');
  const binary = () => readFileSync(path.join(toolsBin, 'temporal'), 'utf8');
  const stamp = () => readFileSync(path.join(toolsBin, 'temporal.recipe'), 'utf8').trim();
  const recipe = () => inScript<string>('return m.currentRecipe();');

  it('rebuilds a binary the older `go install` left (no stamp), then stamps and keeps it', () => {
    oldBinary();
    expect(resolve(fakeGo)).toEqual({ path: path.join(toolsBin, 'temporal'), source: 'installed' });
    const calls = goCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.startsWith(`${MODULE_DIR} build -mod=readonly -o ${toolsBin}/temporal.`)).toBe(
      true,
    );
    expect(calls[0]).toMatch(/ github\.com\/temporalio\/cli\/cmd\/temporal$/);
    expect(binary()).toContain('built');
    expect(stamp()).toBe(recipe());

    // Current now: used as it is, Go not run again.
    expect(resolve(fakeGo)).toEqual({ path: path.join(toolsBin, 'temporal'), source: 'tools' });
    expect(goCalls()).toHaveLength(1);
  });

  it('rebuilds a binary stamped with another recipe', () => {
    oldBinary(`${inScript<string>("return m.recipeOf('module old\\n', '');")}\n`);
    expect(resolve(fakeGo).source).toBe('installed');
    expect(binary()).toContain('built');
    expect(stamp()).toBe(recipe());
  });

  it('keeps a stale binary when there is no Go to rebuild it, and builds a missing one', () => {
    oldBinary('sha256:old\n');
    const missingGo = path.join(dir, 'no-go-here');
    // A given Go that cannot run is an error; without any Go the stale binary is used.
    expect(() => resolve(missingGo)).toThrow(/could not run/);
    expect(
      inScript<{ source: string }>(
        `return m.resolveTemporalCli({ toolsBin: ${JSON.stringify(toolsBin)}, install: false, log: () => {} });`,
      ),
    ).toEqual({ path: path.join(toolsBin, 'temporal'), source: 'tools' });
    expect(binary()).toContain('old');

    rmSync(toolsBin, { recursive: true });
    expect(resolve(fakeGo).source).toBe('installed');
    expect(stamp()).toBe(recipe());
  });

  it('still puts TEMPORAL_CLI_PATH and a temporal on PATH first (SPEC §5)', () => {
    oldBinary('sha256:old\n');
    const onPath = path.join(dir, 'path-bin');
    inScript(`const fs = await import('node:fs');
      fs.mkdirSync(${JSON.stringify(onPath)});
      fs.writeFileSync(${JSON.stringify(path.join(onPath, 'temporal'))}, '#!/bin/sh\\n', { mode: 0o755 });`);
    const env = cleanEnv();
    const fromPath = inScript<{ source: string }>(
      `return m.resolveTemporalCli({ toolsBin: ${JSON.stringify(toolsBin)}, go: ${JSON.stringify(fakeGo)} });`,
      { ...env, PATH: `${onPath}${path.delimiter}${env.PATH}` },
    );
    expect(fromPath).toEqual({ path: path.join(onPath, 'temporal'), source: 'path' });
    const fromEnv = inScript<{ source: string }>(
      `return m.resolveTemporalCli({ toolsBin: ${JSON.stringify(toolsBin)}, go: ${JSON.stringify(fakeGo)} });`,
      { ...env, TEMPORAL_CLI_PATH: path.join(toolsBin, 'temporal') },
    );
    expect(fromEnv).toEqual({ path: path.join(toolsBin, 'temporal'), source: 'env' });
    expect(binary()).toContain('old');
  });
});
