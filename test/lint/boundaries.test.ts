/**
 * The import-boundary rule (eslint.config.mjs, docs/architecture.md): ESLint is fed an import
 * that crosses a layer the wrong way, as the text of a real file of that layer, and must report
 * it; the imports each layer is allowed stay unreported.
 */
import { askEslint } from './eslint';

const RULE = '@typescript-eslint/no-restricted-imports';

/** [file of the layer, import statement] */
const forbidden: [string, string][] = [
  ['designer/src/App.tsx', "import { openDatabase } from '../../db/database';"],
  ['designer/src/App.tsx', "import type { User } from '../../db/records';"],
  ['designer/src/App.tsx', "import { createApp } from '../../server/app';"],
  ['designer/src/App.tsx', "import type { Linkable } from '../../server/routes/projects';"],
  ['designer/src/App.tsx', "import { projectLifecycle } from '../../workflows/project-lifecycle';"],
  ['designer/src/App.tsx', "import { readFileSync } from 'node:fs';"],
  ['workflows/project-lifecycle.ts', "import { createActivities } from '../activities';"],
  ['workflows/project-lifecycle.ts', "import { openDatabase } from '../db/database';"],
  ['workflows/project-lifecycle.ts', "import type { App } from '../server/app';"],
  ['workflows/project-lifecycle.ts', "import { randomUUID } from 'node:crypto';"],
  ['workflows/lifecycle/effects.ts', "import { sleep } from '@temporalio/workflow';"],
  ['workflows/lifecycle/effects.ts', "import { nodeUpdate } from '../messages';"],
  ['workflows/model/index.ts', "import { decide } from '../lifecycle';"],
  // Values from a barrel: the bundle would evaluate every module it re-exports per workflow.
  ['workflows/lifecycle/effects.ts', "import { LIMITS } from '../model';"],
  ['workflows/project-lifecycle.ts', "import { migrateState, type ProjectState } from './model';"],
  ['workflows/project-lifecycle.ts', "import { decide } from './lifecycle';"],
  ['db/records.ts', "import { routes } from '../server/contract';"],
  ['db/records.ts', "import { createActivities } from '../activities';"],
  ['activities/format.ts', "import { routes } from '../server/contract';"],
  ['activities/format.ts', "import { loadConfig } from '../config';"],
  ['server/app.ts', "import { createActivities } from '../activities';"],
  ['server/app.ts', "import { startWorker } from '../worker/run-worker';"],
  ['server/contract.ts', "import { createApp } from './app';"],
  ['server/contract.ts', "import { openDatabase } from '../db/database';"],
  ['server/contract.ts', "import type { User } from '../db/records';"],
  ['server/contract-responses.ts', "import { TokenInfo } from '../db/tokens';"],
  ['designer/src/App.tsx', "import type { Handlers } from '../../server/app';"],
  ['config/index.ts', "import { createApp } from '../server/app';"],
  ['process/exit.ts', "import { startWorker } from '../worker/run-worker';"],
  ['worker/main.ts', "import { createApp } from '../server/app';"],
  ['cli/main.ts', "import { stack } from '../test/server/stack';"],
];

/** Imports the same layers make today: the rule must leave them alone. */
const allowed: [string, string][] = [
  ['designer/src/App.tsx', "import { routes } from '../../server/contract';"],
  ['designer/src/App.tsx', "import type { Template } from '../../workflows/model';"],
  ['designer/src/App.tsx', "import { notificationPath } from '../../workflows/model/links';"],
  [
    'designer/src/App.tsx',
    "import type { PendingAction } from '../../workflows/lifecycle/pending';",
  ],
  ['workflows/project-lifecycle.ts', "import type { Activities } from '../activities';"],
  ['workflows/lifecycle/effects.ts', "import { LIMITS } from '../model/commands';"],
  ['workflows/lifecycle/effects.ts', "import type { ProjectState } from '../model';"],
  ['workflows/project-lifecycle.ts', "import type { Machine } from './lifecycle';"],
  ['server/contract.ts', "import { User } from '../workflows/model';"],
  ['server/contract-responses.ts', "import type { PendingAction } from '../workflows/lifecycle';"],
  ['designer/src/App.tsx', "import type { ProjectView } from '../../server/contract';"],
  ['server/app.ts', "import { openDatabase } from '../db/database';"],
  ['activities/format.ts', "import { openDatabase } from '../db/database';"],
  ['worker/main.ts', "import { createActivities } from '../activities';"],
  ['cli/main.ts', "import { createApp } from '../server/app';"],
];

describe('import boundaries', () => {
  const texts = [...forbidden, ...allowed].map(([filePath, code]) => ({
    filePath,
    code: `${code}\n`,
  }));
  // The rule reads import statements only: no type information needed (see eslint-probe.ts).
  const verdicts = askEslint({ texts, onlyRule: RULE }).texts;
  const reported = (index: number) =>
    (verdicts[index]?.messages ?? []).filter((m) => m.ruleId === RULE).map((m) => m.message);

  test.each(forbidden.map((c, i) => [...c, i] as const))(
    '%s may not: %s',
    (_file, _code, index) => {
      expect(reported(index)).toHaveLength(1);
    },
  );

  test.each(allowed.map((c, i) => [...c, forbidden.length + i] as const))(
    '%s may: %s',
    (_file, _code, index) => {
      expect(reported(index)).toEqual([]);
    },
  );
});
