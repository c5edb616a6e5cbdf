/**
 * A project's long texts (deliverable texts and URLs, comments, notes, feedback), written with
 * the audit entries of the action that gave them and named in the workflow state by digest.
 */
import type { Insertable, Kysely } from 'kysely';
import { FeedbackEntry } from '../workflows/model/state';
import type { StoredText } from '../workflows/model/results';
import { notSuperseded } from './fences';
import { reusedQuery } from './reused-query';
import type { Database, ProjectTextsTable } from './schema';

/** Rows per INSERT: each text may be long, so few at a time. */
const CHUNK = 50;

/** Stores texts; one already stored (same project and digest) is left as it is. */
export async function insertTexts(
  db: Kysely<Database>,
  texts: readonly StoredText[],
  at: number = Date.now(),
): Promise<void> {
  for (let i = 0; i < texts.length; i += CHUNK) {
    const rows = texts.slice(i, i + CHUNK).map((t) => ({
      project_id: t.projectId,
      sha256: t.sha256,
      text: t.text,
      created_at: at,
    }));
    await insertRows(db, rows);
  }
}

// Most record writes carry a text or two: built once per row count (db/reused-query.ts).
const insertRows = reusedQuery<Insertable<ProjectTextsTable>>((db, slot, { rows }) =>
  db
    .insertInto('project_texts')
    .values(
      Array.from({ length: rows }, (_, i) => ({
        project_id: slot.at('project_id', i),
        sha256: slot.at('sha256', i),
        text: slot.at('text', i),
        created_at: slot.at('created_at', i),
      })),
    )
    .onConflict((oc) => oc.columns(['project_id', 'sha256']).doNothing()),
);

/** The stored texts of a project among `digests`, by digest. */
export async function getTexts(
  db: Kysely<Database>,
  projectId: string,
  digests: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(digests)];
  const found = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 500) {
    const rows = await db
      .selectFrom('project_texts')
      .select(['sha256', 'text'])
      .where('project_id', '=', projectId)
      .where('sha256', 'in', unique.slice(i, i + 500))
      .execute();
    for (const row of rows) found.set(row.sha256, row.text);
  }
  return found;
}

/**
 * Every feedback entry and lesson of a project, from the audit trail (the workflow state keeps
 * only the latest), oldest first, each with its latest status, owner and response.
 */
export async function listFeedback(
  db: Kysely<Database>,
  projectId: string,
): Promise<FeedbackEntry[]> {
  const rows = await db
    .selectFrom('audit_entries')
    .select(['action', 'actor', 'at', 'node_id', 'detail'])
    .where('project_id', '=', projectId)
    .where('action', 'in', ['feedback.recorded', 'lesson.recorded', 'feedback.status'])
    .where(notSuperseded())
    .orderBy('seq', 'asc')
    .execute();
  const byId = new Map<string, FeedbackEntry>();
  for (const row of rows) {
    const detail = row.detail === null ? {} : (JSON.parse(row.detail) as Record<string, unknown>);
    if (row.action === 'feedback.status') {
      const entry = typeof detail.id === 'string' ? byId.get(detail.id) : undefined;
      const answered =
        entry &&
        FeedbackEntry.safeParse({
          ...entry,
          status: detail.status,
          owner: detail.owner,
          ...(detail.response !== undefined && { response: detail.response }),
          statusBy: row.actor,
          statusAt: row.at,
        });
      if (answered?.success) byId.set(answered.data.id, answered.data);
      continue;
    }
    const entry = FeedbackEntry.safeParse({
      id: detail.id,
      kind: row.action === 'lesson.recorded' ? 'lesson' : 'feedback',
      text: detail.text,
      by: row.actor,
      at: row.at,
      ...(row.node_id !== null && { nodeId: row.node_id }),
    });
    if (entry.success) byId.set(entry.data.id, entry.data);
  }
  return [...byId.values()];
}
