/**
 * Idempotency (SPEC §3): the keys of project actions, written by the record write with the
 * action's audit entries, so the API answers a repeated key after continue-as-new and after
 * the project closed; and the start requests of `POST /api/projects` by (user, key).
 */
import type { Kysely } from 'kysely';
import { CompactResult } from '../workflows/model/state';
import type { KeyRecord } from '../workflows/model/results';
import type { Database } from './schema';

/** Stores keys; a key already stored keeps its first answer. */
export async function insertKeys(db: Kysely<Database>, keys: readonly KeyRecord[]): Promise<void> {
  if (keys.length === 0) return;
  await db
    .insertInto('idempotency_keys')
    .values(
      keys.map((k) => ({
        project_id: k.projectId,
        scope: k.scope,
        fingerprint: k.fp,
        result: JSON.stringify(k.result),
        created_at: k.at,
      })),
    )
    .onConflict((oc) => oc.columns(['project_id', 'scope']).doNothing())
    .execute();
}

/** The key's entry when it was stored at or after `since` (epoch ms). */
export async function findKey(
  db: Kysely<Database>,
  projectId: string,
  scope: string,
  since: number,
): Promise<KeyRecord | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('scope', '=', scope)
    .where('created_at', '>=', since)
    .executeTakeFirst();
  return (
    row && {
      projectId: row.project_id,
      scope: row.scope,
      fp: row.fingerprint,
      at: row.created_at,
      result: CompactResult.parse(JSON.parse(row.result)),
    }
  );
}

/** Deletes keys stored before `before` (out of the window); returns how many. */
export async function purgeKeys(db: Kysely<Database>, before: number): Promise<number> {
  const result = await db
    .deleteFrom('idempotency_keys')
    .where('created_at', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
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
