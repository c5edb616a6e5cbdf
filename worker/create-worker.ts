/**
 * Builds a Gatehouse worker: the `projectLifecycle` workflow plus the notification and audit
 * activities over the injected dependencies. Shared by `npm run worker` and the tests.
 */
import {
  NativeConnection,
  Runtime,
  Worker,
  type InjectedSinks,
  type WorkerOptions,
} from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities, retryWrite, type ActivityDeps } from '../activities';
import type { Database } from '../db';
import type { RecordedBatch } from '../activities';
import type { RecordSinks } from '../workflows/outbox';
import { migrateThroughWorker } from './project-updates';
import { WORKFLOW_BUNDLE_OPTIONS } from './workflow-bundle';

export interface GatehouseWorkerOptions extends Omit<ActivityDeps, 'db'> {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Kysely<Database>;
  /** A pre-built workflow bundle (tests); by default the workflows are bundled at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** Extra worker options (tuning, identity). */
  tuning?: Partial<
    Pick<
      WorkerOptions,
      | 'maxConcurrentWorkflowTaskExecutions'
      | 'maxCachedWorkflows'
      | 'maxConcurrentActivityTaskExecutions'
      | 'identity'
      | 'shutdownGraceTime'
    >
  >;
}

export async function createGatehouseWorker(options: GatehouseWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, workflowBundle, tuning, ...deps } = options;
  const activities = createActivities({ migrateProject: migrateThroughWorker, ...deps });
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle
      ? { workflowBundle }
      : {
          workflowsPath: WORKFLOW_BUNDLE_OPTIONS.workflowsPath,
          bundlerOptions: { preloadModules: WORKFLOW_BUNDLE_OPTIONS.preloadModules },
        }),
    activities,
    sinks: recordSinks(activities),
    ...tuning,
  });
}

/**
 * How a settle that failed for a reason that may pass (the database restarting, its connections
 * all taken) tries again: doubling from 1 s, about two minutes in all. The workflow cannot
 * retry it (a sink leaves no trace in the history), and until a settle or the project's next
 * record write lands, the read model may still show what an unrecorded attempt wrote.
 */
const SETTLE_RETRY_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000];

/** What the sinks log with (the worker's logger by default). */
type SinkLog = Pick<Runtime['logger'], 'warn' | 'error'>;

/** The workflow's record sinks (workflows/outbox.ts) over the activities' own record write. */
export function recordSinks(
  activities: Pick<ReturnType<typeof createActivities>, 'writeBatch'>,
  log: SinkLog = Runtime.instance().logger,
): InjectedSinks<RecordSinks> {
  return {
    records: {
      settle: {
        // In the background: a retry must not hold up the workflow's next activation.
        fn: (_info, batch) => void settle(activities.writeBatch, batch, log),
        callDuringReplay: false,
      },
    },
  };
}

async function settle(
  write: (batch: RecordedBatch) => Promise<void>,
  batch: RecordedBatch,
  log: SinkLog,
): Promise<void> {
  const projectId = batch.project?.id;
  try {
    await retryWrite(
      () => write(batch),
      SETTLE_RETRY_MS,
      (error, wait, attempt) => {
        log.warn(`read model not settled; trying again in ${wait / 1000} s`, {
          projectId,
          attempt,
          error: String(error),
        });
      },
    );
  } catch (error) {
    log.error("read model not settled: the project's next record write will settle it", {
      projectId,
      error: String(error),
    });
  }
}
