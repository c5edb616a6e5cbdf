/**
 * A bulk migration's row settled by a project's record write follows that write's fence
 * (db/migration-settle.ts), through the real record write on both dialects. Attempt A applies
 * the job's `migrate` and stores its key, settling the row; A's workflow task then fails, and
 * attempt B writes at the same position without the key: the row turns back (to `failed` with
 * why it was given up, or to `pending` for the job's own answer), unless B applies the Update
 * again. A stale write, a replay or a repair changes nothing more; a write a newer attempt
 * wrote on from past is never turned back. Until then the row is provisional, and the job runs
 * while such a row awaits its answer; a failed answer it gives meanwhile is kept as answered
 * late (not settled late: the write came first).
 */
import type { RecordedBatch } from '../../activities';
import { findKey, getMigrationJob, noteMigrationAttempt, settleMigrationItem } from '../../db';
import type { KeyRecord } from '../../workflows/model/results';
import { eachDatabase } from '../support/databases';
import {
  givenUp,
  MIGRATE_SEQ as SEQ,
  migrationRows,
  recordWriteStore,
} from '../support/record-writes';

/** Attempt tags in order (workflows/outbox.ts makes them fixed-width digits). */
const [A, B, C] = [1, 2, 3].map((n) => String(n).padStart(40, '0')) as [string, string, string];

