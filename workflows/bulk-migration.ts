/**
 * A bulk migration (issue 15) as a durable workflow: every project of the job moved by one
 * activity each, a few lanes at a time. A worker that dies mid-job costs nothing: the history
 * holds every project already settled, and the one in flight is retried on another worker
 * under the same idempotency key (activities/migration.ts), so it is migrated once. Outcomes
 * go to the read model (the job's rows); the workflow keeps only what is left to do. Each
 * project has a budget of attempts and time (workflows/migration-budget.ts): one that cannot
 * be migrated in it is settled `failed` with its last error, so every job finishes.
 */
import {
  ActivityFailure,
  continueAsNew,
  isCancellation,
  patched,
  proxyActivities,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  budgetedOptions,
  givenUp,
  GIVE_UP_OPTIONS,
  MIGRATION_BOUNDED,
  MIGRATION_OUT_OF_TIME,
  ranOutInAttempt,
} from './migration-budget';
import type { BulkMigrationInput, MigrateOneInput } from './model';

/** Activities in flight at once unless the job says otherwise. */
const DEFAULT_LANES = 4;
/**
 * Projects per run: a run's history grows by a few events per project, so a large job goes on
 * in a fresh run (continue-as-new) with the rest, well below Temporal's history limits.
 */
const PROJECTS_PER_RUN = 500;

/** Before patch "migration-bounded": retried for ever (workflows/migration-budget.ts). */
const unbounded = proxyActivities<Activities>({
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
  const migrateOne = patched(MIGRATION_BOUNDED) ? bounded(input) : unbounded.migrateOne;
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

/**
 * One project's migration within the job's budget: when its activity fails for good (budget
 * spent, or an error no retry changes), the project is settled `failed` with that error and
 * its lane goes on.
 */
function bounded(input: BulkMigrationInput): (project: MigrateOneInput) => Promise<void> {
  const { migrateOne } = proxyActivities<Activities>(budgetedOptions(input.budget));
  const { giveUpMigration } = proxyActivities<Activities>(GIVE_UP_OPTIONS);
  return async (project) => {
    try {
      await migrateOne(project);
    } catch (error) {
      if (!(error instanceof ActivityFailure) || isCancellation(error)) throw error;
      const { jobId, projectId } = project;
      // Asked only when the time ran out during an attempt: the one case the patch changes.
      const outOfTime = ranOutInAttempt(error) && patched(MIGRATION_OUT_OF_TIME);
      await giveUpMigration({ jobId, projectId, ...givenUp(error, input.budget, outOfTime) });
    }
  };
}
