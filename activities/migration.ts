/**
 * The bulk migration's activity (issue 15): one project moved to the job's version by its own
 * `migrate` Update, exactly as the API sends it (the workflow's validator and rule decide; the
 * workflow audits it). Its idempotency key derives from job and project, so an activity retried
 * after a crash (of this worker, or of the database write after the Update) gets the first answer
 * again instead of a second migration; when the project refuses it `incompatible_version` because
 * it already runs that version, the key stored in the app database tells whether this job moved it
 * (the project's state keeps only its newest keys). Each attempt's Update carries the attempt's
 * deadline (`notAfter`) and an id of its own: Temporal may hold an Update it admitted until a
 * worker takes the project's workflow task, long after the attempt that sent it ended, and the
 * project refuses it then (`migration_expired`) rather than move after its job gave it up; a later
 * attempt is judged on its own deadline, never joined to an earlier, expired Update. A refusal is
 * an outcome, not a failure: it is written to the job and never retried; an expired one is the
 * attempt's failure, retried within the budget. An attempt that fails notes its error on the
 * project's row, and each retry its attempt, so the PMO sees a project being retried; the workflow
 * gives one up when its budget is spent (`giveUpMigration`). A stored key is an answer only once
 * it is settled: the record write that stored it may still be undone until a newer attempt of
 * the project writes (db/keys.ts), so until then the attempt fails and the job asks again.
 */
import { Context, type Info } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { findKey } from '../db/keys';
import {
  giveUpMigrationItem,
  noteMigrationAttempt,
  settleMigrationItem,
} from '../db/migration-jobs';
import { getProjectState } from '../db/projects';
import type { Database } from '../db/schema';
import { getVersion } from '../db/templates';
import {
  ACTIONS,
  bulkMigrationKey,
  IDEMPOTENCY_WINDOW,
  INPUT_REVISION,
  keyScope,
  Rejection,
  requestFingerprint,
  updateIdOf,
  type ActionInput,
  type GiveUpMigrationInput,
  type MigrateOneInput,
  type MigrationOutcome,
} from '../workflows/model';
import { ActivityErrorType } from './errors';

/** The type of an attempt's failure when the project's key of it is not yet settled. */
export const MIGRATION_UNSURE = 'migration_unsure';
/** How often a migration waiting on its project tells Temporal it is still alive. */
const HEARTBEAT_MS = 1_000;
/** The most of an error's message a job's row keeps. */
const ERROR_CHARS = 500;

/** Sends a project's `migrate` Update under `updateId` (worker/project-updates.ts). */
export type MigrateProject = (
  projectId: string,
  input: ActionInput<'migrate'>,
  updateId: string,
) => Promise<unknown>;

export interface MigrationDeps {
  db: Kysely<Database>;
  /** How the Update reaches the project; without it, this worker cannot migrate. */
  migrateProject?: MigrateProject | undefined;
}

