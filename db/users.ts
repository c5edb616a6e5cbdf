/** Users: create and look up (tokens and OIDC identities come with later migrations). */
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

function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toFlag(value: boolean | undefined): Flag {
  return value === true ? 1 : 0;
}

function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    pmo: row.pmo === 1,
    admin: row.admin === 1,
    createdAt: row.created_at,
  };
}
