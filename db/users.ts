/** Users: create, look up, and find-or-create from an OIDC login (tokens: db/tokens.ts). */
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { NewUser, User } from './records';
import type { Database, Flag, UsersTable } from './schema';

/** The result of {@link insertUser}: the new user, or why it was not created. */
export type InsertUserResult = { ok: true; user: User } | { ok: false; code: 'email_taken' };

/** Creates a user; an e-mail already in use (any letter case) is an answer, not an error. */
export async function insertUser(db: Kysely<Database>, input: NewUser): Promise<InsertUserResult> {
  const row = await db
    .insertInto('users')
    .values({
      id: input.id ?? randomUUID(),
      name: input.name,
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
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
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
  const unique = [...new Set(ids)];
  // `in ()` is a syntax error in both dialects.
  if (unique.length === 0) return [];
  const rows = await db.selectFrom('users').selectAll().where('id', 'in', unique).execute();
  const byId = new Map(rows.map((row) => [row.id, toUser(row)]));
  return unique.flatMap((id) => byId.get(id) ?? []);
}

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

/** What an OIDC login tells about the user (from a verified ID token). */
export interface OidcLogin {
  /** The `iss` claim. */
  issuer: string;
  /** The `sub` claim: stable per issuer, unlike the e-mail. */
  subject: string;
  /** Must be verified by the provider (`email_verified`): it links to an existing account. */
  email: string;
  name: string;
}

/**
 * The user behind an OIDC login: the one linked to (issuer, subject); else the one with that
 * e-mail, now linked; else a new user (no flags), linked. Safe under concurrent first logins.
 */
export async function upsertOidcUser(db: Kysely<Database>, login: OidcLogin): Promise<User> {
  const linked = await findUserByIdentity(db, login.issuer, login.subject);
  if (linked !== undefined) return linked;
  const user = await findOrCreateByEmail(db, login.email, login.name);
  await db
    .insertInto('oidc_identities')
    .values({ issuer: login.issuer, subject: login.subject, user_id: user.id })
    .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
    .execute();
  // A concurrent first login may have linked the identity first: the stored link wins.
  return (await findUserByIdentity(db, login.issuer, login.subject)) ?? user;
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

async function findOrCreateByEmail(
  db: Kysely<Database>,
  email: string,
  name: string,
): Promise<User> {
  const existing = await findUserByEmail(db, email);
  if (existing !== undefined) return existing;
  const created = await insertUser(db, { name, email });
  if (created.ok) return created.user;
  // Taken between our read and our insert: another login created it.
  const raced = await findUserByEmail(db, email);
  if (raced === undefined) throw new Error(`user with e-mail ${email} vanished during login`);
  return raced;
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
