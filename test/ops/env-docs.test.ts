/**
 * Every environment variable the app reads is documented in README's configuration table and,
 * when the API or the worker reads it, set in docker-compose.yml for that service. "Reads" is
 * the env schemas of config/ (ApiEnv, WorkerEnv, StartEnv) plus every `process.env` use in the
 * source.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiEnv, StartEnv, WorkerEnv } from '../../config';
import { COMPOSE_SECRETS, composeConfig, PROJECT_ROOT } from './compose-config';

type Reader = 'api' | 'worker' | 'npm start' | 'tooling';

/** Where a `process.env` use is attributed: compose runs the API and the worker only. */
const SOURCE_DIRS: Record<string, Reader[]> = {
  server: ['api'],
  worker: ['worker'],
  activities: ['worker'],
  workflows: ['worker'],
  db: ['api', 'worker'],
  config: ['api', 'worker'],
  scripts: ['tooling'],
};

/** Read but not the app's configuration, so neither documented nor set. */
const NOT_CONFIGURATION: Record<string, string> = {
  PATH: 'scripts/temporal-cli.mjs looks for the `temporal` binary on the system PATH',
  HOME: "the proof passes the user's home on to its processes, as a shell would",
  GOTOOLCHAIN: "Go's own setting, honoured when the proof builds the Temporal server",
  NODE_ENV: "kept from Vite's designer build, which it would switch to React's development build",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) && !/\.test\.\w+$/.test(entry.name)
      ? [full]
      : [];
  });
}

/** Names in `process.env.X`, `process.env['X']` and `const { X, Y } = process.env`. */
function envNamesIn(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/process\.env(?:\.(\w+)|\[\s*['"`](\w+)['"`]\s*\])/g)) {
    names.add((m[1] ?? m[2])!);
  }
  for (const m of source.matchAll(/\{([^{}]*)\}\s*=\s*process\.env\b/g)) {
    for (const part of m[1]!.split(',')) {
      const name = /^\s*(\w+)/.exec(part)?.[1];
      if (name) names.add(name);
    }
  }
  return [...names];
}

function collectReaders(): Map<string, Set<Reader>> {
  const readers = new Map<string, Set<Reader>>();
  const add = (name: string, by: Reader[]) => {
    const set = readers.get(name) ?? new Set<Reader>();
    for (const reader of by) set.add(reader);
    readers.set(name, set);
  };
  for (const name of Object.keys(ApiEnv.shape)) add(name, ['api']);
  for (const name of Object.keys(WorkerEnv.shape)) add(name, ['worker']);
  for (const name of Object.keys(StartEnv.shape)) add(name, ['npm start']);
  for (const [dir, by] of Object.entries(SOURCE_DIRS)) {
    for (const file of sourceFiles(path.join(PROJECT_ROOT, dir))) {
      for (const name of envNamesIn(readFileSync(file, 'utf8'))) add(name, by);
    }
  }
  for (const name of Object.keys(NOT_CONFIGURATION)) readers.delete(name);
  return readers;
}

/** The variables in README's "Configuration" table: rows that start with | `NAME` |. */
function documentedVariables(): Set<string> {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Configuration\n'));
  if (!section) throw new Error('README.md has no "## Configuration" section');
  return new Set([...section.matchAll(/^\|\s*`(\w+)`\s*\|/gm)].map((m) => m[1]!));
}

const readers = collectReaders();

it('finds the variables of both processes (the scan and the schemas work)', () => {
  expect(envNamesIn("process.env.A; process.env['B']; const { C, D: d } = process.env;")).toEqual([
    'A',
    'B',
    'C',
    'D',
  ]);
  expect([...(readers.get('DATABASE_URL') ?? [])]).toEqual(
    expect.arrayContaining(['api', 'worker']),
  );
  expect(readers.get('TEMPORAL_CLI_PATH')).toEqual(new Set(['tooling']));
});

it('documents every variable in README.md, Configuration', () => {
  const documented = documentedVariables();
  const missing = [...readers.keys()].filter((name) => !documented.has(name));
  expect(missing).toEqual([]);
});

it('sets every variable the API or the worker reads in their compose service', () => {
  const services = composeConfig(COMPOSE_SECRETS).services;
  const unset: string[] = [];
  for (const [name, by] of readers) {
    for (const [reader, service] of [
      ['api', 'gatehouse-api'],
      ['worker', 'gatehouse-worker'],
    ] as const) {
      if (by.has(reader) && !(name in (services[service]?.environment ?? {}))) {
        unset.push(`${service}: ${name}`);
      }
    }
  }
  expect(unset).toEqual([]);
});
