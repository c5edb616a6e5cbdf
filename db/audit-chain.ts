/**
 * The hash chains that make the audit trails tamper-evident. Each entry stores the hash of the
 * entry before it (`prev_hash`) and its own (`hash`), a SHA-256 over the previous hash and every
 * stored column of the entry (content, actor, time): changing, removing or reordering a row
 * breaks the chain at that row. A project's trail chains per project; the admin trail is one
 * chain. The layout of the hashed text is versioned by its first element: never change a
 * version's layout, add a new one.
 */
import { createHash } from 'node:crypto';
import type { AdminAuditTable, AuditEntriesTable } from './schema';

/** `prev_hash` of the first entry of a chain. */
export const GENESIS = '';

/** A project audit row as stored (the columns the chain covers; detail: the JSON text as stored). */
export type ProjectAuditRow = Pick<
  AuditEntriesTable,
  'project_id' | 'seq' | 'at' | 'actor' | 'action' | 'node_id' | 'reason' | 'detail'
>;

/** An admin audit row as stored (the columns the chain covers). */
export type AdminAuditRow = Pick<
  AdminAuditTable,
  'seq' | 'at' | 'actor' | 'action' | 'target' | 'detail'
>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export function projectEntryHash(prev: string, row: ProjectAuditRow): string {
  return sha256(
    JSON.stringify([
      'gatehouse-audit@1',
      prev,
      row.project_id,
      Number(row.seq),
      Number(row.at),
      row.actor,
      row.action,
      row.node_id,
      row.reason,
      row.detail,
    ]),
  );
}

export function adminEntryHash(prev: string, row: AdminAuditRow): string {
  return sha256(
    JSON.stringify([
      'gatehouse-admin-audit@1',
      prev,
      Number(row.seq),
      Number(row.at),
      row.actor,
      row.action,
      row.target,
      row.detail,
    ]),
  );
}

/** A stored row of either trail with its chain columns. */
export interface Chained {
  seq: number;
  prev_hash: string | null;
  hash: string | null;
}

/** Where a chain breaks: the first entry whose links or content do not add up. */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Checks a chain a page at a time, in seq order: the first entry whose `prev_hash` is not the
 * hash of the entry before (an entry removed, inserted or reordered before it) or whose
 * `hash` does not match its content (the entry itself changed) is the break.
 */
export class ChainCheck<R extends Chained> {
  private prev = GENESIS;
  /** Entries checked so far. */
  entries = 0;
  broken: ChainBreak | undefined;

  constructor(private readonly hashOf: (prev: string, row: R) => string) {}

  /** Checks the next rows; false once the chain is broken. */
  feed(rows: readonly R[]): boolean {
    for (const row of rows) {
      if (this.broken) return false;
      this.broken = this.check(row);
      if (this.broken) return false;
      this.entries += 1;
      this.prev = row.hash!;
    }
    return true;
  }

  private check(row: R): ChainBreak | undefined {
    const seq = Number(row.seq);
    if (row.prev_hash === null || row.hash === null) return { seq, reason: 'it has no hash' };
    if (row.prev_hash !== this.prev) {
      return {
        seq,
        reason: 'its link to the entry before does not match (an entry was removed or changed)',
      };
    }
    if (this.hashOf(this.prev, row) !== row.hash) {
      return { seq, reason: 'its content does not match its hash (the entry was edited)' };
    }
    return undefined;
  }
}
