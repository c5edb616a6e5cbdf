// ESLint flat config: type-aware TypeScript rules for every source file (the designer with the
// Rules of Hooks too), determinism rules for workflows, and the import boundaries between layers.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Imports that would make workflow code nondeterministic or unbundleable (see workflows/ below). */
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
].map((path) => ({ ...path, allowTypeImports: true }));
const nodeBuiltinPattern = {
  group: ['node:*'],
  allowTypeImports: true,
  message: 'Workflow code must be deterministic: no Node built-ins.',
};

/**
 * Workflow code takes a value from the model (or the interpreter) module that defines it, never
 * from the barrel: the SDK evaluates the bundle's modules afresh for each workflow, and the
 * barrel would build every schema of the model, the state's and the records' too (README,
 * engine bench). Types cost nothing at run time: `import type` from the barrel is fine.
 * @param {string} barrel
 */
const NO_BARREL_VALUES = (barrel) => ({
  regex: `^\\.\\.?/${barrel}(/index)?(\\.js)?$`,
  allowTypeImports: true,
  message: `Import the value from the ${barrel} module that defines it: the barrel's every module is evaluated per workflow.`,
});

/**
 * The layers (docs/architecture.md says who may import whom and why). Imports between top-level
 * folders are relative, so a folder is reached by climbing out of one's own: `../../db/records`
 * from `server/routes/`. No folder below the top level of a restricted layer repeats a top-level
 * folder's name, so the specifier names the layer.
 */
/** @param {string} target */
const reach = (target) => `^(\\.\\./)+(${target})(/|$)`;
/**
 * A pattern forbidding imports of `target` (a regex over top-level paths) from a layer.
 * @param {string} target
 * @param {string} message
 * @param {{ types?: boolean }} [options] `types: true` keeps `import type` allowed.
 */
const forbid = (target, message, options = {}) => ({
  regex: reach(target),
  allowTypeImports: options.types ?? false,
  message,
});
const TOOLING = forbid('cli|scripts|bench|test', 'Tooling imports the code, never the reverse.');
const NO_DESIGNER = forbid(
  'designer',
  'The designer is a browser app: share code through the model.',
);
const NO_SERVER = forbid('server', 'Only the API composes server/ (processes: cli/, scripts/).');
const NO_WORKER = forbid('worker', 'Only processes (cli/, scripts/) compose the worker.');
const WORKFLOW_WIRING = forbid(
  'workflows(?=$)|workflows/(?!(model|lifecycle)(/|$))[^/]+',
  'Outside the worker, workflow code is reached through workflows/messages only.',
);

