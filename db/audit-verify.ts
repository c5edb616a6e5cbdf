/**
 * Re-computes the audit hash chains (db/audit-chain.ts) from what is stored, a page at a time:
 * `gatehouse audit verify [project]` reports each trail and names the first broken entry.
 */
import type { Kysely } from 'kysely';
import {
  adminEntryHash,
  ChainCheck,
  projectEntryHash,
  type AdminAuditRow,
  type ChainBreak,
  type Chained,
  type ProjectAuditRow,
} from './audit-chain';
import { notSuperseded } from './fences';
import type { Database } from './schema';

const PAGE = 1000;

/** The verdict on one trail. */
export interface TrailReport {
  /** A project id, or `admin` for the admin audit trail. */
  trail: string;
  /** Entries checked (up to the break). */
  entries: number;
  /** Rows a newer record-write attempt superseded (db/fences.ts), each checked on its own. */
  superseded?: number;
  broken?: ChainBreak;
}

/**
 * Checks one project's trail: the chain over the rows readers see (those no newer attempt
 * superseded, one per seq) from genesis; then each superseded row on its own, whose content
 * must still match its hash and whose superseding attempt must be newer than the attempt
 * that wrote it. A void cannot hide an entry of the history unnoticed: the superseding
 * attempt's own row at that seq then chains in its place.
 */
export async function verifyProjectTrail(
  db: Kysely<Database>,
  projectId: string,
): Promise<TrailReport> {
  const check = new ChainCheck<ProjectAuditRow & Chained>(projectEntryHash);
  let after: number | undefined;
  for (;;) {
    let query = db
      .selectFrom('audit_entries')
      .selectAll()
      .where('project_id', '=', projectId)
      .where(notSuperseded());
    if (after !== undefined) query = query.where('seq', '>', after);
    const rows = await query.orderBy('seq').limit(PAGE).execute();
    if (!check.feed(rows) || rows.length < PAGE) break;
    after = Number(rows.at(-1)!.seq);
  }
  if (check.broken) return report(projectId, check);
  const superseded = await db
    .selectFrom('audit_entries as a')
    .innerJoin('audit_voids as v', (join) =>
      join
        .onRef('v.project_id', '=', 'a.project_id')
        .onRef('v.seq', '=', 'a.seq')
        .onRef('v.attempt', '=', 'a.attempt'),
    )
    .selectAll('a')
    .select('v.by_attempt')
    .where('a.project_id', '=', projectId)
    .orderBy('a.seq')
    .execute();
  for (const row of superseded) {
    const seq = Number(row.seq);
    if (row.prev_hash === null || row.hash === null) {
      return report(projectId, check, { seq, reason: 'a superseded entry has no hash' });
    }
    if (projectEntryHash(row.prev_hash, row) !== row.hash) {
      const reason = 'a superseded entry does not match its hash (the entry was edited)';
      return report(projectId, check, { seq, reason });
    }
    if (!(row.by_attempt > row.attempt)) {
      const reason = 'an entry is marked superseded by an attempt that is not newer than its own';
      return report(projectId, check, { seq, reason });
    }
  }
  return {
    ...report(projectId, check),
    ...(superseded.length > 0 && { superseded: superseded.length }),
  };
}

/** Checks the admin audit trail. */
export async function verifyAdminTrail(db: Kysely<Database>): Promise<TrailReport> {
  const check = new ChainCheck<AdminAuditRow & Chained>(adminEntryHash);
  let after: number | undefined;
  for (;;) {
    let query = db.selectFrom('admin_audit').selectAll();
    if (after !== undefined) query = query.where('seq', '>', after);
    const rows = await query.orderBy('seq').limit(PAGE).execute();
    if (!check.feed(rows) || rows.length < PAGE) break;
    after = Number(rows.at(-1)!.seq);
  }
  return report('admin', check);
}

/** Every project with an audit trail, in id order. */
export async function auditedProjects(db: Kysely<Database>): Promise<string[]> {
  const rows = await db
    .selectFrom('audit_entries')
    .select('project_id')
    .distinct()
    .orderBy('project_id')
    .execute();
  return rows.map((r) => r.project_id);
}

function report(
  trail: string,
  check: { entries: number; broken?: ChainBreak },
  broken = check.broken,
): TrailReport {
  return { trail, entries: check.entries, ...(broken && { broken }) };
}
