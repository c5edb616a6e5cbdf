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
import type { Database } from './schema';

const PAGE = 1000;

/** The verdict on one trail. */
export interface TrailReport {
  /** A project id, or `admin` for the admin audit trail. */
  trail: string;
  /** Entries checked (up to the break). */
  entries: number;
  broken?: ChainBreak;
}

/** Checks one project's trail. */
export async function verifyProjectTrail(
  db: Kysely<Database>,
  projectId: string,
): Promise<TrailReport> {
  const check = new ChainCheck<ProjectAuditRow & Chained>(projectEntryHash);
  let after: number | undefined;
  for (;;) {
    let query = db.selectFrom('audit_entries').selectAll().where('project_id', '=', projectId);
    if (after !== undefined) query = query.where('seq', '>', after);
    const rows = await query.orderBy('seq').limit(PAGE).execute();
    if (!check.feed(rows) || rows.length < PAGE) break;
    after = Number(rows.at(-1)!.seq);
  }
  return report(projectId, check);
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

function report(trail: string, check: { entries: number; broken?: ChainBreak }): TrailReport {
  return { trail, entries: check.entries, ...(check.broken && { broken: check.broken }) };
}
