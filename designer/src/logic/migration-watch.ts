/**
 * How often the Impact panel looks again at a bulk migration that is done but may still change
 * (workflows/model/bulk-migration.ts `mayStillSettle`). A provisional row stays so until its
 * project records anything more, which for an idle project may take days: a tab left open must
 * not ask every few seconds all that while. So the wait doubles with each look that finds the
 * same answer, up to a cap, and starts again from the first when the answer changes. Pure, so
 * the schedule is tested without a browser (test/designer/migration-watch.test.ts).
 */

/** The first look after the job is done, or after its answer changed. */
export const LATE_POLL_MS = 5_000;
/** The longest wait between two looks at a done job. */
export const LATE_POLL_MAX_MS = 300_000;

/** The wait before the next look, after `unchanged` looks that found the same answer. */
export function latePollDelay(unchanged: number): number {
  // Bounded exponent: 2 ** n past the cap only needs to stay finite.
  return Math.min(LATE_POLL_MS * 2 ** Math.min(Math.max(unchanged, 0), 20), LATE_POLL_MAX_MS);
}

/** The counts a look answers, as far as the schedule goes: any change resets it. */
export interface JobAnswer {
  status: string;
  migrated: number;
  failed: number;
  pending: number;
  settledLate: number;
  provisional: number;
}

/** The looks at a done job so far: the last answer, when it came, and how many found it again. */
export interface LateLooks {
  answer: string;
  /** When the last answer was fetched (TanStack Query's `dataUpdatedAt`). */
  at: number;
  unchanged: number;
}

const answerOf = (job: JobAnswer): string =>
  [job.status, job.migrated, job.failed, job.pending, job.settledLate, job.provisional].join(' ');

/**
 * The looks after the one answered `job` at `at`. One look is counted once, however often it is
 * asked about (`at` tells a new look from the same one); a changed answer starts again.
 */
export function afterLook(prev: LateLooks | undefined, job: JobAnswer, at: number): LateLooks {
  const answer = answerOf(job);
  if (prev === undefined || prev.answer !== answer) return { answer, at, unchanged: 0 };
  if (prev.at === at) return prev;
  return { answer, at, unchanged: prev.unchanged + 1 };
}
