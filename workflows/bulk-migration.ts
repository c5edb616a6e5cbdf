/**
 * A bulk migration (issue 15) as a durable workflow: every project of the job moved by one
 * activity each, a few lanes at a time. A worker that dies mid-job costs nothing: the history
 * holds every project already settled, and the one in flight is retried on another worker
 * under the same idempotency key (activities/migration.ts), so it is migrated once. Outcomes
 * go to the read model (the job's rows); the workflow keeps only what is left to do.
 */
import { continueAsNew, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BulkMigrationInput } from './model';

/** Activities in flight at once unless the job says otherwise. */
const DEFAULT_LANES = 4;
/**
 * Projects per run: a run's history grows by a few events per project, so a large job goes on
 * in a fresh run (continue-as-new) with the rest, well below Temporal's history limits.
 */
const PROJECTS_PER_RUN = 500;

const { migrateOne } = proxyActivities<Activities>({
  // An Update waits for its project's workflow task, which waits for a worker (up to the
  // project's 30 s task timeout after a worker died); the heartbeat notices a dead activity.
  startToCloseTimeout: '5m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', maximumInterval: '30s', backoffCoefficient: 2 },
});

/** Settles every project of `input`, this run's share first, then the rest in a new run. */
export async function bulkMigration(input: BulkMigrationInput): Promise<void> {
  const { jobId, userId, templateKey, version } = input;
  const perRun = input.perRun ?? PROJECTS_PER_RUN;
  const share = input.projectIds.slice(0, perRun);
  const rest = input.projectIds.slice(perRun);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < share.length) {
      const projectId = share[next++]!;
      await migrateOne({ jobId, userId, templateKey, version, projectId });
    }
  };
  const lanes = Math.min(input.lanes ?? DEFAULT_LANES, share.length);
  await Promise.all(Array.from({ length: lanes }, lane));
  if (rest.length > 0) await continueAsNew<typeof bulkMigration>({ ...input, projectIds: rest });
}
