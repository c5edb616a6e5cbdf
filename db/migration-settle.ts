/**
 * A bulk migration's rows settled by the projects' own record writes, fenced as the writes are
 * (db/fences.ts). The write that stores a job's `migrate` key settles the job's row `migrated`
 * in its transaction (`settleAppliedMigrations`), and notes its attempt and the key's seq. That
 * write's workflow task may still fail: the history then never holds the applied Update, and
 * the task's next attempt supersedes the write, deleting the key. The row follows the key
 * (`unsettleSuperseded`, in the superseding write's transaction): back to `failed` when it holds
 * the job's failed answer (it settled late, or the answer came late and was kept), else back to
 * `pending` for the job's own answer to settle. A newer attempt that
 * applies the Update again stores the key again and so settles the row again. Rows settled
 * without an attempt (`records repair`, the job's own answer) are never turned back. Until a
 * newer attempt of the project writes, such a settlement is provisional (`mayBeUndone`).
 */
import { sql, type Kysely } from 'kysely';
import { bulkMigrationRecord } from '../workflows/model';
import type { KeyRecord } from '../workflows/model/results';
import type { RecordAttempt } from './fences';
import { reusedQuery } from './reused-query';
import type { Database } from './schema';

/**
 * Settles `migrated` every job row of a project whose `migrate` Update the project applied:
 * `keys` are the keys a record write of attempt `at` (none: unfenced) stores (only applied
 * actions store one), in its transaction `trx`. Usually the job's own activity settles the row
 * when the Update answers; this also covers an Update that Temporal admitted before the attempt
 * that sent it died and the project applied later, after the job had given the project up
 * (`failed`): the row turns `migrated`, keeps why it was given up, and notes when
 * (`settled_late_at`). A row already migrated is left as it is, so a write replayed or
 * repaired changes nothing more.
 */
export async function settleAppliedMigrations(
  trx: Kysely<Database>,
  keys: readonly KeyRecord[],
  at?: RecordAttempt,
  now = Date.now(),
): Promise<void> {
  for (const projectId of new Set(keys.map((k) => k.projectId))) {
    const stored = new Map(
      keys.filter((k) => k.projectId === projectId).map((k) => [recordOf(k), k]),
    );
    const { rows } = await selectUnsettled(trx, { projectId });
    for (const row of rows) {
      const job = { jobId: row.job_id, userId: row.created_by, version: Number(row.version) };
      const key = stored.get(recordOf(bulkMigrationRecord(job, projectId)));
      if (!key) continue;
      // Where db/keys.ts stores the key: superseding that position deletes the key and this.
      const settledBy = {
        settled_attempt: at?.attempt ?? null,
        settled_seq: at ? (key.result.seq ?? at.from.seq) : null,
      };
      const late = row.status === 'failed';
      await trx
        .updateTable('migration_items')
        .set(
          late
            ? { status: 'migrated', settled_late_at: now, ...settledBy }
            : { status: 'migrated', finished_at: now, ...settledBy },
        )
        .where('job_id', '=', row.job_id)
        .where('project_id', '=', projectId)
        .where('status', '=', row.status)
        .execute();
    }
  }
}

// Every keyed record write runs it (and usually finds nothing): built once (db/reused-query.ts).
const selectUnsettled = reusedQuery<
  { projectId: string },
  { job_id: string; status: string; created_by: string; version: number }
>((db, slot) =>
  db
    .selectFrom('migration_items as i')
    .innerJoin('migration_jobs as j', 'j.id', 'i.job_id')
    .select(['i.job_id', 'i.status', 'j.created_by', 'j.version'])
    .where('i.project_id', '=', slot('projectId'))
    .where('i.status', '!=', 'migrated'),
);

const recordOf = (k: { scope: string; fp: string }) => `${k.scope} ${k.fp}`;

/**
 * Turns back the project's rows an older attempt than `attempt` settled at `seq` or after, as
 * db/fences.ts deletes that attempt's keys there: a row holding the job's `failed` answer (given
 * before the write settled it late, or after: keepAnswerWhileUnsure) is `failed` again with that
 * answer (code, reason, attempts and last error were kept) and finished when it was given; any
 * other is `pending`, for the job's own answer. In the superseding write's transaction; a row
 * turned back carries no attempt, so running it again changes nothing.
 */
export const unsettleSuperseded = reusedQuery<{
  projectId: string;
  attempt: string;
  seq: number;
}>((db, slot) =>
  db
    .updateTable('migration_items')
    .set((eb) => {
      const settledLate = eb('settled_late_at', 'is not', null);
      const answeredLate = eb('answered_late_at', 'is not', null);
      return {
        status: eb
          .case()
          .when(eb.or([settledLate, answeredLate]))
          .then('failed')
          .else('pending')
          .end(),
        // A late row's finished_at is when the job gave it up; a kept answer's, when it came.
        finished_at: eb
          .case()
          .when(settledLate)
          .then(eb.ref('finished_at'))
          .when(answeredLate)
          .then(eb.ref('answered_late_at'))
          .else(null)
          .end(),
        settled_late_at: null,
        answered_late_at: null,
        settled_attempt: null,
        settled_seq: null,
      };
    })
    .where('project_id', '=', slot('projectId'))
    .where('status', '=', 'migrated')
    .where('settled_attempt', '<', slot('attempt'))
    .where('settled_seq', '>=', slot('seq')),
);

/**
 * Whether the migration_items row stands `migrated` by a record write that may still be undone:
 * an attempt wrote it and no newer attempt of the project has written since (as db/keys.ts
 * `findKey` tells an unsettled key). Such a row may still turn back.
 */
export function mayBeUndone() {
  const column = (name: string) => sql.ref(`migration_items.${name}`);
  return sql<boolean>`(${column('status')} = 'migrated' and ${column('settled_attempt')} is not null
    and not exists (select 1 from record_fences f where f.project_id = ${column('project_id')}
      and f.attempt > ${column('settled_attempt')}))`;
}

/**
 * Whether the row stands `migrated` provisionally (mayBeUndone) and holds no answer of the job
 * (none came before the write settled it late, none after: keepAnswerWhileUnsure): its outcome
 * still waits on the job's activity, whose answer is what it turns back to.
 */
export function awaitsJobAnswer() {
  return sql<boolean>`(${mayBeUndone()} and settled_late_at is null and answered_late_at is null)`;
}

/**
 * Keeps the job's `failed` answer (a refusal, or the job giving the project up) on a row a
 * record write settled `migrated` while that write may still be undone (mayBeUndone): the row
 * stays `migrated` (the project moved, as far as anyone knows), with the answer's code and reason
 * and when it came (`answered_late_at`; `finished_at` stays when the write settled it). Should
 * the write be undone, the row turns back to `failed` with that answer instead of to a `pending`
 * no answer would settle any more. A row settled late already holds the job's answer. Run it
 * holding the project's records lock (db/fences.ts `lockRecords`). Answers whether it kept it.
 */
export async function keepAnswerWhileUnsure(
  trx: Kysely<Database>,
  jobId: string,
  projectId: string,
  failure: { code: string; reason: string },
  now: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('migration_items')
    .set({ code: failure.code, reason: failure.reason, answered_late_at: now })
    .where('job_id', '=', jobId)
    .where('project_id', '=', projectId)
    .where('settled_late_at', 'is', null)
    .where(mayBeUndone())
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
