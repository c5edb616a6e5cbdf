/**
 * Bulk migration (issue 15): many projects of one template moved to a published version in
 * one PMO action, by a durable workflow that runs one activity per project. Each activity
 * sends the project's own `migrate` Update under a key derived from the job and the project,
 * so a retried activity never migrates twice.
 */
import { z } from 'zod';

/** `pending` until its activity settles it; then `migrated` or `failed` (refused, with why). */
export const MIGRATION_ITEM_STATUSES = ['pending', 'migrated', 'failed'] as const;
export const MigrationItemStatus = z.enum(MIGRATION_ITEM_STATUSES);
export type MigrationItemStatus = z.infer<typeof MigrationItemStatus>;

/** Projects one bulk migration may name. */
export const MAX_BULK_MIGRATION = 5_000;

/**
 * Lanes a job may run at most. Lanes take projects in job order, so the projects in flight
 * (those being retried among them) are always among the first this many pending ones: a
 * watcher reads that page to show them.
 */
export const MAX_MIGRATION_LANES = 32;

/**
 * The most one attempt of a project's migration may take: its start-to-close
 * (workflows/migration-budget.ts, which keeps model values out of the job's workflow module).
 * An Update the attempt sent may wait at Temporal until a worker runs the project, and the
 * project applies it up to the attempt's deadline: so a project given up can still move until
 * this long after.
 */
export const MIGRATION_ATTEMPT_SECONDS = 300;

/** What the `bulkMigration` workflow is started with. */
export const BulkMigrationInput = z.object({
  jobId: z.string().min(1),
  /** Who asked (a PMO user): the Updates act as them. */
  userId: z.string().min(1),
  templateKey: z.string().min(1),
  version: z.number().int().min(1),
  /** The projects, in job order. */
  projectIds: z.array(z.string().min(1)).max(MAX_BULK_MIGRATION),
  /** Activities in flight at once (default 4): a bound on the load one job puts on projects. */
  lanes: z.number().int().min(1).max(MAX_MIGRATION_LANES).optional(),
  /** Projects per workflow run before it continues as new with the rest (default 500). */
  perRun: z.number().int().min(1).max(500).optional(),
  /**
   * Each project's budget (workflows/migration-budget.ts): at most `attempts` tries within
   * `seconds` of its first; then it is settled `failed` and the job goes on. The API leaves it
   * to the defaults (20 attempts, 30 minutes); tests set short ones.
   */
  budget: z
    .object({
      attempts: z.number().int().min(1).max(100).optional(),
      seconds: z.number().int().min(1).max(86_400).optional(),
    })
    .optional(),
});
export type BulkMigrationInput = z.infer<typeof BulkMigrationInput>;

/** One project's part of a job, as the activity that migrates it is given. */
export interface MigrateOneInput {
  jobId: string;
  userId: string;
  templateKey: string;
  version: number;
  projectId: string;
}

/**
 * The codes of a project the job gave up (its budget spent, or an attempt failing for good),
 * as against a refusal, the project's own answer. Only a project given up may still settle
 * late: an attempt's Update may be admitted and applied after the job stopped waiting for it.
 */
export const GIVE_UP_CODES = ['retries_exhausted', 'migration_error'] as const;
export type GiveUpCode = (typeof GIVE_UP_CODES)[number];

/** Whether a failed project's code says the job gave it up (so it may still settle late). */
export const wasGivenUp = (code: string | undefined): boolean =>
  (GIVE_UP_CODES as readonly (string | undefined)[]).includes(code);

/**
 * Whether a bulk migration `done` `doneForMs` ago may still change, so is worth looking at
 * again: while any row stands `migrated` provisionally (a project's record write that may still
 * be undone settled it: it may turn back to `failed`), however long that lasts; and for one
 * attempt's time (MIGRATION_ATTEMPT_SECONDS) while it has failures of which one, once the
 * `failures` are known, was given up (its Update may still land late; a refusal stays).
 */
export function mayStillSettle(
  job: { failed: number; provisional: number },
  doneForMs: number,
  failures?: readonly { code?: string | undefined }[],
): boolean {
  if (job.provisional > 0) return true;
  if (job.failed === 0 || doneForMs >= MIGRATION_ATTEMPT_SECONDS * 1000) return false;
  return failures === undefined || failures.some((item) => wasGivenUp(item.code));
}

/**
 * A project whose migration was given up: `retries_exhausted` when its budget was spent,
 * `migration_error` when an attempt failed in a way no retry changes; `error` is the last
 * error its activity met, as the workflow was told it.
 */
export interface GiveUpMigrationInput {
  jobId: string;
  projectId: string;
  code: GiveUpCode;
  error: string;
  /** The seconds of its budget, when it was time that ran out (not its attempts). */
  timedOut?: number;
}

/** How one project's migration ended: `failed` carries the refusal's code and message. */
export const MigrationOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('migrated'), replayed: z.boolean().optional() }),
  z.object({ status: z.literal('failed'), code: z.string(), reason: z.string() }),
]);
export type MigrationOutcome = z.infer<typeof MigrationOutcome>;

/**
 * The idempotency key of one project's migration in one job: the same on every retry of its
 * activity, so the project's own key check (and Temporal's Update id) answers a retry with the
 * first result instead of migrating again.
 */
export function bulkMigrationKey(jobId: string, projectId: string): string {
  return `bulk-migration:${jobId}:${projectId}`;
}
