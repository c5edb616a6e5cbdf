import type { Kysely } from 'kysely';
import { createActivities } from '../../activities';
import { listAudit } from '../../db/audit';
import { listInbox } from '../../db/inbox';
import type { Database } from '../../db/schema';
import type { AuditEntry } from '../../workflows/model/state';
import { eachDatabase, openMigrated } from '../support/databases';
import { notification, seedUsers } from './fixtures';

describe.each(eachDatabase())('inbox and audit activities on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const warnings: { message: string; meta?: Record<string, unknown> }[] = [];
  const log = {
    info: () => undefined,
    warn: (message: string, meta?: Record<string, unknown>) => warnings.push({ message, meta }),
  };
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    await seedUsers(db);
  });
  afterAll(async () => {
    await close();
  });

  it('puts one inbox row per recipient, once, and warns about non-users', async () => {
    const { deliverInbox } = createActivities({ db, log });
    const n = notification({ recipients: ['u-ann', 'u-ben', 'u-ghost'] });
    await deliverInbox(n);
    await deliverInbox(n);
    for (const userId of ['u-ann', 'u-ben']) {
      const { items } = await listInbox(db, userId);
      expect(items.filter((item) => item.key === n.key)).toEqual([
        expect.objectContaining({ userId, subject: n.subject, kind: n.kind, createdAt: n.at }),
      ]);
    }
    expect(warnings).toContainEqual({
      message: 'inbox: recipients that are not users were skipped',
      meta: { projectId: n.projectId, key: n.key, unknown: ['u-ghost'] },
    });
  });

  it('appends audit entries idempotently and lists them in seq order', async () => {
    const { recordAudit } = createActivities({ db, log });
    const entry = (seq: number, action: string): AuditEntry => ({
      projectId: 'p-audit',
      seq,
      at: 1_000 + seq,
      actor: seq === 0 ? 'u-ann' : 'system',
      action,
      ...(seq === 1 ? { nodeId: 'inception', reason: 'quorum reached', detail: { go: 2 } } : {}),
    });
    await recordAudit([entry(1, 'gate-passed'), entry(0, 'project-started')]);
    // A retry of the first batch together with the next one.
    await recordAudit([entry(1, 'gate-passed'), entry(0, 'project-started'), entry(2, 'entered')]);
    await recordAudit([]);
    expect(await listAudit(db, 'p-audit')).toStrictEqual([
      entry(0, 'project-started'),
      entry(1, 'gate-passed'),
      entry(2, 'entered'),
    ]);
  });

  it('refuses malformed audit entries for good', async () => {
    const { recordAudit } = createActivities({ db, log });
    const bad = [{ projectId: 'p-audit', seq: 1.5, at: 0, actor: 'x', action: 'y' }];
    await expect(recordAudit(bad)).rejects.toMatchObject({
      nonRetryable: true,
      type: 'InvalidActivityInput',
    });
  });
});
