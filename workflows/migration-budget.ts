/**
 * A bulk migration's budget per project (patch "migration-bounded"): before it, a project whose
 * `migrate` Update kept failing in a retryable way (its workflow task timing out, its worker
 * gone) was retried for ever and held its lane, and the job stayed `running`. Now each project
 * has a bounded number of attempts within a bounded time; when they are spent, the project is
 * settled `failed` with the last error and the job goes on to the others.
 */
import { ActivityFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import type { ActivityOptions } from '@temporalio/workflow';
import type { BulkMigrationInput, GiveUpMigrationInput } from './model';

export const MIGRATION_BOUNDED = 'migration-bounded';
/**
 * Patch id: a project whose time ran out during an attempt is given up `retries_exhausted` in
 * its budget's seconds, as when it ran out between attempts; before it, `migration_error`.
 */
export const MIGRATION_OUT_OF_TIME = 'migration-out-of-time';

/**
 * Attempts per project. Doubling from 1 s to 30 s, twenty attempts that fail at once take
 * about eight minutes: a worker restart or deploy fits in them, a project that fails that
 * often fails for a reason the PMO has to look at.
 */
export const DEFAULT_ATTEMPTS = 20;
/**
 * Time per project from its first attempt. An attempt waits up to 5 minutes for a project's
 * workflow task (a worker gone), so this allows about six of those: half an hour is as long
 * as a PMO watching a job would wait for one project before reading it as stuck. It also
 * counts the time the activity waits for a worker: if every worker is down longer than this,
 * the projects in flight (one per lane) fail with a timeout and can be migrated again by a
 * new job of just those.
 */
export const DEFAULT_SECONDS = 30 * 60;

/** The activity options of one project's migration under `budget`. */
export function budgetedOptions(budget: BulkMigrationInput['budget']): ActivityOptions {
  return {
    // An Update waits for its project's workflow task, which waits for a worker (up to the
    // project's 30 s task timeout after a worker died); the heartbeat notices a dead activity.
    startToCloseTimeout: '5m',
    heartbeatTimeout: '10s',
    scheduleToCloseTimeout: `${budget?.seconds ?? DEFAULT_SECONDS}s`,
    retry: {
      initialInterval: '1s',
      maximumInterval: '30s',
      backoffCoefficient: 2,
      maximumAttempts: budget?.attempts ?? DEFAULT_ATTEMPTS,
    },
  };
}

/**
 * Settling a given-up project is one database write: retried until the database answers, as
 * the job cannot finish without it (and nothing of it is visible until then).
 */
export const GIVE_UP_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '30s', backoffCoefficient: 2 },
};

/**
 * Whether the budget's time ran out while an attempt was running. Temporal ends that attempt
 * with a schedule-to-close timeout and retry state NON_RETRYABLE_FAILURE (a timeout of the
 * whole activity is never retried), not TIMEOUT, which it gives when it stops retrying
 * because the next attempt would start past that time.
 */
export function ranOutInAttempt(failure: ActivityFailure): boolean {
  return (
    failure.cause instanceof TimeoutFailure &&
    failure.cause.timeoutType === TimeoutType.SCHEDULE_TO_CLOSE
  );
}

/**
 * Why `failure` ended a project's migration under `budget`: code, last error, time spent.
 * `outOfTime`: read a schedule-to-close timeout as the time running out (patch
 * "migration-out-of-time"); false replays a job given up before it as it was.
 */
export function givenUp(
  failure: ActivityFailure,
  budget: BulkMigrationInput['budget'],
  outOfTime = ranOutInAttempt(failure),
): Omit<GiveUpMigrationInput, 'jobId' | 'projectId'> {
  const timedOut = failure.retryState === RetryState.TIMEOUT || outOfTime;
  const final = !timedOut && failure.retryState === RetryState.NON_RETRYABLE_FAILURE;
  return {
    code: final ? 'migration_error' : 'retries_exhausted',
    error: lastErrorOf(failure),
    ...(timedOut && { timedOut: budget?.seconds ?? DEFAULT_SECONDS }),
  };
}

/** The causes under `failure`, outermost first: a timeout by its kind, any other its message. */
function lastErrorOf(failure: ActivityFailure): string {
  const parts: string[] = [];
  for (let cause = failure.cause; cause; cause = causeOf(cause)) {
    parts.push(
      cause instanceof TimeoutFailure
        ? `${(cause.timeoutType ?? 'activity').toLowerCase().replace(/_/g, '-')} timeout`
        : cause.message,
    );
  }
  return parts.length > 0 ? parts.join(': ') : failure.message;
}

function causeOf(error: Error): Error | undefined {
  return error.cause instanceof Error ? error.cause : undefined;
}
