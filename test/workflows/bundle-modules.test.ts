/**
 * What the workflow bundle holds. The SDK evaluates the bundle's modules afresh for every
 * workflow it starts, continues as new or replays after an eviction, so a module in it costs
 * its evaluation each time: the state's and the records' schemas, which the workflow never
 * parses, and the model's barrel, which reaches every schema, must stay out (README, engine
 * bench). Reads the bundle the suite's workers run (test/support/global-setup.ts).
 */
import { readFileSync } from 'node:fs';
import { requireTestEnv, TEST_ENV } from '../support/env';

/** Modules workflow code must not reach, with why. */
const KEPT_OUT: Record<string, string> = {
  'workflows/model/index.ts': 'the model barrel: every schema of the model',
  'workflows/lifecycle/index.ts': "the interpreter's barrel: impact analysis and next actions too",
  'workflows/model/state.ts': "the state's schemas: the workflow never parses a state",
  'workflows/model/state-versions.ts': "older states' schemas: read from the read model only",
  'workflows/model/node-record.ts': "a node record's schemas: part of the state's",
  'workflows/model/results.ts': "an answer's schemas: the API's and the read model's",
  'workflows/model/records.ts': "the read model's records",
  'workflows/model/builtin/index.ts': 'the built-in templates: the API seeds them',
  'workflows/model/bulk-migration.ts': "a bulk migration job's schemas: the API's and activities'",
};

/**
 * The modules webpack put in the bundle (one `/***\/ "<id>"` header each), as paths from the
 * repository's root: an id is relative to where the bundle was built (`./workflows/…` here).
 */
function bundledModules(code: string): string[] {
  return [...code.matchAll(/^\/\*{3}\/ "(?:\.\.?\/)+(?:[^"]*?\/)?(workflows\/[^"]+)"$/gm)].map(
    (m) => m[1]!,
  );
}

/** What the SDK calls to preload modules (its generated entry's `preloadModules`). */
function preloadFunction(code: string): string {
  return (
    /^exports\.preloadModules = function preloadModules\(\) \{$(.*?)^\}$/ms.exec(code)?.[1] ?? ''
  );
}

/** The code of one module of the bundle (from its header to the next). */
function moduleCode(code: string, suffix: string): string {
  const start = code.search(new RegExp(`^/\\*{3}/ "[^"]*${suffix.replaceAll('.', '\\.')}"$`, 'm'));
  if (start < 0) return '';
  const next = code.indexOf('\n/***/ "', start + 1);
  return code.slice(start, next < 0 ? undefined : next);
}

describe('the workflow bundle', () => {
  const code = readFileSync(requireTestEnv(TEST_ENV.workflowBundle), 'utf8');
  const modules = bundledModules(code);

  it('preloads Zod: evaluated once for all the workflows of a worker (workflows/preload.ts)', () => {
    expect(preloadFunction(code)).toMatch(
      /__webpack_require__\([^)]*"\.\/workflows\/preload\.ts"\)/,
    );
    // Zod's modules themselves, not an import webpack dropped as free of side effects.
    expect(moduleCode(code, 'workflows/preload.ts')).toMatch(
      /__webpack_require__\([^)]*"[^"]*\/node_modules\/zod\/v4\/classic\/schemas\.js"\)/,
    );
  });

  it('holds the model modules the workflow runs', () => {
    // The list is read right: the action table and the command schemas are there.
    expect(modules).toEqual(
      expect.arrayContaining([
        'workflows/project-lifecycle.ts',
        'workflows/model/actions.ts',
        'workflows/model/commands.ts',
        'workflows/model/state-migrations.ts',
      ]),
    );
  });

  it.each(Object.entries(KEPT_OUT))('leaves out %s (%s)', (module) => {
    expect(modules).not.toContain(module);
  });
});
