/**
 * What a bench runs against, built fresh and torn down completely: its own Temporal dev server
 * (the CLI found as SPEC §5 says), a temp SQLite app database, and one Gatehouse worker
 * loading the given workflows entry with the real activities (and, for reference workflows,
 * a second one loading theirs alone).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { TestWorkflowEnvironment, type EphemeralServerExecutable } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createDatabase, insertUser, migrateToLatest, seedTemplate, type Database } from '../db';
import type { Template } from '../workflows/model';
import { createGatehouseWorker, type GatehouseWorkerOptions } from '../worker/create-worker';
import { WORKFLOW_BUNDLE_OPTIONS } from '../worker/workflow-bundle';

const NAMESPACE = 'default';

export interface BenchEnvironment {
  client: Client;
  db: Kysely<Database>;
  taskQueue: string;
  /** The Gatehouse worker polling `taskQueue` (its status: cached workflows, tasks in flight). */
  worker: Worker;
  /** Where the reference workflows run, when `referenceWorkflowsPath` was given. */
  referenceTaskQueue?: string;
  /** Stops the worker, the server and the database and removes the temp files. */
  close(): Promise<void>;
}

export interface BenchEnvironmentOptions {
  /** The workflows entry to bundle (absolute path), preloading as the worker's bundle does. */
  workflowsPath: string;
  /** App users to create (id = name); those listed in `pmo` get the PMO flag. */
  users: string[];
  pmo?: string[];
  /**
   * Templates published as version 1 before the worker starts, as the API publishes the
   * built-in ones at its first start (server/bootstrap.ts): projects run on published versions.
   */
  templates?: Template[];
  /** Worker tuning (the workflow cache size, for one). */
  tuning?: GatehouseWorkerOptions['tuning'];
  /**
   * Reference workflows (a bare one to measure the engine against), bundled on their own and
   * served by a second worker of the same process on `referenceTaskQueue`. In the engine's
   * bundle they would pay for what the engine pays: every workflow evaluates its bundle's
   * modules afresh (the SDK's per-workflow module cache), the engine's model and schemas too.
   */
  referenceWorkflowsPath?: string;
}

export async function startBenchEnvironment(
  options: BenchEnvironmentOptions,
): Promise<BenchEnvironment> {
  // Worker lifecycle lines at INFO would bury the bench's own output.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  // Undo in reverse order whatever did start, also when a later step fails.
  const undo: (() => Promise<void>)[] = [];
  const close = async () => {
    const errors: unknown[] = [];
    for (const step of undo.reverse()) await step().catch((e: unknown) => errors.push(e));
    undo.length = 0;
    if (errors.length > 0) throw new AggregateError(errors, 'bench teardown failed');
  };
  try {
    const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'gatehouse-bench-'));
    undo.push(() => rm(tmpDir, { recursive: true, force: true }));

    // Independent and both slow: start the server while webpack bundles.
    const serverStart = startServer();
    undo.push(async () => (await serverStart).teardown());
    const bundle = (workflowsPath: string, preloadModules: string[] = []) =>
      bundleWorkflowCode({ workflowsPath, preloadModules, logger: new DefaultLogger('WARN') });
    const [server, { code }, reference] = await Promise.all([
      serverStart,
      bundle(options.workflowsPath, WORKFLOW_BUNDLE_OPTIONS.preloadModules),
      options.referenceWorkflowsPath === undefined
        ? undefined
        : bundle(options.referenceWorkflowsPath),
    ]);

    // As the worker process opens it (worker/main.ts).
    const db = createDatabase(`sqlite:${path.join(tmpDir, 'gatehouse.db')}`, {
      backgroundCheckpoints: true,
    });
    undo.push(() => db.destroy());
    await migrateToLatest(db);
    for (const template of options.templates ?? []) await seedTemplate(db, template);
    const pmo = new Set(options.pmo);
    for (const id of options.users) {
      await insertUser(db, { id, name: id, email: `${id}@bench.test`, pmo: pmo.has(id) });
    }

    const start = async (taskQueue: string, workflowCode: string) => {
      const worker = await createGatehouseWorker({
        connection: server.nativeConnection,
        namespace: NAMESPACE,
        taskQueue,
        db,
        workflowBundle: { code: workflowCode },
        ...(options.tuning && { tuning: options.tuning }),
      });
      const running = worker.run();
      // Observed when stopping; this only keeps an early failure from going unhandled.
      running.catch(() => undefined);
      undo.push(async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
      });
      return worker;
    };
    const taskQueue = `bench-${randomUUID()}`;
    const worker = await start(taskQueue, code);
    const referenceTaskQueue = reference && `${taskQueue}-reference`;
    if (reference && referenceTaskQueue) await start(referenceTaskQueue, reference.code);

    return {
      client: server.client,
      db,
      taskQueue,
      worker,
      ...(referenceTaskQueue && { referenceTaskQueue }),
      close,
    };
  } catch (error) {
    await close().catch((e: unknown) => console.error('bench: teardown after failure', e));
    throw error;
  }
}

async function startServer(): Promise<TestWorkflowEnvironment> {
  // Plain JS shared with `npm test`; a dynamic import keeps one implementation of SPEC §5.
  const { resolveTemporalCli } = await import('../scripts/temporal-cli.mjs');
  const cli = resolveTemporalCli();
  const executable: EphemeralServerExecutable = cli.path
    ? { type: 'existing-path', path: cli.path }
    : { type: 'cached-download' };
  // No port: the SDK binds a free one, so a bench can run beside the test suite.
  return TestWorkflowEnvironment.createLocal({
    server: { executable, ip: '127.0.0.1', namespace: NAMESPACE },
  });
}
