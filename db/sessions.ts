/**
 * Browser sessions of the web app: a random secret in an HttpOnly cookie, stored as its
 * SHA-256 hash, with an idle and an absolute lifetime. Made by a single sign-on or by
 * exchanging a bearer token (which then bounds it: revoked or expired, the session ends too).
 * Each carries its CSRF token, which cookie-authenticated writes must echo in a header.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { chunks } from './database';
import { LAST_USED_RESOLUTION_MS } from './tokens';
import type { User } from './records';
import { reusedQuery } from './reused-query';
import type { Database, SessionsTable, UsersTable } from './schema';
import { toUser } from './users';

/** Roles an identity provider's roles claim can give. */
export const ClaimedRoles = z.array(z.enum(['pmo', 'admin']));
export type ClaimedRoles = z.infer<typeof ClaimedRoles>;

export interface SessionLifetime {
  /** Ends after this long without a request. */
  idleMs: number;
  /** Ends this long after sign-in, whatever the activity. */
  maxMs: number;
}

export interface NewSession {
  userId: string;
  via: 'sso' | 'token';
  /** The token exchanged for this session (`via: token`). */
  tokenId?: string;
  claimedRoles?: ClaimedRoles;
}

/** A created session: `secret` goes into the cookie and is never stored. */
export interface CreatedSession {
  secret: string;
  csrfToken: string;
  expiresAt: number;
}

/** A live session and its user. */
export interface Session {
  id: string;
  user: User;
  via: 'sso' | 'token';
  tokenId?: string;
  csrfToken: string;
  claimedRoles: ClaimedRoles;
  createdAt: number;
  /** When it ends without activity. */
  idleExpiresAt: number;
  expiresAt: number;
}

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

export async function createSession(
  db: Kysely<Database>,
  input: NewSession,
  lifetime: SessionLifetime,
  at: number = Date.now(),
): Promise<CreatedSession> {
  const secret = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = at + lifetime.maxMs;
  // Housekeeping on the way: sessions past their absolute end (idle ones go when next seen).
  await deleteExpiredSessions(db, at);
  await db
    .insertInto('sessions')
    .values({
      id: hash(secret),
      user_id: input.userId,
      via: input.via,
      token_id: input.tokenId ?? null,
      csrf_token: csrfToken,
      claimed_roles: JSON.stringify(input.claimedRoles ?? []),
      created_at: at,
      last_seen_at: at,
      expires_at: expiresAt,
    })
    .execute();
  return { secret, csrfToken, expiresAt };
}

/**
 * The live session behind a cookie's secret: not past its idle or absolute end, its user
 * active, its token (if any) neither revoked nor expired. A dead one is deleted. The last
 * activity is recorded at most once a minute (more often for short idle timeouts).
 */
export async function findSession(
  db: Kysely<Database>,
  secret: string,
  lifetime: SessionLifetime,
  at: number = Date.now(),
): Promise<Session | undefined> {
  const id = hash(secret);
  const {
    rows: [row],
  } = await selectSession(db, { id });
  if (row === undefined) return undefined;
  const idleExpiresAt = Math.min(row.last_seen_at + lifetime.idleMs, row.session_expires_at);
  const tokenDead =
    row.token_id !== null &&
    (row.token_revoked_at !== null || (row.token_expires_at ?? Infinity) <= at);
  if (idleExpiresAt <= at || row.deactivated_at !== null || tokenDead) {
    await deleteSessionById(db, { id });
    return undefined;
  }
  let lastSeen = row.last_seen_at;
  // Recorded coarsely (a write per request would be too many), but well within the timeout.
  if (lastSeen <= at - Math.min(LAST_USED_RESOLUTION_MS, lifetime.idleMs / 10)) {
    await recordSessionUse(db, { at, id });
    lastSeen = at;
  }
  return {
    id,
    user: toUser(row),
    via: row.via,
    ...(row.token_id !== null && { tokenId: row.token_id }),
    csrfToken: row.csrf_token,
    claimedRoles: ClaimedRoles.parse(JSON.parse(row.claimed_roles)),
    createdAt: Number(row.session_created_at),
    idleExpiresAt: Math.min(lastSeen + lifetime.idleMs, row.session_expires_at),
    expiresAt: Number(row.session_expires_at),
  };
}

// Every request of the web app runs these: built once per dialect (db/reused-query.ts).
const selectSession = reusedQuery<
  { id: string },
  Selectable<UsersTable> &
    Pick<SessionsTable, 'via' | 'token_id' | 'csrf_token' | 'claimed_roles' | 'last_seen_at'> & {
      session_created_at: number;
      session_expires_at: number;
      token_revoked_at: number | null;
      token_expires_at: number | null;
    }
>((db, slot) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('api_tokens as t', 't.id', 's.token_id')
    .selectAll('u')
    .select([
      's.via',
      's.token_id',
      's.csrf_token',
      's.claimed_roles',
      's.created_at as session_created_at',
      's.last_seen_at',
      's.expires_at as session_expires_at',
      't.revoked_at as token_revoked_at',
      't.expires_at as token_expires_at',
    ])
    .where('s.id', '=', slot('id')),
);

const deleteSessionById = reusedQuery<{ id: string }>((db, slot) =>
  db.deleteFrom('sessions').where('id', '=', slot('id')),
);

const recordSessionUse = reusedQuery<{ at: number; id: string }>((db, slot) =>
  db
    .updateTable('sessions')
    .set({ last_seen_at: slot('at') })
    .where('id', '=', slot('id')),
);

/**
 * Whether the session with this id (the stored hash) is still live, without counting as
 * activity: long-lived answers (event streams) ask it now and then.
 */
export async function isSessionLive(
  db: Kysely<Database>,
  id: string,
  lifetime: SessionLifetime,
  at: number = Date.now(),
): Promise<boolean> {
  return (await liveSessions(db, [id], lifetime, at)).has(id);
}

/** Which of the sessions `ids` are live ({@link isSessionLive}), in one query per 500. */
export async function liveSessions(
  db: Kysely<Database>,
  ids: readonly string[],
  lifetime: SessionLifetime,
  at: number = Date.now(),
): Promise<Set<string>> {
  const live = new Set<string>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .leftJoin('api_tokens as t', 't.id', 's.token_id')
      .select([
        's.id',
        's.last_seen_at',
        's.expires_at',
        's.token_id',
        'u.deactivated_at',
        't.revoked_at',
        't.expires_at as token_expires_at',
      ])
      .where('s.id', 'in', chunk)
      .execute();
    for (const row of rows) {
      if (row.deactivated_at !== null) continue;
      if (Math.min(row.last_seen_at + lifetime.idleMs, row.expires_at) <= at) continue;
      const tokenLive =
        row.token_id === null ||
        (row.revoked_at === null && (row.token_expires_at ?? Infinity) > at);
      if (tokenLive) live.add(row.id);
    }
  }
  return live;
}

/** Ends one session (sign-out). */
export async function deleteSession(db: Kysely<Database>, id: string): Promise<void> {
  await deleteSessionById(db, { id });
}

/** Ends every session of a user (deactivation); returns how many there were. */
export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<number> {
  const result = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes sessions past their absolute end. */
export async function deleteExpiredSessions(
  db: Kysely<Database>,
  at: number = Date.now(),
): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', at).executeTakeFirst();
  return Number(result.numDeletedRows);
}
