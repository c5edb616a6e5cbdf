/**
 * API bearer tokens (SPEC §4): random, shown once, stored only as a SHA-256 hash, with an
 * expiry (90 days unless said otherwise). A token is 32 random bytes, so an unsalted fast hash
 * is enough: there is nothing to guess offline. A token signs its user in only while it is
 * neither revoked nor expired and the user is active.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { TokenInfo } from '../workflows/model/records';
import type { User } from './records';
import type { ApiTokensTable, Database, TokenKind, UsersTable } from './schema';
import { chunks } from './database';
import { reusedQuery } from './reused-query';
import { toUser } from './users';

/** Marks Gatehouse tokens, so secret scanners and humans can tell them apart. */
export const TOKEN_PREFIX = 'gh_';
/** How long a token lives unless its maker says otherwise. */
export const DEFAULT_TOKEN_LIFETIME_MS = 90 * 24 * 60 * 60 * 1000;
/** Characters of a generated token kept to tell tokens apart (`gh_` and 5 random ones). */
const SHOWN_PREFIX_LENGTH = 8;
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
  /** Epoch ms; absent when the token never expires. */
  expiresAt?: number;
}

export { TokenInfo } from '../workflows/model/records';

export interface TokenOptions {
  kind?: TokenKind;
  /** Milliseconds from creation; null: never expires. Default 90 days. */
  lifetimeMs?: number | null;
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
  options: TokenOptions = {},
): Promise<CreatedToken> {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = randomUUID();
  const expiresAt = expiry(at, options.lifetimeMs);
  await db
    .insertInto('api_tokens')
    .values({
      id,
      user_id: userId,
      token_hash: hashToken(token),
      prefix: token.slice(0, SHOWN_PREFIX_LENGTH),
      ...columns(label, at, options.kind, expiresAt),
    })
    .execute();
  return { id, token, ...(expiresAt !== null && { expiresAt }) };
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
  options: TokenOptions = {},
): Promise<{ id: string; userId: string; created: boolean; revoked: boolean }> {
  if (token.length < MIN_IMPORTED_LENGTH) {
    throw new RangeError(`a token needs at least ${MIN_IMPORTED_LENGTH} characters`);
  }
  const tokenHash = hashToken(token);
  const expiresAt = expiry(at, options.lifetimeMs);
  const inserted = await db
    .insertInto('api_tokens')
    .values({
      id: randomUUID(),
      user_id: userId,
      token_hash: tokenHash,
      prefix: null,
      ...columns(label, at, options.kind, expiresAt),
    })
    .onConflict((oc) => oc.column('token_hash').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return { id: inserted.id, userId, created: true, revoked: false };
  const existing = await db
    .selectFrom('api_tokens')
    .select(['id', 'user_id', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirstOrThrow();
  return {
    id: existing.id,
    userId: existing.user_id,
    created: false,
    revoked: existing.revoked_at !== null,
  };
}

/** Why a presented token signs nobody in. */
export type TokenRefusal = 'unknown' | 'revoked' | 'expired' | 'inactive';

/** The outcome of {@link authenticateToken}. */
export type TokenCheck = { user: User; tokenId: string } | { refused: TokenRefusal };

/** The user a token signs in, or why it signs nobody in; records the use (once a minute). */
export async function authenticateToken(
  db: Kysely<Database>,
  token: string,
  at: number = Date.now(),
): Promise<TokenCheck> {
  const {
    rows: [row],
  } = await selectTokenUser(db, { tokenHash: hashToken(token) });
  if (row === undefined) return { refused: 'unknown' };
  if (row.token_revoked_at !== null) return { refused: 'revoked' };
  if (row.token_expires_at !== null && row.token_expires_at <= at) return { refused: 'expired' };
  if (row.deactivated_at !== null) return { refused: 'inactive' };
  const stale = at - LAST_USED_RESOLUTION_MS;
  if (row.token_last_used_at === null || row.token_last_used_at <= stale) {
    // Guarded again in SQL: of concurrent requests at most one writes.
    await recordTokenUse(db, { at, id: row.token_id, stale });
  }
  return { user: toUser(row), tokenId: row.token_id };
}

// Every request with a bearer token runs these: built once per dialect (db/reused-query.ts).
const selectTokenUser = reusedQuery<
  { tokenHash: string },
  Selectable<UsersTable> & {
    token_id: string;
    token_last_used_at: number | null;
    token_revoked_at: number | null;
    token_expires_at: number | null;
  }
>((db, slot) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select([
      't.id as token_id',
      't.last_used_at as token_last_used_at',
      't.revoked_at as token_revoked_at',
      't.expires_at as token_expires_at',
    ])
    .where('t.token_hash', '=', slot('tokenHash')),
);

const recordTokenUse = reusedQuery<{ at: number; id: string; stale: number }>((db, slot) =>
  db
    .updateTable('api_tokens')
    .set({ last_used_at: slot('at') })
    .where('id', '=', slot('id'))
    .where((eb) =>
      eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', slot('stale'))]),
    ),
);

/** The user a token signs in; undefined for an unknown, revoked or expired token. */
export async function findUserByToken(
  db: Kysely<Database>,
  token: string,
  at: number = Date.now(),
): Promise<User | undefined> {
  const check = await authenticateToken(db, token, at);
  return 'user' in check ? check.user : undefined;
}

/** Whether the token with this id still signs its user in (sessions made from it ask). */
export async function isTokenLive(
  db: Kysely<Database>,
  id: string,
  at: number = Date.now(),
): Promise<boolean> {
  return (await liveTokens(db, [id], at)).has(id);
}

/** Which of the tokens `ids` still sign their users in, in one query per 500. */
export async function liveTokens(
  db: Kysely<Database>,
  ids: readonly string[],
  at: number = Date.now(),
): Promise<Set<string>> {
  const live = new Set<string>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('api_tokens')
      .select(['id', 'revoked_at', 'expires_at'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) {
      if (row.revoked_at === null && (row.expires_at ?? Infinity) > at) live.add(row.id);
    }
  }
  return live;
}

/** A user's tokens, newest first, without their secrets. */
export async function listTokens(
  db: Kysely<Database>,
  userId: string,
  at: number = Date.now(),
): Promise<TokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => toInfo(row, at));
}

/** One token (without its secret) and its owner, if it exists. */
export async function getToken(
  db: Kysely<Database>,
  id: string,
  at: number = Date.now(),
): Promise<(TokenInfo & { userId: string }) | undefined> {
  const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...toInfo(row, at), userId: row.user_id };
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

/** Revokes every live token of a user (deactivation); returns their ids. */
export async function revokeUserTokens(
  db: Kysely<Database>,
  userId: string,
  at: number = Date.now(),
): Promise<string[]> {
  const rows = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Revokes the live bootstrap tokens other than `keepId` (GATEHOUSE_ADMIN_TOKEN rotated). */
export async function revokeOtherBootstrapTokens(
  db: Kysely<Database>,
  keepId: string,
  at: number = Date.now(),
): Promise<string[]> {
  const rows = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('kind', '=', 'bootstrap')
    .where('id', '!=', keepId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

function expiry(at: number, lifetimeMs: number | null | undefined): number | null {
  if (lifetimeMs === null) return null;
  return at + (lifetimeMs ?? DEFAULT_TOKEN_LIFETIME_MS);
}

function columns(
  label: string | undefined,
  at: number,
  kind: TokenKind = 'api',
  expiresAt: number | null,
) {
  return {
    label: label ?? null,
    created_at: at,
    last_used_at: null,
    revoked_at: null,
    kind,
    expires_at: expiresAt,
  };
}

function toInfo(row: Selectable<ApiTokensTable>, at: number): TokenInfo {
  const status =
    row.revoked_at !== null
      ? 'revoked'
      : row.expires_at !== null && row.expires_at <= at
        ? 'expired'
        : 'active';
  return {
    id: row.id,
    ...(row.label !== null && { label: row.label }),
    kind: row.kind,
    ...(row.prefix !== null && { prefix: row.prefix }),
    createdAt: Number(row.created_at),
    ...(row.last_used_at !== null && { lastUsedAt: Number(row.last_used_at) }),
    ...(row.expires_at !== null && { expiresAt: Number(row.expires_at) }),
    ...(row.revoked_at !== null && { revokedAt: Number(row.revoked_at) }),
    status,
  };
}
