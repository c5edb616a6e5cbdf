/**
 * `gatehouse template migrate <key> --version n [--from-impact JOB | ids...]`: the API's bulk
 * migration (issue 15) from the command line. The job is the same durable workflow (a worker
 * must be running on the task queue); this command starts it, prints its progress until the
 * job is done, then each project that refused with why and the counts, and where to re-check a
 * job that may still change (the rule the designer watches by, `mayStillSettle`: a project given
 * up may still settle late, a provisional row may turn back). Exits 1 when any project was not
 * migrated.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@temporalio/client';
import { temporalConnectionOptions } from '../../config';
import { getImpactJob, getMigrationJob, listMigrationItems, SYSTEM_USER } from '../../db';
import { MigrationBody } from '../../server/contract';
import {
  MAX_MIGRATION_LANES,
  MIGRATION_ATTEMPT_SECONDS,
  mayStillSettle,
  wasGivenUp,
} from '../../workflows/model';
import { startMigration } from '../../server/impact/migrations';
import { withDatabase } from '../database';
import { connectTemporal } from '../temporal';
import { CliError } from '../errors';
import { answer, impactEnv } from './impact';
import { RetryLines } from './migration-retries';

const POLL_MS = 1_000;

export async function migrate(
  key: string,
  ids: string[],
  options: { version: number; fromImpact?: string },
): Promise<void> {
  const config = impactEnv();
  const parsed = MigrationBody.safeParse(
    options.fromImpact !== undefined
      ? { impactJob: options.fromImpact, ...(ids.length > 0 && { projectIds: ids }) }
      : { version: options.version, projectIds: ids },
  );
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`);
    throw new CliError(`name the projects (ids...) or --from-impact JOB (${why.join('; ')})`);
  }
  const connection = await connectTemporal(temporalConnectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
    await withDatabase(async (db) => {
      if (options.fromImpact !== undefined) {
        const analysed = await getImpactJob(db, options.fromImpact);
        if (analysed && analysed.candidate.version !== options.version) {
          throw new CliError(
            `impact analysis ${options.fromImpact} is of version ${analysed.candidate.version}, not ${options.version}`,
          );
        }
      }
      const temporal = { client, taskQueue: config.TEMPORAL_TASK_QUEUE };
      const jobId = await answer(() =>
        startMigration({ db, temporal }, key, parsed.data, SYSTEM_USER),
      );
      let job = (await getMigrationJob(db, jobId))!;
      console.error(`gatehouse: migration ${job.id} of ${job.total} project(s) started`);
      const retries = new RetryLines();
      // Progress is said when it moves: a project retried for minutes prints no line per poll.
      let settled = 0;
      // Not just while any is pending: a row a project's write settled waits for the job too.
      while (job.status === 'running') {
        await sleep(POLL_MS);
        job = (await getMigrationJob(db, job.id))!;
        if (job.total - job.counts.pending !== settled) {
          settled = job.total - job.counts.pending;
          console.error(`gatehouse: ${settled} of ${job.total} settled`);
        }
        // The projects in flight, and so those being retried, are among the first pending.
        const pending = await listMigrationItems(db, job.id, {
          status: 'pending',
          limit: MAX_MIGRATION_LANES,
        });
        for (const line of retries.changed(pending.items)) console.error(`gatehouse: ${line}`);
      }
      let cursor: string | undefined;
      const failures: { code?: string }[] = [];
      do {
        const page = await listMigrationItems(db, job.id, {
          status: 'failed',
          limit: 200,
          ...(cursor && { cursor }),
        });
        for (const item of page.items) {
          console.log(`${item.projectId}  failed  ${item.code ?? ''}  ${item.reason ?? ''}`);
          failures.push(item);
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      const { migrated, failed } = job.counts;
      console.log(`${key} v${job.version}: ${migrated} migrated, ${failed} failed (job ${job.id})`);
      // The job is done, but it may still change; no command shows a job, so the PMO is given
      // the API's. A project that refused has answered: it does not change.
      if (mayStillSettle({ failed, provisional: job.provisional }, 0, failures)) {
        const why: string[] = [];
        if (failures.some((item) => wasGivenUp(item.code))) {
          why.push(
            `a project given up may still apply its Update within ` +
              `${MIGRATION_ATTEMPT_SECONDS / 60} minutes and be counted migrated (settledLate)`,
          );
        }
        if (job.provisional > 0) {
          why.push(
            `${job.provisional} migrated project(s) are provisional (the record write that ` +
              `settled each may still be undone, turning it back to failed)`,
          );
        }
        why.push(`re-check with GET /api/templates/${key}/migrations/${job.id}`);
        console.error(`gatehouse: ${why.join('; ')}`);
      }
      if (failed > 0) {
        throw new CliError(`${failed} project(s) were not migrated`);
      }
    });
  } finally {
    await connection.close();
  }
}
