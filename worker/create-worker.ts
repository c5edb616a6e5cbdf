/**
 * Builds a Gatehouse worker: the `projectLifecycle` workflow plus the notification and audit
 * activities over the injected dependencies. Shared by `npm run worker` and the tests.
 */
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Kysely } from 'kysely';
import { createActivities, type ActivityDeps } from '../activities';
import type { Database } from '../db';

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
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities(deps),
    ...tuning,
  });
}
