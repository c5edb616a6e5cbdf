/**
 * API bearer tokens (SPEC §4): random, shown once, stored only as a SHA-256 hash. A token is
 * 32 random bytes, so an unsalted fast hash is enough: there is nothing to guess offline.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { User } from './records';
import type { Database } from './schema';
import { toUser } from './users';

/** Marks Gatehouse tokens, so secret scanners and humans can tell them apart. */
export const TOKEN_PREFIX = 'gh_';
/**
 * `last_used_at` is only that precise: a busy client would otherwise turn every read request
 * into a write.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;
/** The shortest token {@link importToken} accepts (a generated one is 46 characters). */
const MIN_IMPORTED_LENGTH = 20;

/** A freshly created token: `token` is shown once and never stored. */
export interface CreatedToken {
  id: string;
  token: string;
}

/** SHA-256 hex of a token: what the database keeps. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a random token for `userId` (who must exist). */
export async function createToken(
  db: Kysely<Database>,
  userId: string,
  label?: string,
  at: number = Date.now(),
): Promise<CreatedToken> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  await db
    .insertInto('api_tokens')
    .values({ id, user_id: userId, token_hash: hashToken(token), ...columns(label, at) })
    .execute();
  return { id, token };
}

/**
 * Stores a token the operator chose (`GATEHOUSE_ADMIN_TOKEN`), idempotently: on a restart the
 * existing row is kept, revoked or not, and its owner returned so the caller can check it.
 */
export async function importToken(
  db: Kysely<Database>,
  userId: string,
  token: string,
  label?: string,
  at: number = Date.now(),
): Promise<{ id: string; userId: string; created: boolean }> {
  if (token.length < MIN_IMPORTED_LENGTH) {
    throw new RangeError(`a token needs at least ${MIN_IMPORTED_LENGTH} characters`);
  }
  const tokenHash = hashToken(token);
  const inserted = await db
    .insertInto('api_tokens')
    .values({ id: randomUUID(), user_id: userId, token_hash: tokenHash, ...columns(label, at) })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { id: inserted.id, userId, created: true };
  const existing = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirstOrThrow();
  return { id: existing.id, userId: existing.user_id, created: false };
}

/** The user a token belongs to; undefined for an unknown or revoked token. */
export async function findUserByToken(
  db: Kysely<Database>,
  token: string,
  at: number = Date.now(),
): Promise<User | undefined> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select(['t.id as token_id', 't.last_used_at as token_last_used_at'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.revoked_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const stale = at - LAST_USED_RESOLUTION_MS;
  if (row.token_last_used_at === null || row.token_last_used_at <= stale) {
    // Guarded again in SQL: of concurrent requests at most one writes.
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: at })
      .where('id', '=', row.token_id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', stale)]))
      .execute();
  }
  return toUser(row);
}

/**
 * Revokes a token for good (the row stays, for the record). With `userId`, only that user's
 * token. False when there is no such live token.
 */
export async function revokeToken(
  db: Kysely<Database>,
  id: string,
  options: { userId?: string; at?: number } = {},
): Promise<boolean> {
  let query = db
    .updateTable('api_tokens')
    .set({ revoked_at: options.at ?? Date.now() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null);
  if (options.userId !== undefined) query = query.where('user_id', '=', options.userId);
  const result = await query.executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

function columns(label: string | undefined, at: number) {
  return { label: label ?? null, created_at: at, last_used_at: null, revoked_at: null };
}
