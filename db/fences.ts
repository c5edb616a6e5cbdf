/**
 * Record writes fenced by attempt. A workflow writes its effects (audit entries, inbox items,
 * idempotency keys, the project snapshot) from a local activity, inside a workflow task that
 * can still fail after the write committed: the history then never held what was written, and
 * the task's next attempt may write different content at the same positions. Each write
 * carries its attempt (a tag, fixed-width digits, that grows with every workflow task attempt
 * of the project: see workflows/outbox.ts) and where it begins (audit seq, notification
 * ordinal). Per project, in the write's transaction:
 * - a write of an attempt older than the newest one that wrote is stale (an old attempt
 *   finishing late): it is skipped whole;
 * - a write of a newer attempt first supersedes what older attempts wrote at its position or
 *   after (their effects never reached the history, or the newer attempt writes them again):
 *   audit rows are voided (the trail stays append-only), keys and inbox items deleted, the
 *   bulk migration rows those keys settled turned back (db/migration-settle.ts); the snapshot
 *   is overwritten by the newer attempt's own (db/projects.ts).
 * Long texts are content-addressed (project, digest): one left by a superseded attempt is
 * named by no state and never read, so they are not fenced.
 */
import { sql, type Kysely } from 'kysely';
import { recordChange } from './changes';
import { lockFor } from './database';
import { unsettleSuperseded } from './migration-settle';
import { reusedQuery } from './reused-query';
import type { Database } from './schema';

/** Where a record write begins: its first audit seq and first notification ordinal. */
export interface RecordPosition {
  seq: number;
  note: number;
}

/** Which attempt writes, and from where. */
export interface RecordAttempt {
  attempt: string;
  from: RecordPosition;
}

/** The project's audit rows no newer attempt superseded (`table`: the alias in the query). */
export function notSuperseded(table = 'audit_entries') {
  return sql<boolean>`not exists (select 1 from audit_voids v where v.project_id = ${sql.ref(
    `${table}.project_id`,
  )} and v.seq = ${sql.ref(`${table}.seq`)} and v.attempt = ${sql.ref(`${table}.attempt`)})`;
}

/**
 * Fences the write of `at` for `projectId` in the transaction `trx`: `stale` when a newer
 * attempt already wrote (write nothing), else `current` after superseding what older attempts
 * wrote from `at.from` on.
 */
export async function fenceRecords(
  trx: Kysely<Database>,
  projectId: string,
  at: RecordAttempt,
): Promise<'stale' | 'current'> {
  await lockRecords(trx, projectId);
  const { rows } = await selectFence(trx, { projectId });
  const fence = rows[0];
  if (fence && fence.attempt > at.attempt) return 'stale';
  if (fence?.attempt === at.attempt) return 'current';
  await supersede(trx, projectId, at);
  await upsertFence(trx, {
    projectId,
    attempt: at.attempt,
    fromSeq: at.from.seq,
    fromNote: at.from.note,
  });
  return 'current';
}

/** Serializes what writes a project's records (and what they settle) until `trx` ends. */
export function lockRecords(trx: Kysely<Database>, projectId: string): Promise<void> {
  return lockFor(trx, `gatehouse-records:${projectId}`);
}

// Every record write runs these: built once (db/reused-query.ts).
const selectFence = reusedQuery<{ projectId: string }, { attempt: string }>((db, slot) =>
  db.selectFrom('record_fences').select('attempt').where('project_id', '=', slot('projectId')),
);

const upsertFence = reusedQuery<{
  projectId: string;
  attempt: string;
  fromSeq: number;
  fromNote: number;
}>((db, slot) => {
  const values = {
    attempt: slot('attempt'),
    from_seq: slot('fromSeq'),
    from_note: slot('fromNote'),
  };
  return db
    .insertInto('record_fences')
    .values({ project_id: slot('projectId'), ...values })
    .onConflict((oc) => oc.column('project_id').doUpdateSet(values));
});

type SupersedeValues = { projectId: string; attempt: string; seq: number; note: number };

const selectVoided = reusedQuery<SupersedeValues, { seq: number; attempt: string }>((db, slot) =>
  db
    .selectFrom('audit_entries')
    .select(['seq', 'attempt'])
    .where('project_id', '=', slot('projectId'))
    .where('seq', '>=', slot('seq'))
    .where('attempt', '<', slot('attempt'))
    .where(notSuperseded()),
);

const deleteKeys = reusedQuery<SupersedeValues>((db, slot) =>
  db
    .deleteFrom('idempotency_keys')
    .where('project_id', '=', slot('projectId'))
    .where('attempt', '<', slot('attempt'))
    .where('seq', '>=', slot('seq')),
);

const deleteInbox = reusedQuery<SupersedeValues, { user_id: string }>((db, slot) =>
  db
    .deleteFrom('inbox_items')
    .where('project_id', '=', slot('projectId'))
    .where('attempt', '<', slot('attempt'))
    .where('note', '>=', slot('note'))
    .returning('user_id'),
);

async function supersede(
  trx: Kysely<Database>,
  projectId: string,
  { attempt, from }: RecordAttempt,
): Promise<void> {
  const values = { projectId, attempt, seq: from.seq, note: from.note };
  const { rows: voided } = await selectVoided(trx, values);
  if (voided.length > 0) {
    const at = Date.now();
    await trx
      .insertInto('audit_voids')
      .values(
        voided.map((row) => ({
          project_id: projectId,
          seq: Number(row.seq),
          attempt: row.attempt,
          by_attempt: attempt,
          at,
        })),
      )
      .execute();
  }
  const keys = await deleteKeys(trx, values);
  // Bulk migration rows those keys settled follow them (db/migration-settle.ts). A row is
  // settled only with its key, at the key's attempt and seq: when no key went, nothing can
  // turn back, and most supersedes (one per workflow task) skip the statement.
  if (Number(keys.numAffectedRows ?? 0n) > 0) await unsettleSuperseded(trx, values);
  const { rows: dropped } = await deleteInbox(trx, values);
  if (dropped.length > 0) await recordChange(trx, { users: dropped.map((row) => row.user_id) });
}

/** The newest attempt that wrote the project's records, if any wrote with one. */
export async function recordFence(
  db: Kysely<Database>,
  projectId: string,
): Promise<(RecordAttempt & { projectId: string }) | undefined> {
  const row = await db
    .selectFrom('record_fences')
    .selectAll()
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return (
    row && {
      projectId,
      attempt: row.attempt,
      from: { seq: Number(row.from_seq), note: Number(row.from_note) },
    }
  );
}