describe.each(eachDatabase())('bulk migration rows fenced by attempt on $name', (factory) => {
  const store = recordWriteStore(factory);
  const rows = migrationRows(store);
  const { giveUp, giveUpOnly, items, keyOf } = rows;
  /** A job over one project, its id. */
  const newJob = (projectId: string) => rows.newJob([projectId]);
  /** Attempt `attempt`'s write from `seq`: one audit entry, and `keys` if it applied any. */
  const write = (
    projectId: string,
    attempt: string,
    action: string,
    keys: KeyRecord[] = [],
    seq = SEQ,
  ): RecordedBatch => ({
    attempt,
    from: { seq, note: 0 },
    audits: [{ projectId, seq, at: 2_000 + seq, actor: 'u-pmo', action }],
    notifications: [],
    ...(keys.length > 0 && { keys }),
  });
  const job = async (jobId: string) => {
    const found = await getMigrationJob(store.db, jobId);
    return (
      found && {
        status: found.status,
        counts: found.counts,
        settledLate: found.settledLate,
        provisional: found.provisional,
      }
    );
  };
  /** Done, `failed` of one project failed, nothing else left to change. */
  const doneWith = (failed: 0 | 1) => ({
    status: 'done',
    counts: { pending: 0, migrated: 1 - failed, failed },
    settledLate: 0,
    provisional: 0,
  });

  it('turns a late settlement back to failed when a newer attempt supersedes it', async () => {
    const p = `p-late-${factory.name}`;
    const jobId = await newJob(p);
    await giveUp(jobId, p);
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    expect(await items(jobId)).toEqual([
      {
        projectId: p,
        ...givenUp,
        status: 'migrated',
        settledLate: expect.any(String),
        provisional: true,
      },
    ]);
    // The job has answered: it is done, the row may still change.
    expect(await job(jobId)).toEqual({
      status: 'done',
      counts: { pending: 0, migrated: 1, failed: 0 },
      settledLate: 1,
      provisional: 1,
    });

    await store.activities.recordEffects(write(p, B, 'other.action'));
    expect(await items(jobId)).toEqual([{ projectId: p, ...givenUp }]);
    expect(await job(jobId)).toEqual(doneWith(1));
    expect(await findKey(store.db, p, keyOf(jobId, p).scope, 0)).toBeUndefined();

    // B replayed, and A finishing late or repaired from a dead letter (stale): nothing changes.
    await store.activities.recordEffects(write(p, B, 'other.action'));
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    await store.activities.writeBatch(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    expect(await items(jobId)).toEqual([{ projectId: p, ...givenUp }]);
  });

  it('turns a normal settlement back to pending, for the job to answer', async () => {
    const p = `p-normal-${factory.name}`;
    const jobId = await newJob(p);
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    expect(await items(jobId)).toEqual([{ projectId: p, status: 'migrated', provisional: true }]);
    // Not done: the job's activity has not answered, and the write may still be undone.
    expect(await job(jobId)).toEqual({
      status: 'running',
      counts: { pending: 0, migrated: 1, failed: 0 },
      settledLate: 0,
      provisional: 1,
    });

    await store.activities.recordEffects(write(p, B, 'other.action'));
    expect(await items(jobId)).toEqual([{ projectId: p, status: 'pending' }]);
    const finished = await store.db
      .selectFrom('migration_items')
      .select('finished_at')
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(finished.finished_at).toBeNull();
    // The job's own answer now stands (the project closed meanwhile, say).
    await settleMigrationItem(store.db, jobId, p, {
      status: 'failed',
      code: 'project_closed',
      reason: 'the project is completed',
    });
    expect(await items(jobId)).toEqual([
      {
        projectId: p,
        status: 'failed',
        code: 'project_closed',
        reason: 'the project is completed',
      },
    ]);
    expect(await job(jobId)).toEqual(doneWith(1));
  });

  it('settles again when the newer attempt applies the Update again', async () => {
    for (const late of [false, true]) {
      const p = `p-again-${String(late)}-${factory.name}`;
      const jobId = await newJob(p);
      if (late) await giveUp(jobId, p);
      await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
      const settled = (await items(jobId)).map((item) => ({
        ...item,
        ...(late && { settledLate: expect.any(String) as unknown }),
      }));
      expect(settled).toEqual([expect.objectContaining({ provisional: true })]);
      await store.activities.recordEffects(write(p, B, 'project.migrated', [keyOf(jobId, p)]));
      expect(await items(jobId)).toEqual(settled);
      expect(await findKey(store.db, p, keyOf(jobId, p).scope, 0)).toMatchObject({
        settled: false,
      });
      // B settled it now: C superseding B's write turns it back.
      await store.activities.recordEffects(write(p, C, 'other.action'));
      expect(await items(jobId)).toEqual([
        late ? { projectId: p, ...givenUp } : { projectId: p, status: 'pending' },
      ]);
    }
  });

  it('keeps a settlement a newer attempt wrote on from, and one of a write without attempt', async () => {
    const p = `p-kept-${factory.name}`;
    const jobId = await newJob(p);
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    // B begins after the key's seq: A's task reached the history.
    await store.activities.recordEffects(write(p, B, 'next.action', [], SEQ + 1));
    await store.activities.recordEffects(write(p, C, 'later.action', [], SEQ + 1));
    expect(await items(jobId)).toEqual([{ projectId: p, status: 'migrated' }]);
    // Sure, though the job's activity has not answered yet: its answer cannot change it.
    expect(await job(jobId)).toEqual(doneWith(0));

    const q = `p-repaired-${factory.name}`;
    const repaired = await newJob(q);
    await store.activities.writeBatch({
      audits: [],
      notifications: [],
      keys: [keyOf(repaired, q)],
    });
    await store.activities.recordEffects(write(q, B, 'other.action'));
    expect(await items(repaired)).toEqual([{ projectId: q, status: 'migrated' }]);
  });

  it("keeps the job's answer given while the settling write may be superseded", async () => {
    const p = `p-answered-${factory.name}`;
    const jobId = await newJob(p);
    await noteMigrationAttempt(store.db, jobId, p, 2, 'worker died');
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    // The attempt that sent the Update died with A's task: the job gives the project up.
    await giveUpOnly(jobId, p);
    // Answered late, not settled late: the project's write came first.
    expect(await items(jobId)).toEqual([
      {
        projectId: p,
        ...givenUp,
        status: 'migrated',
        answeredLate: expect.any(String),
        provisional: true,
      },
    ]);
    expect(await job(jobId)).toEqual({
      status: 'done',
      counts: { pending: 0, migrated: 1, failed: 0 },
      settledLate: 0,
      provisional: 1,
    });
    await store.activities.recordEffects(write(p, B, 'other.action'));
    expect(await items(jobId)).toEqual([{ projectId: p, ...givenUp }]);
    expect(await job(jobId)).toEqual(doneWith(1));
    const row = await store.db
      .selectFrom('migration_items')
      .select(['finished_at', 'settled_late_at', 'answered_late_at'])
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    // Finished when the job gave it up.
    expect(row).toEqual({
      finished_at: expect.anything(),
      settled_late_at: null,
      answered_late_at: null,
    });
  });

  it('keeps a refusal answered late, and the row migrated once the write is sure', async () => {
    const p = `p-refused-${factory.name}`;
    const jobId = await newJob(p);
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    const refusal = { code: 'project_closed', reason: 'the project is completed' };
    await settleMigrationItem(store.db, jobId, p, { status: 'failed', ...refusal });
    expect(await items(jobId)).toEqual([
      {
        projectId: p,
        status: 'migrated',
        ...refusal,
        answeredLate: expect.any(String),
        provisional: true,
      },
    ]);
    // B writes on from past the key: A's task reached the history, the project moved.
    await store.activities.recordEffects(write(p, B, 'next.action', [], SEQ + 1));
    expect(await items(jobId)).toEqual([
      { projectId: p, status: 'migrated', ...refusal, answeredLate: expect.any(String) },
    ]);
    expect(await job(jobId)).toEqual(doneWith(0));
  });

  it("leaves a row the job's own answer settled alone, and a sure one before a failed answer", async () => {
    const p = `p-own-${factory.name}`;
    const jobId = await newJob(p);
    await store.activities.recordEffects(write(p, A, 'project.migrated', [keyOf(jobId, p)]));
    await settleMigrationItem(store.db, jobId, p, { status: 'migrated' });
    await store.activities.recordEffects(write(p, B, 'other.action'));
    expect(await items(jobId)).toEqual([{ projectId: p, status: 'migrated' }]);

    const q = `p-sure-${factory.name}`;
    const sure = await newJob(q);
    await store.activities.recordEffects(write(q, A, 'project.migrated', [keyOf(sure, q)]));
    await store.activities.recordEffects(write(q, B, 'next.action', [], SEQ + 1));
    await settleMigrationItem(store.db, sure, q, {
      status: 'failed',
      code: 'incompatible_version',
      reason: 'the project is already on version 2',
    });
    expect(await items(sure)).toEqual([{ projectId: q, status: 'migrated' }]);
  });
});
