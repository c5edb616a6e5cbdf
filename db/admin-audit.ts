/**
 * The admin audit trail: who created, changed, deactivated or signed in which account, and
 * which tokens were made or revoked. One hash chain (db/audit-chain.ts), append-only in the
 * database like the projects' trails; read newest first, a page at a time.
 */
import type { Kysely } from 'kysely';
import { AdminAuditEntry, type AdminAction } from '../workflows/model/records';
import { adminEntryHash, GENESIS } from './audit-chain';
import { InvalidCursorError, pageSize } from './cursor';
import { inTransaction, lockFor } from './database';
import type { Page } from './records';
import type { Database } from './schema';

export { ADMIN_ACTIONS, AdminAuditEntry } from '../workflows/model/records';
export type { AdminAction } from '../workflows/model/records';

export interface NewAdminAuditEntry {
  actor: string;
  action: AdminAction;
  target?: string;
  detail?: Record<string, unknown>;
  at?: number;
}

/**
 * Appends entries, chained, in the caller's transaction when there is one (so an action and
 * its record commit together). Appends are serialized: on PostgreSQL by a transaction-scoped
 * advisory lock, on SQLite by its write lock.
 */
export async function appendAdminAudit(
  db: Kysely<Database>,
  ...entries: NewAdminAuditEntry[]
): Promise<void> {
  if (entries.length === 0) return;
  await inTransaction(db, async (trx) => {
    await lockFor(trx, 'gatehouse-admin-audit');
    const last = await trx
      .selectFrom('admin_audit')
      .select(['seq', 'hash'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    let seq = last ? Number(last.seq) : 0;
    let prev = last?.hash ?? GENESIS;
    for (const entry of entries) {
      seq += 1;
      const row = {
        seq,
        at: entry.at ?? Date.now(),
        actor: entry.actor,
        action: entry.action,
        target: entry.target ?? null,
        detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      };
      const hash = adminEntryHash(prev, row);
      await trx
        .insertInto('admin_audit')
        .values({ ...row, prev_hash: prev, hash })
        .execute();
      prev = hash;
    }
  });
}

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** The admin trail, newest first; `cursor` is the `nextCursor` of the previous page. */
export async function listAdminAudit(
  db: Kysely<Database>,
  options: { cursor?: string; limit?: number } = {},
): Promise<Page<AdminAuditEntry>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  let query = db.selectFrom('admin_audit').selectAll();
  if (options.cursor !== undefined) query = query.where('seq', '<', decodeSeq(options.cursor));
  const rows = await query
    .orderBy('seq', 'desc')
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  return {
    items: page.map((row) =>
      AdminAuditEntry.parse({
        seq: Number(row.seq),
        at: Number(row.at),
        actor: row.actor,
        action: row.action,
        ...(row.target !== null && { target: row.target }),
        ...(row.detail !== null && { detail: JSON.parse(row.detail) as unknown }),
      }),
    ),
    ...(rows.length > limit && { nextCursor: encodeSeq(Number(page.at(-1)!.seq)) }),
  };
}

function encodeSeq(seq: number): string {
  return Buffer.from(`admin:${seq}`).toString('base64url');
}

function decodeSeq(cursor: string): number {
  const match = /^admin:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (match === null) throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  return Number(match[1]);
}
