/** The append-only audit trail (SPEC §3: who, when, what, why), ordered per project by seq. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import { GENESIS, projectEntryHash, type ProjectAuditRow } from './audit-chain';
import { AuditEntry } from '../workflows/model/state';
import { inTransaction, lockFor } from './database';
import { notSuperseded } from './fences';
import { reusedQuery } from './reused-query';
import type { AuditEntriesTable, Database } from './schema';

const DEFAULT_PAGE_SIZE = 200;

/**
 * Appends entries; an entry whose (projectId, seq) is already stored (and not superseded) is
 * skipped, never updated, so a retried activity is a no-op. Each new entry is chained to the
 * stored entry before it (db/audit-chain.ts); appends to one project are serialized (on
 * PostgreSQL by a transaction-scoped advisory lock, on SQLite by its write lock), so two
 * writers never chain to the same predecessor. Returns how many entries were new.
 *
 * The trail is append-only, yet a record write can come from a workflow task attempt the
 * history never recorded (db/fences.ts): rows carry the `attempt` that wrote them, a newer
 * attempt's rows at the same seq sit beside the older ones, and the older ones are listed in
 * `audit_voids` (append-only too). Readers see the rows not superseded: one per seq. The hash
 * chain links those rows: each new row chains to the newest row before it that is not
 * superseded, so the chain over what readers see verifies from genesis (db/audit-verify.ts
 * checks it, and checks each superseded row against its own hash).
 */
export async function appendAudit(
  db: Kysely<Database>,
  entries: readonly AuditEntry[],
  /** The record-write attempt (db/fences.ts); none: '' (before attempts, repairs). */
  attempt = '',
): Promise<number> {
  if (entries.length === 0) return 0;
  const byProject = new Map<string, AuditEntry[]>();
  for (const entry of entries) {
    byProject.set(entry.projectId, [...(byProject.get(entry.projectId) ?? []), entry]);
  }
  return inTransaction(db, async (trx) => {
    let inserted = 0;
    for (const [projectId, group] of [...byProject].sort(([a], [b]) => (a < b ? -1 : 1))) {
      inserted += await appendToProject(trx, projectId, group, attempt);
    }
    return inserted;
  });
}

/** Audit rows per insert statement (about 15 parameters each). */
const INSERT_CHUNK = 500;

async function appendToProject(
  trx: Kysely<Database>,
  projectId: string,
  entries: AuditEntry[],
  attempt: string,
): Promise<number> {
  await lockFor(trx, `gatehouse-audit:${projectId}`);
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  // The entries already stored, and the one just before the first: in one read, the link the
  // next entry chains to (a project's trail has no gaps but where attempts were voided).
  const stored = new Map(
    (
      await selectStored(trx, { projectId, first: sorted[0]!.seq - 1, last: sorted.at(-1)!.seq })
    ).rows.map((row) => [Number(row.seq), row.hash]),
  );
  const justBefore = (seq: number) => {
    const hash = stored.get(seq - 1);
    return hash === undefined ? undefined : { seq: seq - 1, hash: hash ?? GENESIS };
  };
  let last: { seq: number; hash: string } | undefined;
  const rows = [];
  for (const entry of sorted) {
    const known = stored.get(entry.seq);
    if (known !== undefined) {
      last = known === null ? undefined : { seq: entry.seq, hash: known };
      continue;
    }
    const prev = last ?? justBefore(entry.seq) ?? (await predecessor(trx, projectId, entry.seq));
    const row = toRow(entry);
    const prevHash = prev?.hash ?? GENESIS;
    const hash = projectEntryHash(prevHash, row);
    rows.push({ ...row, prev_hash: prevHash, hash, attempt });
    last = { seq: entry.seq, hash };
  }
  // A record write's entries in one statement (one round trip, not one each); a repair's whole
  // trail in chunks that stay under SQLite's limit of bound parameters.
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await insertRows(trx, rows.slice(i, i + INSERT_CHUNK));
  }
  return rows.length;
}

// Every record write runs these: built once (db/reused-query.ts).
const selectStored = reusedQuery<
  { projectId: string; first: number; last: number },
  { seq: number; hash: string | null }
>((db, slot) =>
  db
    .selectFrom('audit_entries')
    .select(['seq', 'hash'])
    .where('project_id', '=', slot('projectId'))
    .where('seq', '>=', slot('first'))
    .where('seq', '<=', slot('last'))
    .where(notSuperseded()),
);

const insertRows = reusedQuery<Insertable<AuditEntriesTable>>((db, slot, { rows }) =>
  db.insertInto('audit_entries').values(
    Array.from({ length: rows }, (_, i) => ({
      project_id: slot.at('project_id', i),
      seq: slot.at('seq', i),
      at: slot.at('at', i),
      actor: slot.at('actor', i),
      action: slot.at('action', i),
      node_id: slot.at('node_id', i),
      reason: slot.at('reason', i),
      detail: slot.at('detail', i),
      prev_hash: slot.at('prev_hash', i),
      hash: slot.at('hash', i),
      attempt: slot.at('attempt', i),
    })),
  ),
);

/** The stored entry just before `seq` in the project's trail (its hash), if any. */
async function predecessor(
  trx: Kysely<Database>,
  projectId: string,
  seq: number,
): Promise<{ seq: number; hash: string } | undefined> {
  const row = await trx
    .selectFrom('audit_entries')
    .select(['seq', 'hash'])
    .where('project_id', '=', projectId)
    .where('seq', '<', seq)
    .where(notSuperseded())
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { seq: Number(row.seq), hash: row.hash ?? GENESIS };
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
  let query = db
    .selectFrom('audit_entries')
    .selectAll()
    .where('project_id', '=', projectId)
    .where(notSuperseded());
  if (options.afterSeq !== undefined) query = query.where('seq', '>', options.afterSeq);
  const rows = await query.orderBy('seq', 'asc').limit(limit).execute();
  return rows.map(toEntry);
}

function toRow(entry: AuditEntry): ProjectAuditRow {
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
