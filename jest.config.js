/**
 * Jest: TypeScript through ts-jest. tsconfig's isolatedModules makes ts-jest transpile each
 * file without type-checking (fast on 2 cores); `npm run typecheck` catches type errors.
 * One project; the Temporal dev server is started once per run by test/support/global-setup.ts.
 */
const ESM_ONLY = ['jose', 'openid-client', 'oauth4webapi'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // jose and openid-client ship ES modules only; Node 20 requires them natively (require(esm))
    // but Jest's module system does not before Node 24.9, so they are compiled to CommonJS here.
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: [
      'ts-jest',
      {
        tsconfig: { allowJs: true, module: 'commonjs', moduleResolution: 'node', target: 'ES2022' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  // Per test file: SQLite errors made with this file's Error (see the file).
  setupFiles: ['<rootDir>/test/support/sqlite-errors.ts'],
  // Per test: every answer of an app built with withAnswerCheck matched the OpenAPI document.
  // Per test file: the GC observers prom-client starts are stopped (see the file).
  setupFilesAfterEnv: [
    '<rootDir>/test/support/answers-after-each.ts',
    '<rootDir>/test/support/perf-observers.ts',
  ],
  // The longest files first: a fresh clone has no timing cache (see the file).
  testSequencer: '<rootDir>/test/support/slow-first-sequencer.js',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
  // A worker whose heap outgrew this after a file is replaced by a fresh one: what a file's
  // code leaves behind (Temporal's native bridge, modules kept alive by its threads) no longer
  // piles up over a hundred files until the worker takes longer than Jest's 500 ms to exit.
  workerIdleMemoryLimit: '768MB',
};
