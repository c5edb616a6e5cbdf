/** The append-only audit trail (SPEC §3: who, when, what, why), ordered per project by seq. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { AuditEntry } from '../workflows/model/state';
import { inTransaction } from './database';
import type { AuditEntriesTable, Database } from './schema';

/** Rows per INSERT: 8 parameters each stays far below SQLite's and pg's parameter limits. */
const CHUNK = 500;
const DEFAULT_PAGE_SIZE = 200;

/**
 * Appends entries; an entry whose (projectId, seq) is already stored is skipped, never
 * updated, so a retried activity is a no-op. Returns how many entries were new.
 */
export async function appendAudit(
  db: Kysely<Database>,
  entries: readonly AuditEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  return inTransaction(db, async (trx) => {
    let inserted = 0;
    for (let i = 0; i < entries.length; i += CHUNK) {
      const result = await trx
        .insertInto('audit_entries')
        .values(entries.slice(i, i + CHUNK).map(toRow))
        .onConflict((oc) => oc.columns(['project_id', 'seq']).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  });
}

/** Options of {@link listAudit}. */
export interface ListAuditOptions {
  /** Only entries after this seq (the last seq of the previous page). */
  afterSeq?: number;
  /** Page size, 1..1000 (default 200). */
  limit?: number;
}

/** A project's audit trail in seq order. */
export async function listAudit(
  db: Kysely<Database>,
  projectId: string,
  options: ListAuditOptions = {},
): Promise<AuditEntry[]> {
  const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_PAGE_SIZE), 1), 1000);
  let query = db.selectFrom('audit_entries').selectAll().where('project_id', '=', projectId);
  if (options.afterSeq !== undefined) query = query.where('seq', '>', options.afterSeq);
  const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
  return rows.map(toEntry);
}

function toRow(entry: AuditEntry): Insertable<AuditEntriesTable> {
  return {
    project_id: entry.projectId,
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    node_id: entry.nodeId ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
  };
}

function toEntry(row: Selectable<AuditEntriesTable>): AuditEntry {
  // Validated on the way out too: the column is free text to the database.
  return AuditEntry.parse({
    projectId: row.project_id,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    ...(row.node_id === null ? {} : { nodeId: row.node_id }),
    ...(row.reason === null ? {} : { reason: row.reason }),
    ...(row.detail === null ? {} : { detail: JSON.parse(row.detail) as unknown }),
  });
}