/** Each layer's forbidden imports; the first match of a file's path wins (see boundaries()). */
const layers = [
  {
    // The model: schemas and pure rules, importing only zod and pure libraries.
    files: ['workflows/model/**/*.ts'],
    paths: workflowBannedPaths,
    patterns: [
      nodeBuiltinPattern,
      { group: ['@temporalio/*'], message: 'The model is plain data: no Temporal.' },
      forbid(
        'lifecycle|messages|outbox|project-lifecycle|deadline-timer',
        'The model is the bottom layer: the interpreter and the workflow build on it.',
      ),
      forbid(
        'activities|db|server|worker|designer|config|process|cli|scripts|bench|test',
        'The model imports only zod and pure libraries.',
      ),
    ],
  },
  {
    // The interpreter: pure decide/tick over the model, unit-testable without Temporal.
    files: ['workflows/lifecycle/**/*.ts'],
    paths: workflowBannedPaths,
    patterns: [
      nodeBuiltinPattern,
      {
        group: ['@temporalio/*'],
        message: 'The interpreter is pure: the workflow wires Temporal.',
      },
      forbid(
        'messages|outbox|project-lifecycle|deadline-timer',
        'The interpreter may import the model only; the workflow wires it.',
      ),
      NO_BARREL_VALUES('model'),
      forbid(
        'activities|db|server|worker|designer|config|process|cli|scripts|bench|test',
        'The interpreter imports only the model.',
      ),
    ],
  },
  {
    // The workflow wiring: replayed from history, so deterministic; activities by type only.
    files: ['workflows/**/*.ts'],
    paths: workflowBannedPaths,
    patterns: [
      nodeBuiltinPattern,
      forbid(
        'activities',
        'Import activity types only (`import type`); call them via proxyActivities.',
        { types: true },
      ),
      NO_BARREL_VALUES('model'),
      NO_BARREL_VALUES('lifecycle'),
      forbid(
        'db|server|worker|designer|config|process|cli|scripts|bench|test',
        'Workflow code runs in the sandbox: I/O and configuration reach it through activities.',
      ),
    ],
  },
  {
    // The contract is bundled by the designer: zod and the model (its read-model records too).
    files: ['server/contract*.ts'],
    patterns: [
      {
        regex: '^\\./(?!contract(-[a-z]+)?(\\.js)?$)',
        message: 'The contract is bundled by the designer: it may import only contract-* files.',
      },
      forbid(
        'db|activities|worker|designer|config|process|cli|scripts|bench|test',
        'The contract imports only zod and the model (the read-model records are in the model).',
      ),
      WORKFLOW_WIRING,
    ],
  },
  {
    // The designer: the model, the pure interpreter and the API contract, nothing server-side.
    files: ['designer/**/*.{ts,tsx}'],
    paths: nodeBuiltins.map((name) => ({ name, message: 'The designer runs in the browser.' })),
    patterns: [
      { group: ['node:*'], message: 'The designer runs in the browser.' },
      forbid(
        'server(?=$)|server/(?!contract(-[a-z]+)?(\\.js)?$)[^/]+',
        'The designer reaches the server through its contract (server/contract) only.',
      ),
      forbid(
        'db|activities|worker|config|process|cli|scripts|bench|test',
        'The designer is a browser app: it reaches the rest through the HTTP API.',
      ),
      WORKFLOW_WIRING,
    ],
  },
  {
    // The read model and the app database: records as model-derived schemas.
    files: ['db/**/*.ts'],
    patterns: [
      forbid(
        'activities|server|worker|designer|config|process',
        'The database layer is below activities, the API and the worker.',
      ),
      WORKFLOW_WIRING,
      TOOLING,
    ],
  },
  {
    // Activities: I/O for the workflows, over the database and the notification channels.
    files: ['activities/**/*.ts'],
    patterns: [
      forbid(
        'server|worker|designer|config|process',
        'Activities get what they need injected (createActivities); processes compose them.',
      ),
      WORKFLOW_WIRING,
      TOOLING,
    ],
  },
  {
    // Configuration: parsed environment; it knows the databases' URLs and webhook formats.
    files: ['config/**/*.ts'],
    patterns: [NO_SERVER, NO_WORKER, NO_DESIGNER, WORKFLOW_WIRING, TOOLING],
  },
  {
    // Process helpers (shutdown, exit, ops server), shared by the API and the worker.
    files: ['process/**/*.ts'],
    patterns: [
      NO_SERVER,
      NO_WORKER,
      NO_DESIGNER,
      forbid('activities|workflows', 'Process helpers know no domain.'),
      TOOLING,
    ],
  },
  {
    files: ['worker/**/*.ts'],
    patterns: [NO_SERVER, NO_DESIGNER, TOOLING],
  },
  {
    files: ['server/**/*.ts'],
    patterns: [
      forbid('activities', 'The API starts and queries workflows; activities run in the worker.'),
      NO_WORKER,
      NO_DESIGNER,
      TOOLING,
    ],
  },
  {
    // The CLI composes the API, the worker and the embedded default (scripts/start).
    files: ['cli/**/*.ts'],
    patterns: [NO_DESIGNER, forbid('bench|test', 'Tooling imports the code, never the reverse.')],
  },
];

/**
 * One config object per layer. ESLint merges the options of a rule across objects by
 * replacing them, so each file must match exactly one layer: every layer's files exclude the
 * layers listed before it.
 */
function boundaries() {
  return layers.map((layer, index) => ({
    files: layer.files,
    ignores: layers.slice(0, index).flatMap((earlier) => earlier.files),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: layer.paths ?? [], patterns: layer.patterns },
      ],
    },
  }));
}

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      '.tools/',
      'data/',
      'dist/',
      'designer/dist/',
      'coverage/',
      'test-output/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with its nearest tsconfig.json (designer/ has its own: DOM, JSX,
        // bundler resolution); JS scripts and configs outside any use a default project.
        projectService: {
          allowDefaultProject: [
            '*.js',
            '*.mjs',
            'scripts/*.mjs',
            'test/support/*.mjs',
            'test/support/*.js',
            'bin/*.js',
          ],
          // Nine such files today (typescript-eslint's default cap is eight): plain scripts of a
          // few hundred lines, so the default project stays cheap; the cap still catches a glob
          // that starts to match whole folders.
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16,
        },
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
    // The Rules of Hooks. The plugin's React Compiler rules (refs, purity, set-state-in-effect…)
    // are for code the compiler will optimise; the designer does not use the compiler.
    files: ['designer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  boundaries(),
);
