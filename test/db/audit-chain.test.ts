/**
 * The tamper-evident audit trail: every entry is chained to the one before it, the chain is
 * re-computed by the verifier, which names the first entry that was edited, removed or
 * reordered; and the database itself refuses UPDATE and DELETE of audit rows.
 */
import { SqliteAdapter, sql, type Kysely } from 'kysely';
import { appendAudit, listAudit } from '../../db/audit';
import { verifyProjectTrail } from '../../db/audit-verify';
import type { Database } from '../../db/schema';
import type { AuditEntry } from '../../workflows/model/state';
import { eachDatabase, openMigrated } from '../support/databases';

function entry(projectId: string, seq: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { projectId, seq, at: 1_000 + seq, actor: 'u-pm', action: `action-${seq}`, ...extra };
}

const trail = (projectId: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    entry(projectId, i + 1, { detail: { step: i + 1 }, ...(i === 1 && { reason: 'why' }) }),
  );

describe.each(eachDatabase())('audit hash chain on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => {
    await close();
  });

  it('chains entries per project across appends and retries', async () => {
    const entries = trail('p-chain', 6);
    await appendAudit(db, entries.slice(0, 2));
    // A retried batch overlapping what is stored, and another project in between.
    await appendAudit(db, [...entries.slice(1, 4), ...trail('p-chain-other', 2)]);
    await appendAudit(db, entries.slice(4));
    expect(await verifyProjectTrail(db, 'p-chain')).toEqual({ trail: 'p-chain', entries: 6 });
    expect(await verifyProjectTrail(db, 'p-chain-other')).toEqual({
      trail: 'p-chain-other',
      entries: 2,
    });
    const rows = await db
      .selectFrom('audit_entries')
      .select(['seq', 'prev_hash', 'hash'])
      .where('project_id', '=', 'p-chain')
      .orderBy('seq')
      .execute();
    expect(rows[0]!.prev_hash).toBe('');
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    // The trail reads as before: the chain columns are not part of an entry.
    expect(await listAudit(db, 'p-chain')).toStrictEqual(entries);
  });

  it('refuses UPDATE and DELETE of audit rows in the database itself', async () => {
    expect(await appendAudit(db, trail('p-locked', 2))).toBe(2);
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      // The audit tables' triggers (others, such as the stage counts', keep other tables).
      const { rows } = await sql<{ name: string }>`
        select name from sqlite_master
        where type = 'trigger' and tbl_name in ('admin_audit', 'audit_entries', 'audit_voids')
        order by name`.execute(db);
      expect(rows.map((r) => r.name)).toEqual([
        'admin_audit_no_delete',
        'admin_audit_no_update',
        'audit_entries_no_delete',
        'audit_entries_no_update',
        'audit_voids_no_delete',
        'audit_voids_no_update',
      ]);
    }
    const where = (q: string) => `${q} where project_id = 'p-locked' and seq = 1`;
    await expect(
      sql.raw(where(`update audit_entries set actor = 'someone-else'`)).execute(db),
    ).rejects.toThrow(/append-only: update refused/);
    await expect(sql.raw(where('delete from audit_entries')).execute(db)).rejects.toThrow(
      /append-only: delete refused/,
    );
    // What superseded a row is kept as firmly as the row itself.
    await sql`insert into audit_voids (project_id, seq, attempt, by_attempt, at)
              values ('p-locked', 9, '', '1', 0)`.execute(db);
    await expect(
      sql.raw(`update audit_voids set by_attempt = '2' where project_id = 'p-locked'`).execute(db),
    ).rejects.toThrow(/append-only: update refused/);
    await expect(
      sql.raw(`delete from audit_voids where project_id = 'p-locked'`).execute(db),
    ).rejects.toThrow(/append-only: delete refused/);
    await expect(
      sql`update admin_audit set actor = 'someone-else'`.execute(db),
    ).resolves.toBeDefined(); // no rows yet; the trigger fires per row
    expect(await verifyProjectTrail(db, 'p-locked')).toEqual({ trail: 'p-locked', entries: 2 });
  });

  it.each([
    ['an edited reason', `update audit_entries set reason = 'another reason'`, 2, /edited/],
    ['an edited actor', `update audit_entries set actor = 'u-mallory'`, 2, /edited/],
    ['an edited time', `update audit_entries set at = at + 1`, 2, /edited/],
    ['a removed entry', 'delete from audit_entries', 3, /removed or changed/],
  ])('names the first broken entry after %s', async (_what, change, brokenAt, reason) => {
    const id = `p-tamper-${brokenAt}-${String(reason).length}-${change.length}`;
    await appendAudit(db, trail(id, 4));
    await tamper(db, `${change} where project_id = '${id}' and seq = 2`);
    const report = await verifyProjectTrail(db, id);
    expect(report.broken).toEqual({ seq: brokenAt, reason: expect.stringMatching(reason) });
    expect(report.entries).toBe(1);
  });
});

/**
 * Changes audit rows the way someone with the database's keys could: on SQLite by dropping
 * the triggers, on PostgreSQL as a superuser that skips triggers for the session. The
 * triggers are put back afterwards.
 */
async function tamper(db: Kysely<Database>, statement: string): Promise<void> {
  if (db.getExecutor().adapter instanceof SqliteAdapter) {
    await db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ name: string; sql: string }>`
        select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'audit_entries'`.execute(
        trx,
      );
      for (const t of rows) await sql.raw(`drop trigger ${t.name}`).execute(trx);
      await sql.raw(statement).execute(trx);
      for (const t of rows) await sql.raw(t.sql).execute(trx);
    });
    return;
  }
  await db.connection().execute(async (conn) => {
    await sql`set session_replication_role = replica`.execute(conn);
    try {
      await sql.raw(statement).execute(conn);
    } finally {
      await sql`set session_replication_role = origin`.execute(conn);
    }
  });
}
