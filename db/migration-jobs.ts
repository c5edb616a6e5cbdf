/**
 * Bulk migration jobs (issue 15): the version, the projects in job order and each one's
 * outcome. The API makes a job (`createMigrationJob`) before it starts the workflow that works
 * it; the workflow's activities settle one project each (`settleMigrationItem`), and so do the
 * projects' own record writes (db/migration-settle.ts). Progress is counted from the rows, so
 * it survives any process.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  MIGRATION_ITEM_STATUSES,
  type MigrationItemStatus,
  type MigrationOutcome,
  type Page,
} from '../workflows/model';
import { pageSize } from './cursor';
import { inTransaction } from './database';
import { jobRowBatches, positionAfter, positionPage, tally } from './job-rows';
import { lockRecords } from './fences';
import { awaitsJobAnswer, keepAnswerWhileUnsure, mayBeUndone } from './migration-settle';
import type { Database } from './schema';

export interface MigrationJob {
  id: string;
  templateKey: string;
  version: number;
  /** The impact analysis its projects were chosen from, if any. */
  impactJob?: string;
  createdBy: string;
  createdAt: number;
  total: number;
  counts: Record<MigrationItemStatus, number>;
  /** Of the migrated: those whose Update landed after the job had given them up. */
  settledLate: number;
  /**
   * Of the migrated: those a project's record write settled that may still be undone
   * (db/migration-settle.ts `mayBeUndone`), so may still turn back to `failed` or `pending`.
   */
  provisional: number;
  /**
   * `running` while a project awaits the job's answer: it is pending, or a record write that
   * may still be undone settled it before the job answered (its activity still at work). Then
   * `done`: every count stands but for the provisional rows (and a project given up whose
   * Update may still land late).
   */
  status: 'running' | 'done';
}

export interface MigrationItem {
  projectId: string;
  status: MigrationItemStatus;
  /** A failed project's refusal, or why its migration was given up. */
  code?: string;
  reason?: string;
  /** Once its activity retried: the attempt in flight (or the last one). */
  attempts?: number;
  /** The last error an attempt met, if one did. */
  lastError?: string;
  /**
   * When its Update landed after the job had given it up (ISO 8601): it is `migrated`, and
   * code, reason, attempts and last error still say why it had been given up.
   */
  settledLate?: string;
  /**
   * When the job answered `failed` (code and reason) after a record write of the project had
   * settled it `migrated`, one that could still be undone then (db/migration-settle.ts
   * `keepAnswerWhileUnsure`): it stays `migrated`, and turns back to that answer should the
   * write be undone.
   */
  answeredLate?: string;
  /** True while the record write that settled it `migrated` may still be undone. */
  provisional?: true;
}

const DEFAULT_PAGE = 50;
const MAX_PAGE = 200;

/** Makes a job over `projectIds` (in that order), every project pending. */
export async function createMigrationJob(
  db: Kysely<Database>,
  job: {
    templateKey: string;
    version: number;
    impactJob?: string;
    createdBy: string;
    projectIds: readonly string[];
  },
  now = Date.now(),
): Promise<string> {
  const id = randomUUID();
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('migration_jobs')
      .values({
        id,
        template_key: job.templateKey,
        version: job.version,
        impact_job: job.impactJob ?? null,
        created_by: job.createdBy,
        created_at: now,
        total: job.projectIds.length,
      })
      .execute();
    for (const rows of jobRowBatches(id, job.projectIds)) {
      const pending = rows.map((row) => ({ ...row, status: 'pending' }));
      await trx.insertInto('migration_items').values(pending).execute();
    }
  });
  return id;
}

/** Removes a job nothing worked on (its workflow could not be started). */
export async function deleteMigrationJob(db: Kysely<Database>, id: string): Promise<void> {
  await inTransaction(db, async (trx) => {
    await trx.deleteFrom('migration_items').where('job_id', '=', id).execute();
    await trx.deleteFrom('migration_jobs').where('id', '=', id).execute();
  });
}

/**
 * The job with its counts per status, if it exists. The counts are one statement, so they agree
 * with each other (the job's row never changes); read them with a page of the job's rows in
 * one snapshot (db/database.ts `inSnapshot`) for an answer that agrees with itself.
 */
