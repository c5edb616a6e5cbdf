/**
 * `npm run lint` covers every source file with the same type-aware rules: a source folder left
 * out of the config (ignored, or matched by no tsconfig so that type-aware rules are off)
 * fails here. Source folders are found on disk, not listed, so a new one is covered too.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { askEslint, isError, ROOT } from './eslint';

/** What is generated or vendored, not written here. */
const NOT_SOURCE = new Set(['node_modules', 'dist', 'data', '.tools', '.git', 'coverage']);
const SOURCE_FILE = /\.(ts|tsx|mts|cts|mjs|cjs|js)$/;

/** Every source file, by top-level folder ('.' for the files at the root). */
function sourceFiles(): Map<string, string[]> {
  const byFolder = new Map<string, string[]>();
  const walk = (relative: string, top: string) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!NOT_SOURCE.has(entry.name) && !entry.name.startsWith('test-output')) {
          walk(child, top === '.' ? entry.name : top);
        }
      } else if (SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        byFolder.set(top, [...(byFolder.get(top) ?? []), child]);
      }
    }
  };
  walk('', '.');
  return byFolder;
}

const TYPE_AWARE = [
  '@typescript-eslint/no-floating-promises',
  '@typescript-eslint/no-misused-promises',
  '@typescript-eslint/no-unused-vars',
  '@typescript-eslint/no-explicit-any',
];

describe('every source file is linted', () => {
  const folders = sourceFiles();
  const files = [...folders.values()].flat();
  const verdicts = new Map(askEslint({ files }).files.map((v) => [v.file, v]));

  test('the source folders are the ones this repository has (the walk finds them)', () => {
    for (const folder of [
      'designer',
      'workflows',
      'server',
      'db',
      'activities',
      'worker',
      'test',
    ]) {
      expect(folders.get(folder)?.length ?? 0).toBeGreaterThan(0);
    }
  });

  test.each([...folders.keys()].sort())('%s: no file ignored, every file type-aware', (folder) => {
    const left = (folders.get(folder) ?? []).filter((file) => {
      const verdict = verdicts.get(file);
      return (
        !verdict ||
        verdict.ignored ||
        !verdict.typeAware ||
        TYPE_AWARE.some((rule) => !isError(verdict.rules[rule]))
      );
    });
    expect(left).toEqual([]);
  });

  test('the designer has the Rules of Hooks', () => {
    for (const file of folders.get('designer') ?? []) {
      const rules = verdicts.get(file)?.rules ?? {};
      expect([file, isError(rules['react-hooks/rules-of-hooks'])]).toEqual([file, true]);
      expect([file, isError(rules['react-hooks/exhaustive-deps'])]).toEqual([file, true]);
    }
  });
});
