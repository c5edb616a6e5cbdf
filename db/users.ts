/** Users: create, look up, and link OIDC logins by the administrator's rules (tokens: db/tokens.ts). */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { refusedCodePoint } from '../workflows/model/text';
import { appendAdminAudit } from './admin-audit';
import { chunks, inTransaction, lockFor } from './database';
import { foldName } from './name-fold';
import type { NewUser, User } from './records';
import { reusedQuery } from './reused-query';
import type { Database, Flag, UsersTable } from './schema';

/**
 * Whether `id` could name a user at all: ids come from request bodies as free strings, and one
 * holding NUL would fail a PostgreSQL query instead of being answered as "no such user".
 */
export const couldBeUserId = (id: string) => refusedCodePoint(id) === undefined;

/** The result of {@link insertUser}: the new user, or why it was not created. */
export type InsertUserResult = { ok: true; user: User } | { ok: false; code: 'email_taken' };

/** Creates a user; an e-mail already in use (any letter case) is an answer, not an error. */
export async function insertUser(db: Kysely<Database>, input: NewUser): Promise<InsertUserResult> {
  const row = await db
    .insertInto('users')
    .values({
      id: input.id ?? randomUUID(),
      name: input.name,
      name_folded: foldName(input.name),
      email: normalizeEmail(input.email),
      pmo: toFlag(input.pmo),
      admin: toFlag(input.admin),
      created_at: input.createdAt ?? Date.now(),
      deactivated_at: null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row === undefined ? { ok: false, code: 'email_taken' } : { ok: true, user: toUser(row) };
}

/** The user with this id, if any. */
export async function getUser(db: Kysely<Database>, id: string): Promise<User | undefined> {
  if (!couldBeUserId(id)) return undefined;
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

/** Which of the users `ids` exist and are active, in one query per 500. */
export async function activeUsers(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<Set<string>> {
  const active = new Set<string>();
  for (const chunk of chunks(ids.filter(couldBeUserId))) {
    const rows = await db.selectFrom('users').selectAll().where('id', 'in', chunk).execute();
    for (const row of rows) if (toUser(row).active) active.add(row.id);
  }
  return active;
}

/** The user with this e-mail (compared case-insensitively), if any. */
export async function findUserByEmail(
  db: Kysely<Database>,
  email: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row && toUser(row);
}

/** The existing users among `ids`, in the order of `ids`, each once; unknown ids are left out. */
export async function getUsersByIds(db: Kysely<Database>, ids: readonly string[]): Promise<User[]> {
  const unique = [...new Set(ids)].filter(couldBeUserId);
  // `in ()` is a syntax error in both dialects.
  if (unique.length === 0) return [];
  const { rows } = await selectByIds(
    db,
    unique.map((id) => ({ id })),
  );
  const byId = new Map(rows.map((row) => [row.id, toUser(row)]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

// Every notification a record write stores runs it: built once per list length (db/reused-query.ts).
const selectByIds = reusedQuery<{ id: string }, Selectable<UsersTable>>((db, slot, { rows }) =>
  db
    .selectFrom('users')
    .selectAll()
    .where(
      'id',
      'in',
      Array.from({ length: rows }, (_, i) => slot.at('id', i)),
    ),
);

/** Every user, oldest first. */
export async function listUsers(db: Kysely<Database>): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .selectAll()
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
  return rows.map(toUser);
}

/**
 * The oldest admin (deactivated or not), if any: one row, whatever the number of users (a
 * start asks it; listing everyone for it would read a whole organisation's directory).
 */
export async function oldestAdmin(db: Kysely<Database>): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('admin', '=', 1)
    .orderBy('created_at', 'asc')
    .orderBy('id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row && toUser(row);
}

/** What an OIDC login tells about the user (from a verified token). */
export interface OidcLogin {
  /** The `iss` claim. */
  issuer: string;
  /** The `sub` claim: stable per issuer, unlike the e-mail. */
  subject: string;
  /** Verified by the provider (`email_verified`), in an allowed domain. */
  email: string;
  name: string;
}

/** The linking rules an administrator sets (README "Single sign-on"). */
export interface LinkRules {
  /** Create a user for a first sign-in that matches no account (just in time). */
  jit: boolean;
}

/** Why a sign-in links to no account. */
export type LinkRefusal = 'not_provisioned' | 'privileged_account' | 'linked_elsewhere';

export type LinkResult =
  { ok: true; user: User; created: boolean; linked: boolean } | { ok: false; code: LinkRefusal };

/**
 * The user behind an OIDC login: the one linked to (issuer, subject); else the account with
 * that e-mail, linked now, but only when it holds no role (PMO or admin) and no other
 * identity of this issuer, so that no privilege is ever gained by matching an e-mail; else,
 * with just-in-time creation on, a new user without roles. Links and creations go to the
 * admin audit trail. Safe under concurrent first logins.
 */
export async function linkOidcIdentity(
  db: Kysely<Database>,
  login: OidcLogin,
  rules: LinkRules,
): Promise<LinkResult> {
  const linked = await findUserByIdentity(db, login.issuer, login.subject);
  if (linked !== undefined) return { ok: true, user: linked, created: false, linked: false };
  return inTransaction(db, async (trx) => {
    await lockFor(trx, `gatehouse-identity:${login.issuer}:${login.subject}`);
    const raced = await findUserByIdentity(trx, login.issuer, login.subject);
    if (raced !== undefined) return { ok: true, user: raced, created: false, linked: false };
    let user = await findUserByEmail(trx, login.email);
    let created = false;
    if (user !== undefined) {
      if (user.pmo || user.admin) return { ok: false, code: 'privileged_account' };
      const other = await trx
        .selectFrom('oidc_identities')
        .select('subject')
        .where('issuer', '=', login.issuer)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (other !== undefined) return { ok: false, code: 'linked_elsewhere' };
    } else {
      if (!rules.jit) return { ok: false, code: 'not_provisioned' };
      const inserted = await insertUser(trx, { name: login.name, email: login.email });
      // Taken between our read and our insert (another process): sign in again.
      if (!inserted.ok) throw new Error(`user with e-mail ${login.email} appeared during login`);
      user = inserted.user;
      created = true;
      await appendAdminAudit(trx, {
        actor: 'system',
        action: 'user.created',
        target: user.id,
        detail: { via: 'sso', issuer: login.issuer },
      });
    }
    await trx
      .insertInto('oidc_identities')
      .values({ issuer: login.issuer, subject: login.subject, user_id: user.id })
      .execute();
    await appendAdminAudit(trx, {
      actor: 'system',
      action: 'user.sso_linked',
      target: user.id,
      detail: { issuer: login.issuer, subject: login.subject, by: created ? 'creation' : 'email' },
    });
    return { ok: true, user, created, linked: true };
  });
}

async function findUserByIdentity(
  db: Kysely<Database>,
  issuer: string,
  subject: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('oidc_identities as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .selectAll('u')
    .where('i.issuer', '=', issuer)
    .where('i.subject', '=', subject)
    .executeTakeFirst();
  return row && toUser(row);
}

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toFlag(value: boolean | undefined): Flag {
  return value === true ? 1 : 0;
}

/** A users row as a {@link User} (other repositories join users and map with it). */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    pmo: row.pmo === 1,
    admin: row.admin === 1,
    active: row.deactivated_at === null,
    createdAt: row.created_at,
  };
}