export async function getMigrationJob(
  db: Kysely<Database>,
  id: string,
): Promise<MigrationJob | undefined> {
  const row = await db
    .selectFrom('migration_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  // Each status's rows and, read off the migrated group: those settled late, those that may
  // still be undone, and those awaiting the job's answer.
  const groups = await db
    .selectFrom('migration_items')
    .select((eb) => [
      'status',
      eb.fn.countAll<number>().as('n'),
      eb.fn.count<number>(sql`case when settled_late_at is not null then 1 end`).as('late'),
      eb.fn.count<number>(sql`case when ${mayBeUndone()} then 1 end`).as('provisional'),
      eb.fn.count<number>(sql`case when ${awaitsJobAnswer()} then 1 end`).as('unanswered'),
    ])
    .where('job_id', '=', id)
    .groupBy('status')
    .execute();
  const counts = tally(
    MIGRATION_ITEM_STATUSES,
    groups.map((group) => ({ key: group.status, n: group.n })),
  );
  const migrated = groups.find((group) => group.status === 'migrated');
  const awaiting = counts.pending + Number(migrated?.unanswered ?? 0);
  return {
    id: row.id,
    templateKey: row.template_key,
    version: Number(row.version),
    ...(row.impact_job !== null && { impactJob: row.impact_job }),
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    total: Number(row.total),
    counts,
    settledLate: Number(migrated?.late ?? 0),
    provisional: Number(migrated?.provisional ?? 0),
    status: awaiting > 0 ? 'running' : 'done',
  };
}

/**
 * Writes one project's outcome. Written again by a retried activity, it is the same outcome
 * (the Update's key answers the first result), so the last write stands. The job's own answer
 * is final: no superseded record write turns it back (db/migration-settle.ts).
 */
export async function settleMigrationItem(
  db: Kysely<Database>,
  jobId: string,
  projectId: string,
  outcome: MigrationOutcome,
  now = Date.now(),
): Promise<void> {
  const failed = outcome.status === 'failed';
  await inTransaction(db, async (trx) => {
    // The project's record writes settle and turn back its rows: not between the two below.
    await lockRecords(trx, projectId);
    let update = trx
      .updateTable('migration_items')
      .set({
        status: outcome.status,
        code: failed ? outcome.code : null,
        reason: failed ? outcome.reason : null,
        finished_at: now,
        answered_late_at: null,
        settled_attempt: null,
        settled_seq: null,
      })
      .where('job_id', '=', jobId)
      .where('project_id', '=', projectId);
    // The project's own record write settles the row `migrated` once it stored the job's key
    // (settleAppliedMigrations): a later `failed` answer (from a project that has since dropped
    // the key, say) must not undo what the project did, though it is kept while that write
    // may still be superseded.
    if (failed) update = update.where('status', '!=', 'migrated');
    const result = await update.executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return;
    if (failed && (await keepAnswerWhileUnsure(trx, jobId, projectId, outcome, now))) return;
    const row = await trx
      .selectFrom('migration_items')
      .select('status')
      .where('job_id', '=', jobId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (!row) throw new Error(`no project "${projectId}" in migration job "${jobId}"`);
  });
}

/**
 * Settles a project whose migration was given up (its budget spent) as failed, unless an
 * attempt settled it first (one whose answer was lost after it wrote its outcome). The
 * reason is written from the attempts its row noted (1 when it never retried). A row a record
 * write settled `migrated` stays so, noting the give-up while that write may still be
 * superseded (keepAnswerWhileUnsure).
 */
export async function giveUpMigrationItem(
  db: Kysely<Database>,
  jobId: string,
  projectId: string,
  failure: { code: string; reason: (attempts: number) => string },
  now = Date.now(),
): Promise<void> {
  await inTransaction(db, async (trx) => {
    await lockRecords(trx, projectId);
    const row = await trx
      .selectFrom('migration_items')
      .select(['status', 'attempts'])
      .where('job_id', '=', jobId)
      .where('project_id', '=', projectId)
      .executeTakeFirst();
    if (!row) throw new Error(`no project "${projectId}" in migration job "${jobId}"`);
    const answer = { code: failure.code, reason: failure.reason(Number(row.attempts ?? 1)) };
    if (row.status === 'migrated') await keepAnswerWhileUnsure(trx, jobId, projectId, answer, now);
    if (row.status !== 'pending') return;
    await trx
      .updateTable('migration_items')
      .set({ status: 'failed', ...answer, finished_at: now })
      .where('job_id', '=', jobId)
      .where('project_id', '=', projectId)
      .execute();
  });
}

/**
 * Notes attempt `attempt` of a project's migration whose outcome awaits the job's answer: it is
 * pending, or a project's record write that may still be undone settled it before the job
 * answered (the job's answer is what it turns back to: db/migration-settle.ts). With `error`,
 * the error it met; without, that it started, and — when the attempt before it left no error —
 * that that one ended without an answer (its time ran out or its worker stopped: an activity is
 * not told). A row settled for good takes no notes: nothing the job does changes it.
 */
export async function noteMigrationAttempt(
  db: Kysely<Database>,
  jobId: string,
  projectId: string,
  attempt: number,
  error?: string,
): Promise<void> {
  const row = db
    .updateTable('migration_items')
    .where('job_id', '=', jobId)
    .where('project_id', '=', projectId)
    .where((eb) => eb.or([eb('status', '=', 'pending'), awaitsJobAnswer()]));
  if (error !== undefined) {
    await row.set({ attempts: attempt, last_error: error }).execute();
    return;
  }
  const silent = `attempt ${attempt - 1} ended without an answer (timed out, or its worker stopped)`;
  await row
    .set({ last_error: silent })
    .where((eb) => eb.or([eb('attempts', 'is', null), eb('attempts', '<', attempt - 1)]))
    .execute();
  await row.set({ attempts: attempt }).execute();
}

/** The job's projects in job order, a page at a time; only those of `status` when given. */
export async function listMigrationItems(
  db: Kysely<Database>,
  jobId: string,
  options: { cursor?: string; limit?: number; status?: MigrationItemStatus } = {},
): Promise<Page<MigrationItem>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE, MAX_PAGE);
  let query = db
    .selectFrom('migration_items')
    .select([
      'position',
      'project_id',
      'status',
      'code',
      'reason',
      'attempts',
      'last_error',
      'settled_late_at',
      'answered_late_at',
      sql<number>`case when ${mayBeUndone()} then 1 else 0 end`.as('provisional'),
    ])
    .where('job_id', '=', jobId)
    .where('position', '>', positionAfter(jobId, options.cursor));
  if (options.status !== undefined) query = query.where('status', '=', options.status);
  const rows = await query
    .orderBy('position')
    .limit(limit + 1)
    .execute();
  return positionPage(jobId, rows, limit, (r): MigrationItem => ({
    projectId: r.project_id,
    status: MIGRATION_ITEM_STATUSES.find((s) => s === r.status) ?? 'pending',
    ...(r.code !== null && { code: r.code }),
    ...(r.reason !== null && { reason: r.reason }),
    ...(r.attempts !== null && { attempts: Number(r.attempts) }),
    ...(r.last_error !== null && { lastError: r.last_error }),
    ...(r.settled_late_at !== null && {
      settledLate: new Date(Number(r.settled_late_at)).toISOString(),
    }),
    ...(r.answered_late_at !== null && {
      answeredLate: new Date(Number(r.answered_late_at)).toISOString(),
    }),
    ...(Number(r.provisional) === 1 && { provisional: true as const }),
  }));
}

export interface ProjectHead {
  id: string;
  templateKey: string;
  version: number;
  status: string;
}

const HEADS_PER_QUERY = 200;

/** What a bulk migration checks of its projects, for those of `ids` the read model knows. */
export async function projectHeads(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Map<string, ProjectHead>> {
  const heads = new Map<string, ProjectHead>();
  for (let i = 0; i < ids.length; i += HEADS_PER_QUERY) {
    const rows = await db
      .selectFrom('projects')
      .select(['id', 'template_key', 'template_version', 'status'])
      .where('id', 'in', ids.slice(i, i + HEADS_PER_QUERY))
      .execute();
    for (const r of rows) {
      heads.set(r.id, {
        id: r.id,
        templateKey: r.template_key,
        version: Number(r.template_version),
        status: r.status,
      });
    }
  }
  return heads;
}
