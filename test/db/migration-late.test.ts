/**
 * A project's record write settles the bulk migration rows whose `migrate` Update it applied
 * (db/migration-jobs.ts `settleAppliedMigrations`), through the real record write on both
 * dialects: a row the job gave up turns `migrated` and says it was settled late, keeping why it
 * had been given up; a pending row just settles; a write replayed or repaired (`records
 * repair`) changes nothing more; keys of anything else, of another job or version, or of a
 * project in no job change nothing.
 */
import type { RecordedBatch } from '../../activities';
import { getMigrationJob, settleMigrationItem } from '../../db';
import type { KeyRecord } from '../../workflows/model/results';
import { eachDatabase } from '../support/databases';
import { givenUp, migrationRows, recordWriteStore } from '../support/record-writes';

describe.each(eachDatabase())('a record write settling bulk migrations on $name', (factory) => {
  const store = recordWriteStore(factory);
  const { newJob, keyOf, giveUp, items } = migrationRows(store);
  const batch = (...keys: KeyRecord[]): RecordedBatch => ({ audits: [], notifications: [], keys });

  it('turns a given-up row migrated, settled late, keeping why it was given up', async () => {
    const jobId = await newJob(['p-late', 'p-pending', 'p-other']);
    await giveUp(jobId, 'p-late');
    await giveUp(jobId, 'p-other');
    const before = Date.now();
    await store.activities.recordEffects(batch(keyOf(jobId, 'p-late')));
    await store.activities.recordEffects(batch(keyOf(jobId, 'p-pending')));

    const [late, pending, other] = await items(jobId);
    expect(late).toEqual({
      projectId: 'p-late',
      ...givenUp,
      status: 'migrated',
      settledLate: expect.any(String),
    });
    expect(Date.parse(late!.settledLate!)).toBeGreaterThanOrEqual(before - 1);
    expect(pending).toEqual({ projectId: 'p-pending', status: 'migrated' });
    expect(other).toMatchObject({ projectId: 'p-other', status: 'failed' });
    expect(await getMigrationJob(store.db, jobId)).toMatchObject({
      total: 3,
      counts: { pending: 0, migrated: 2, failed: 1 },
      settledLate: 1,
    });
  });

  it('changes nothing more when the write is replayed or repaired', async () => {
    const jobId = await newJob(['p-again']);
    await giveUp(jobId, 'p-again');
    await store.activities.recordEffects(batch(keyOf(jobId, 'p-again')));
    const first = await items(jobId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await store.activities.recordEffects(batch(keyOf(jobId, 'p-again')));
    await store.activities.writeBatch(batch(keyOf(jobId, 'p-again')));
    expect(await items(jobId)).toEqual(first);
    expect((await getMigrationJob(store.db, jobId))?.settledLate).toBe(1);
  });

  it('settles a given-up row from a dead letter written again by records repair', async () => {
    const jobId = await newJob(['p-repair']);
    await giveUp(jobId, 'p-repair');
    await store.activities.writeBatch(batch(keyOf(jobId, 'p-repair')));
    expect(await items(jobId)).toEqual([
      expect.objectContaining({ status: 'migrated', settledLate: expect.any(String) }),
    ]);
  });

  it('keeps a row the project settled migrated when a failed answer comes after', async () => {
    const jobId = await newJob(['p-settled']);
    await store.activities.recordEffects(batch(keyOf(jobId, 'p-settled')));
    await settleMigrationItem(store.db, jobId, 'p-settled', {
      status: 'failed',
      code: 'incompatible_version',
      reason: 'the project is already on version 2',
    });
    expect(await items(jobId)).toEqual([{ projectId: 'p-settled', status: 'migrated' }]);
    await expect(
      settleMigrationItem(store.db, jobId, 'p-nowhere', { status: 'migrated' }),
    ).rejects.toThrow('no project "p-nowhere"');
  });

  it('leaves rows alone for keys of anything else', async () => {
    const jobId = await newJob(['p-kept']);
    const otherJob = await newJob(['p-kept']);
    await giveUp(jobId, 'p-kept');
    await store.activities.recordEffects(
      batch(
        keyOf(otherJob, 'p-kept', { version: 3 }), // the other job's key with another version
        keyOf(jobId, 'p-kept', { userId: 'u-someone' }), // the job's key sent by someone else
        keyOf(jobId, 'p-kept', { version: 3 }), // the job's key with another version
        { ...keyOf(jobId, 'p-kept'), projectId: 'p-nowhere' }, // a project in no job
      ),
    );
    expect(await items(jobId)).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(await items(otherJob)).toEqual([{ projectId: 'p-kept', status: 'pending' }]);
  });
});
