/**
 * Dead letters: record writes (audit entries, inbox, texts, keys, read model) that failed for
 * a reason retrying cannot fix. The lifecycle goes on; `/readyz` reports them (degraded) and
 * `gatehouse records repair` settles them.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema';

export interface DeadLetter {
  id: string;
  projectId: string;
  /** The effects that could not be written (parsed JSON). */
  entry: unknown;
  error: string;
  createdAt: number;
  resolvedAt?: number;
  resolution?: string;
}

/** Keeps a failed write; its own statement, outside the failed transaction. */
export async function insertDeadLetter(
  db: Kysely<Database>,
  letter: { projectId: string; entry: unknown; error: string; at?: number },
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('dead_letters')
    .values({
      id,
      project_id: letter.projectId,
      // JSON escapes what a text column cannot hold (NUL, unpaired surrogates).
      entry: JSON.stringify(letter.entry),
      error: JSON.stringify(letter.error).slice(1, -1),
      created_at: letter.at ?? Date.now(),
      resolved_at: null,
      resolution: null,
    })
    .execute();
  return id;
}

/** How many dead letters are not settled yet. */
export async function countOpenDeadLetters(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('dead_letters')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Unsettled dead letters, oldest first; of one project when given. */
export async function listOpenDeadLetters(
  db: Kysely<Database>,
  projectId?: string,
): Promise<DeadLetter[]> {
  let query = db.selectFrom('dead_letters').selectAll().where('resolved_at', 'is', null);
  if (projectId !== undefined) query = query.where('project_id', '=', projectId);
  const rows = await query.orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
  return rows.map((row) => ({
    id: row.id,
    projectId: row.project_id,
    entry: JSON.parse(row.entry) as unknown,
    error: row.error,
    createdAt: row.created_at,
  }));
}

/** Marks a dead letter settled, saying how. */
export async function resolveDeadLetter(
  db: Kysely<Database>,
  id: string,
  resolution: string,
  at: number = Date.now(),
): Promise<void> {
  await db
    .updateTable('dead_letters')
    .set({ resolved_at: at, resolution })
    .where('id', '=', id)
    .execute();
}
