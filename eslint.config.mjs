// ESLint flat config: type-aware TypeScript rules everywhere, determinism rules for workflows.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Imports that would make workflow code nondeterministic or unbundleable (see workflowRules). */
const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_'));
const workflowBannedPaths = [
  ...nodeBuiltins.map((name) => ({
    name,
    message: 'Workflow code must be deterministic: no Node built-ins (use @temporalio/workflow).',
  })),
  ...['@temporalio/activity', '@temporalio/worker', '@temporalio/client'].map((name) => ({
    name,
    message: 'Workflow code runs in the sandbox: use @temporalio/workflow only.',
  })),
  ...['pg', 'better-sqlite3', 'kysely', 'nodemailer', 'express'].map((name) => ({
    name,
    message: 'I/O belongs in activities: call it through proxyActivities.',
  })),
];

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      '.tools/',
      'data/',
      'dist/',
      'coverage/',
      'test-output/',
      // The designer gets its own config (browser globals, its own tsconfig).
      'designer/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Files outside tsconfig.json (JS scripts and configs) use a default project.
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'scripts/*.mjs', 'bin/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Route handlers implement a Promise-returning contract; some answer synchronously.
      '@typescript-eslint/require-await': 'off',
      // `const { omitted, ...rest } = x` is how we drop a field without mutating.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests probe JSON answers of the API freely; the answers' shape is what they assert.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  {
    // Plain Node JS (scripts, configs): ESLint's own no-undef needs the Node globals named.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        module: 'writable',
        require: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Workflow code is replayed from history and must be deterministic: no clocks, randomness,
    // file/network I/O or native modules other than what @temporalio/workflow provides. Activity
    // implementations are reached through proxyActivities, so only their types may be imported.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: workflowBannedPaths.map((path) => ({ ...path, allowTypeImports: true })),
          patterns: [
            {
              group: ['node:*'],
              allowTypeImports: true,
              message: 'Workflow code must be deterministic: no Node built-ins.',
            },
            {
              regex: '(^|/)activities(/|$)',
              allowTypeImports: true,
              message: 'Import activity types only (`import type`); call them via proxyActivities.',
            },
          ],
        },
      ],
    },
  },
);
