/**
 * Jest: TypeScript through ts-jest. tsconfig's isolatedModules makes ts-jest transpile each
 * file without type-checking (fast on 2 cores); `npm run typecheck` catches type errors.
 * One project; the Temporal dev server is started once per run by test/support/global-setup.ts.
 */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 120_000,
  maxWorkers: 2,
};
