/**
 * How long a bulk migration is worth watching once it is done. A project the job gave up may
 * still move: Temporal admitted its Update before the attempt that sent it died, and the
 * project applies it up to that attempt's deadline, at most one attempt's time after. Its row
 * then turns `migrated`, settled late, and the job's counts change.
 */
import type { MigrationView } from '../../../server/contract';
import { MIGRATION_ATTEMPT_SECONDS, wasGivenUp } from '../../../workflows/model';

/**
 * Whether a job done `doneForMs` ago may still change: it has failures, time is left, and —
 * once its `failures` are known — one of them was given up (a refusal is the project's answer
 * and stays).
 */
export function mayStillSettle(
  job: MigrationView['job'],
  doneForMs: number,
  failures?: readonly { code?: string | undefined }[],
): boolean {
  if (job.failed === 0 || doneForMs >= MIGRATION_ATTEMPT_SECONDS * 1000) return false;
  return failures === undefined || failures.some((item) => wasGivenUp(item.code));
}