export function createMigrationActivities(deps: MigrationDeps) {
  const { db } = deps;

  /** Migrates one project of a job and writes how it ended; answers that outcome. */
  async function migrateOne(input: MigrateOneInput): Promise<MigrationOutcome> {
    const { jobId, projectId } = input;
    const { attempt } = Context.current().info;
    if (attempt > 1) await noteMigrationAttempt(db, jobId, projectId, attempt);
    let outcome: MigrationOutcome;
    try {
      outcome = await heartbeating(() => migrate(input));
    } catch (error) {
      // Noted for the PMO, then thrown on for Temporal to retry (or the workflow to give up).
      await noteMigrationAttempt(db, jobId, projectId, attempt, messageOf(error));
      throw error;
    }
    await settleMigrationItem(db, jobId, projectId, outcome);
    return outcome;
  }

  /** Settles a project the workflow gave up as failed, naming its attempts and last error. */
  async function giveUpMigration(input: GiveUpMigrationInput): Promise<void> {
    await giveUpMigrationItem(db, input.jobId, input.projectId, {
      code: input.code,
      reason: (attempts) =>
        `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
        (input.timedOut !== undefined ? ` in ${input.timedOut} s` : '') +
        `; the last error: ${input.error.slice(0, ERROR_CHARS)}`,
    });
  }

  async function migrate(job: MigrateOneInput): Promise<MigrationOutcome> {
    const info = Context.current().info;
    const version = await getVersion(db, job.templateKey, job.version);
    if (!version) {
      // Published versions are never deleted: a job names one that was published.
      throw ApplicationFailure.create({
        type: ActivityErrorType.invalidInput,
        message: `template "${job.templateKey}" has no published version ${job.version}`,
        nonRetryable: true,
      });
    }
    const input = ACTIONS.migrate.input.parse({
      actor: { userId: job.userId, pmo: true },
      rev: INPUT_REVISION,
      version: job.version,
      idempotencyKey: bulkMigrationKey(job.jobId, job.projectId),
      template: version.template,
      notAfter: new Date(attemptDeadline(info)).toISOString(),
    });
    const scope = keyScope('migrate', input)!;
    const fingerprint = requestFingerprint('migrate', input);
    if (!deps.migrateProject) {
      throw ApplicationFailure.create({
        type: ActivityErrorType.invalidInput,
        message: 'this worker was built without a way to send Updates (migrateProject)',
      });
    }
    try {
      const updateId = `${updateIdOf('migrate', scope, fingerprint)}:${info.attempt}`;
      await deps.migrateProject(job.projectId, input, updateId);
      return { status: 'migrated' };
    } catch (error) {
      const rejection = rejectionOf(error);
      if (rejection?.code === 'migration_expired') {
        // Not an answer about the project: this attempt's time ran out before it was asked.
        throw ApplicationFailure.create({ type: rejection.code, message: rejection.reason });
      }
      if (rejection?.code === 'incompatible_version') {
        // Perhaps by an earlier attempt of this job, whose key the project's state no longer
        // holds (it keeps the newest keys only); the app database keeps every key of the window.
        const state = await getProjectState(db, job.projectId);
        const moved = state?.template.version === job.version;
        if (moved && (await appliedByKey(job.projectId, scope, fingerprint))) {
          return { status: 'migrated', replayed: true };
        }
      }
      if (rejection) return { status: 'failed', ...rejection };
      if (!(error instanceof WorkflowNotFoundError) && !isCompleted(error)) throw error;
      // Closed since: migrated first (its key is in the app database) or never.
      if (await appliedByKey(job.projectId, scope, fingerprint)) {
        return { status: 'migrated', replayed: true };
      }
      const state = await getProjectState(db, job.projectId);
      const status = state?.status ?? 'gone';
      return { status: 'failed', code: 'project_closed', reason: `the project is ${status}` };
    }
  }

  /**
   * Whether the project applied this job's `migrate` (its key, with this request, is stored).
   * A key not yet settled is no answer: the workflow task whose record write stored it may
   * still fail, and its next attempt then undoes the write (the key and the row it settled,
   * db/migration-settle.ts). The attempt fails instead, to be retried like one that met no
   * answer: a later one finds the key settled or gone, or the project answers it; a project
   * given up meanwhile keeps the job's answer on its row (keepAnswerWhileUnsure).
   */
  async function appliedByKey(projectId: string, scope: string, fingerprint: string) {
    const since = Date.now() - IDEMPOTENCY_WINDOW.ms;
    const key = await findKey(db, projectId, scope, since);
    if (key?.fp !== fingerprint) return false;
    if (!key.settled) {
      throw ApplicationFailure.create({
        type: MIGRATION_UNSURE,
        message:
          "the project's record of this migration may still be undone (its workflow task may " +
          'still fail): asked again',
      });
    }
    return true;
  }

  return { migrateOne, giveUpMigration };
}

/**
 * The last instant this attempt's Update may move its project: the attempt's start-to-close
 * deadline, within the activity's schedule-to-close (its budget). Both count from times the
 * Temporal server recorded, as the workflow's clock does. The attempt's scheduled time stands
 * in for its start (not given to activities): never later, so the deadline is never late.
 */
export function attemptDeadline(
  info: Pick<
    Info,
    | 'currentAttemptScheduledTimestampMs'
    | 'startToCloseTimeoutMs'
    | 'scheduledTimestampMs'
    | 'scheduleToCloseTimeoutMs'
  >,
): number {
  const attemptEnds = info.currentAttemptScheduledTimestampMs + info.startToCloseTimeoutMs;
  // 0: no schedule-to-close timeout (a job from before patch "migration-bounded").
  if (!(info.scheduleToCloseTimeoutMs > 0)) return attemptEnds;
  return Math.min(attemptEnds, info.scheduledTimestampMs + info.scheduleToCloseTimeoutMs);
}

/** The workflow's refusal of the Update, as code and reason. */
function rejectionOf(error: unknown): { code: string; reason: string } | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  if (!(error.cause instanceof ApplicationFailure)) return undefined;
  const parsed = Rejection.safeParse(error.cause.details?.[0]);
  return parsed.success ? { code: parsed.data.code, reason: parsed.data.message } : undefined;
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.slice(0, ERROR_CHARS);
}

function isCompleted(error: unknown): boolean {
  return error instanceof Error && /already completed/i.test(error.message);
}

/**
 * Runs `call` while heartbeating, so a worker that dies mid-call is noticed in seconds, and
 * stops waiting for it once Temporal answers a heartbeat that the attempt is over (timed out
 * or cancelled): its Update stays with the server, and the project refuses it past its
 * `notAfter`, so nothing is left for this attempt to write.
 */
async function heartbeating<T>(call: () => Promise<T>): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_MS);
  try {
    return await Promise.race([call(), context.cancelled]);
  } finally {
    clearInterval(timer);
  }
}
