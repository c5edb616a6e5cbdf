/**
 * Idempotency (SPEC §3): the keys of project actions, written by the record write with the
 * action's audit entries, so the API answers a repeated key after continue-as-new and after
 * the project closed; and the start requests of `POST /api/projects` by (user, key).
 */
import type { Insertable, Kysely } from 'kysely';
import { IDEMPOTENCY_WINDOW } from '../workflows/model/idempotency';
import { CompactResult } from '../workflows/model/state';
import type { KeyRecord } from '../workflows/model/results';
import type { RecordAttempt } from './fences';
import { reusedQuery } from './reused-query';
import type { Database, IdempotencyKeysTable } from './schema';

/**
 * Stores keys. Without an attempt a key already stored keeps its first answer. A record write
 * of an attempt (db/fences.ts) replaces a key an older attempt stored: the older one never
 * reached the history when the newer attempt uses the key again.
 */
export async function insertKeys(
  db: Kysely<Database>,
  keys: readonly KeyRecord[],
  at?: RecordAttempt,
): Promise<void> {
  if (keys.length === 0) return;
  const rows = keys.map((k) => ({
    project_id: k.projectId,
    scope: k.scope,
    fingerprint: k.fp,
    result: JSON.stringify(k.result),
    created_at: k.at,
    attempt: at?.attempt ?? null,
    seq: at ? (k.result.seq ?? at.from.seq) : null,
  }));
  await insertRows(db, rows, at ? BY_ATTEMPT : KEEP_FIRST);
}

/** How {@link insertRows} treats a key already stored: see insertKeys. */
const [KEEP_FIRST, BY_ATTEMPT] = [0, 1];

// Most record writes store a key: built once per variant and row count (db/reused-query.ts).
const insertRows = reusedQuery<Insertable<IdempotencyKeysTable>>((db, slot, { variant, rows }) =>
  db
    .insertInto('idempotency_keys')
    .values(
      Array.from({ length: rows }, (_, i) => ({
        project_id: slot.at('project_id', i),
        scope: slot.at('scope', i),
        fingerprint: slot.at('fingerprint', i),
        result: slot.at('result', i),
        created_at: slot.at('created_at', i),
        attempt: slot.at('attempt', i),
        seq: slot.at('seq', i),
      })),
    )
    .onConflict((oc) => {
      const columns = oc.columns(['project_id', 'scope']);
      if (variant === KEEP_FIRST) return columns.doNothing();
      // Every row of a write carries the same attempt: the first one's stands for all.
      const attempt = slot.at('attempt', 0) as string;
      return columns
        .doUpdateSet((eb) => ({
          fingerprint: eb.ref('excluded.fingerprint'),
          result: eb.ref('excluded.result'),
          created_at: eb.ref('excluded.created_at'),
          attempt: eb.ref('excluded.attempt'),
          seq: eb.ref('excluded.seq'),
        }))
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.attempt', 'is', null),
            eb('idempotency_keys.attempt', '<', attempt),
          ]),
        );
    }),
);

/** A stored key, and whether the history certainly holds the action it answers. */
export type FoundKey = KeyRecord & {
  /**
   * False while the attempt that stored it is the newest one that wrote the project's
   * records: its workflow task may still fail and never reach the history (db/fences.ts).
   * The workflow itself must answer such a key. True for keys stored without an attempt.
   */
  settled: boolean;
};

/** The key's entry when it was stored at or after `since` (epoch ms). */
export async function findKey(
  db: Kysely<Database>,
  projectId: string,
  scope: string,
  since: number,
): Promise<FoundKey | undefined> {
  const row = await db
    .selectFrom('idempotency_keys as k')
    .leftJoin('record_fences as f', 'f.project_id', 'k.project_id')
    .selectAll('k')
    .select('f.attempt as fence')
    .where('k.project_id', '=', projectId)
    .where('k.scope', '=', scope)
    .where('k.created_at', '>=', since)
    .executeTakeFirst();
  return (
    row && {
      projectId: row.project_id,
      scope: row.scope,
      fp: row.fingerprint,
      at: row.created_at,
      result: CompactResult.parse(JSON.parse(row.result)),
      settled: row.attempt === null || (row.fence !== null && row.fence > row.attempt),
    }
  );
}

/** Deletes keys stored before `before` (out of the window); returns how many. */
export async function purgeKeys(db: Kysely<Database>, before: number): Promise<number> {
  const result = await deleteExpired(db, { before });
  return Number(result.numAffectedRows ?? 0n);
}

const deleteExpired = reusedQuery<{ before: number }>((db, slot) =>
  db.deleteFrom('idempotency_keys').where('created_at', '<', slot('before')),
);

/** Least time between two purges of one worker's record writes (see keyPurge). */
export const KEY_PURGE_INTERVAL_MS = 10_000;

/**
 * What a worker's record writes call after storing keys: purges the keys of every project out
 * of the window (SPEC §3), at most once per `intervalMs`. Nothing reads an expired key
 * (findKey asks for the window), so purging is only about space: a delete on every keyed write
 * cost a statement (on PostgreSQL a round trip, and concurrent writes of different projects
 * may wait on each other's deletes of the same expired rows) for keys gone seconds sooner.
 * Every project's keys, by the `created_at` index: a closed project writes no more, yet its
 * keys must go too. A purge rolled back with its write leaves them to the next interval.
 */
export function keyPurge(intervalMs = KEY_PURGE_INTERVAL_MS) {
  let last = -Infinity;
  return async (trx: Kysely<Database>, now = Date.now()): Promise<number> => {
    if (now - last < intervalMs) return 0;
    last = now;
    return purgeKeys(trx, now - IDEMPOTENCY_WINDOW.ms);
  };
}

/** A start request: which project a user's key started, and what was asked. */
export interface StartRequest {
  userId: string;
  key: string;
  fingerprint: string;
  projectId: string;
  createdAt: number;
}

/**
 * Claims (user, key) for `request.projectId`. Concurrent claims of one key agree: exactly one
 * inserts, every other reads the row that won. Answers the row that holds the key.
 */
export async function claimStart(
  db: Kysely<Database>,
  request: StartRequest,
): Promise<{ claimed: boolean; request: StartRequest }> {
  const inserted = await db
    .insertInto('project_starts')
    .values({
      user_id: request.userId,
      key: request.key,
      fingerprint: request.fingerprint,
      project_id: request.projectId,
      created_at: request.createdAt,
    })
    .onConflict((oc) => oc.columns(['user_id', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { claimed: true, request };
  const held = await getStart(db, request.userId, request.key);
  if (!held) throw new Error(`start request (${request.userId}, ${request.key}) vanished`);
  return { claimed: false, request: held };
}

/** The start request of (user, key), if one was made. */
export async function getStart(
  db: Kysely<Database>,
  userId: string,
  key: string,
): Promise<StartRequest | undefined> {
  const row = await db
    .selectFrom('project_starts')
    .selectAll()
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  return (
    row && {
      userId: row.user_id,
      key: row.key,
      fingerprint: row.fingerprint,
      projectId: row.project_id,
      createdAt: row.created_at,
    }
  );
}
