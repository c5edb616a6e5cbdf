import type { Kysely } from 'kysely';
import { appendAudit, listAudit } from '../../db/audit';
import type { Database } from '../../db/schema';
import type { AuditEntry } from '../../workflows/model/state';
import { eachDatabase, openMigrated } from '../support/databases';

function entry(projectId: string, seq: number, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { projectId, seq, at: 1_000 + seq, actor: 'u-pmo', action: `action-${seq}`, ...extra };
}

describe.each(eachDatabase())('audit trail on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => {
    await close();
  });

  it('appends idempotently and never rewrites an entry', async () => {
    const first = entry('p-idem', 0, {
      nodeId: 'inception',
      reason: 'kick-off',
      detail: { decision: 'go', scores: { risk: 7 }, note: null },
    });
    expect(await appendAudit(db, [first, entry('p-idem', 1)])).toBe(2);
    expect(await appendAudit(db, [{ ...first, action: 'rewritten' }, entry('p-idem', 2)])).toBe(1);
    expect(await listAudit(db, 'p-idem')).toStrictEqual([
      first,
      entry('p-idem', 1),
      entry('p-idem', 2),
    ]);
  });

  it('lists by seq whatever the insertion order, per project, in pages', async () => {
    await appendAudit(db, [entry('p-order', 2), entry('p-order', 0), entry('p-other', 1)]);
    await appendAudit(db, [entry('p-order', 1), entry('p-order', 3)]);
    const seqs = (list: AuditEntry[]) => list.map((e) => e.seq);
    expect(seqs(await listAudit(db, 'p-order'))).toEqual([0, 1, 2, 3]);
    expect(seqs(await listAudit(db, 'p-order', { afterSeq: 0, limit: 2 }))).toEqual([1, 2]);
    expect(seqs(await listAudit(db, 'p-other'))).toEqual([1]);
    expect(await listAudit(db, 'p-none')).toEqual([]);
  });

  it('appends large batches (chunked below parameter limits)', async () => {
    const batch = Array.from({ length: 1_234 }, (_, seq) => entry('p-big', seq));
    expect(await appendAudit(db, batch)).toBe(1_234);
    expect(await appendAudit(db, batch)).toBe(0);
    const page = await listAudit(db, 'p-big', { afterSeq: 1_229, limit: 1000 });
    expect(page.map((e) => e.seq)).toEqual([1_230, 1_231, 1_232, 1_233]);
  });
});
