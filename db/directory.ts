/**
 * The user directory (SPEC §4 `GET /api/users`): search by name or e-mail, ordered by name
 * whatever its letter case (the stored `name_folded`, db/name-fold.ts, in any script), paged by
 * keyset so that a page never repeats or skips a user while others are added.
 */
import { sql, type Kysely } from 'kysely';
import { ProjectPerson } from '../workflows/model/records';
import { holdsNul, InvalidCursorError, pageSize } from './cursor';
import { foldName } from './name-fold';
import type { DirectoryEntry, Page } from './records';
import type { Database } from './schema';

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** Options of {@link searchUsers}. */
export interface DirectoryQuery {
  /** Words that must each appear in the name or the e-mail (any letter case). */
  q?: string;
  /** Only active (true) or only deactivated (false) users; both when absent. */
  active?: boolean;
  /** `nextCursor` of the previous page. */
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
  /** Only people who take part in a project with this user (them excepted). */
  colleaguesOf?: string;
}

/** Position after the last row shown: its folded name and id. */
type NameCursor = [name: string, id: string];

/** The cursor of a page ending at the user `id` whose folded name is `name`. */
export function encodeNameCursor(cursor: NameCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(cursor: string): NameCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid =
    Array.isArray(parsed) &&
    parsed.length === 2 &&
    // A name or id holding NUL (a JSON escape) is none we handed out, and PostgreSQL cannot
    // compare with it.
    parsed.every((part): part is string => typeof part === 'string' && !holdsNul(part));
  if (!valid) throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  return parsed as NameCursor;
}

/** `%`, `_` and the escape character itself match literally (`like … escape '\'`). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A page of the directory. */
export async function searchUsers(
  db: Kysely<Database>,
  options: DirectoryQuery = {},
): Promise<Page<DirectoryEntry>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const nameKey = sql.ref<string>('name_folded');
  let query = db
    .selectFrom('users')
    .select(['id', 'name', 'email', 'deactivated_at', 'name_folded'])
    // A user an older build wrote during a rolling upgrade, not folded yet, is left out until
    // it is (db/name-fold-upgrade.ts): its place in the order is not known.
    .where('name_folded', 'is not', null)
    .$narrowType<{ name_folded: string }>();
  for (const word of (options.q ?? '').split(/\s+/).filter((w) => w !== '')) {
    // E-mails are stored lower-cased (db/users.ts normalizeEmail).
    const [name, email] = [likePattern(foldName(word)), likePattern(word.toLowerCase())];
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`name_folded like ${name} escape '\\'`,
        sql<boolean>`email like ${email} escape '\\'`,
      ]),
    );
  }
  if (options.active !== undefined) {
    query = query.where('deactivated_at', options.active ? 'is' : 'is not', null);
  }
  const of = options.colleaguesOf;
  if (of !== undefined) {
    // Found from the user's own projects and sorted: as many rows as they have colleagues
    // in them, where a walk of the directory in its order passed over everyone else.
    query = query
      .where('id', '!=', of)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('project_participants as mine')
          .innerJoin('project_participants as theirs', 'theirs.project_id', 'mine.project_id')
          .select('theirs.user_id')
          .where('mine.user_id', '=', of),
      );
  }
  if (options.cursor !== undefined) {
    const [name, id] = decode(options.cursor);
    // One row-value comparison, which both databases seek their index to (an OR of its parts
    // is a filter: a later page read every name before it).
    query = query.where(sql<boolean>`(${nameKey}, id) > (${name}, ${id})`);
  }
  const rows = await query
    .orderBy(nameKey)
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row): DirectoryEntry => ({
      id: row.id,
      name: row.name,
      email: row.email,
      active: row.deactivated_at === null,
    })),
    ...(rows.length > limit &&
      last && { nextCursor: encodeNameCursor([last.name_folded, last.id]) }),
  };
}

export { ProjectPerson } from '../workflows/model/records';

/**
 * A project's participants by name, with their roles; an id without a user row (never
 * created, or deleted) shows as itself, inactive.
 */
export async function listProjectPeople(
  db: Kysely<Database>,
  projectId: string,
): Promise<ProjectPerson[]> {
  const rows = await db
    .selectFrom('project_participants as pp')
    .leftJoin('users as u', 'u.id', 'pp.user_id')
    .select(['pp.user_id', 'pp.role', 'u.name', 'u.deactivated_at', 'u.id as known'])
    .where('pp.project_id', '=', projectId)
    .orderBy('pp.user_id')
    .orderBy('pp.role')
    .execute();
  const people = new Map<string, ProjectPerson>();
  for (const row of rows) {
    const person = people.get(row.user_id) ?? {
      userId: row.user_id,
      name: row.name ?? row.user_id,
      roles: [],
      active: row.known !== null && row.deactivated_at === null,
    };
    person.roles.push(row.role);
    people.set(row.user_id, person);
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The sign-in identities linked to a user (issuer and subject; nothing secret). */
export async function listIdentities(
  db: Kysely<Database>,
  userId: string,
): Promise<{ issuer: string; subject: string }[]> {
  return db
    .selectFrom('oidc_identities')
    .select(['issuer', 'subject'])
    .where('user_id', '=', userId)
    .orderBy('issuer')
    .execute();
}
