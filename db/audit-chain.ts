/**
 * The hash chains that make the audit trails tamper-evident. Each entry stores the hash of the
 * entry before it (`prev_hash`) and its own (`hash`), a SHA-256 over the previous hash and every
 * stored column of the entry (content, actor, time): changing, removing or reordering a row
 * breaks the chain at that row. A project's trail chains per project; the admin trail is one
 * chain. The layout of the hashed text is versioned by its first element: never change a
 * version's layout, add a new one.
 */
import { createHash } from 'node:crypto';

/** `prev_hash` of the first entry of a chain. */
export const GENESIS = '';

/** A project audit row as stored (the columns the chain covers). */
export interface ProjectAuditRow {
  project_id: string;
  seq: number;
  at: number;
  actor: string;
  action: string;
  node_id: string | null;
  reason: string | null;
  /** The JSON text exactly as stored. */
  detail: string | null;
}

/** An admin audit row as stored (the columns the chain covers). */
export interface AdminAuditRow {
  seq: number;
  at: number;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
}

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
 * Walks `rows` (in seq order) and returns the first break: a `prev_hash` that is not the hash
 * of the entry before (an entry removed, inserted or reordered before it), or a `hash` that
 * does not match the entry's content (the entry itself changed).
 */
export function findChainBreak<R extends Chained>(
  rows: Iterable<R>,
  hashOf: (prev: string, row: R) => string,
  start: { prev: string } = { prev: GENESIS },
): ChainBreak | undefined {
  let prev = start.prev;
  for (const row of rows) {
    if (row.prev_hash === null || row.hash === null) {
      return { seq: Number(row.seq), reason: 'the entry has no hash' };
    }
    if (row.prev_hash !== prev) {
      return {
        seq: Number(row.seq),
        reason: 'its link to the entry before does not match (an entry was removed or changed)',
      };
    }
    if (hashOf(prev, row) !== row.hash) {
      return { seq: Number(row.seq), reason: 'its content does not match its hash (edited)' };
    }
    prev = row.hash;
  }
  return undefined;
}
