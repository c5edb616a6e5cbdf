/**
 * How a bulk migration's applied Update is known in its project's records. Apart from the key
 * functions and the job's model, which the workflow bundle takes separately: this joins them
 * for the read model (db/migration-jobs.ts), so the bundle need not evaluate the job's schemas.
 */
import { bulkMigrationKey } from './bulk-migration';
import { keyScope, requestFingerprint } from './idempotency';

/**
 * How a job's applied `migrate` Update is known in its project's records: the scope of its key
 * (the PMO who started the job, the job's key for the project) and the fingerprint of its
 * request (the job's version), as the project stores them with the action (its KeyRecord).
 * A record write that stores this pair settles the job's row `migrated` (db/migration-jobs.ts),
 * also when the Update landed after the job had given the project up.
 */
export function bulkMigrationRecord(
  job: { jobId: string; userId: string; version: number },
  projectId: string,
): { scope: string; fp: string } {
  const request = {
    actor: { userId: job.userId },
    idempotencyKey: bulkMigrationKey(job.jobId, projectId),
    version: job.version,
  };
  return { scope: keyScope('migrate', request)!, fp: requestFingerprint('migrate', request) };
}
