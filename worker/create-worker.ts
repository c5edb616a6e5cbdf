/**
 * Builds a Gatehouse worker: the `projectLifecycle` workflow plus the notification and audit
 * activities over the injected dependencies. Shared by `npm run worker` and the tests.
 */
import {
  NativeConnection,
  Worker,
  type InjectedSinks,
  type WorkerOptions,
} from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities, type ActivityDeps } from '../activities';
import type { Database } from '../db';
import type { RecordSinks } from '../workflows/outbox';

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
      | 'maxConcurrentActivityTaskExecutions'
      | 'identity'
      | 'shutdownGraceTime'
    >
  >;
}

export async function createGatehouseWorker(options: GatehouseWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, workflowBundle, tuning, ...deps } = options;
  const activities = createActivities(deps);
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities,
    sinks: recordSinks(activities),
    ...tuning,
  });
}

/** The workflow's record sinks (workflows/outbox.ts) over the activities' own record write. */
export function recordSinks(
  activities: Pick<ReturnType<typeof createActivities>, 'writeBatch'>,
): InjectedSinks<RecordSinks> {
  return {
    records: {
      settle: {
        // Errors are logged by the worker ("External sink function threw an error"): the
        // next record write of the project supersedes the same rows anyway.
        fn: (_info, batch) => activities.writeBatch(batch),
        callDuringReplay: false,
      },
    },
  };
}
