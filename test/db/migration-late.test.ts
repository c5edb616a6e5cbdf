/**
 * A project's record write settles the bulk migration rows whose `migrate` Update it applied
 * (db/migration-jobs.ts `settleAppliedMigrations`), through the real record write on both
 * dialects: a row the job gave up turns `migrated` and says it was settled late, keeping why it
 * had been given up; a pending row just settles; a write replayed or repaired (`records
 * repair`) changes nothing more; keys of anything else, of another job or version, or of a
 * project in no job change nothing.
 */
import type { Kysely } from 'kysely';
import { createActivities, type RecordedBatch } from '../../activities';
import {
  createMigrationJob,
  getMigrationJob,
  settleMigrationItem,
  giveUpMigrationItem,
  listMigrationItems,
  noteMigrationAttempt,
  type Database,
} from '../../db';
import { bulkMigrationRecord } from '../../workflows/model';
import type { KeyRecord } from '../../workflows/model/results';
import { eachDatabase, openMigrated } from '../support/databases';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined };

describe.each(eachDatabase())('a record write settling bulk migrations on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let activities: ReturnType<typeof createActivities>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    activities = createActivities({ db, log: quiet });
  });
  afterAll(() => close());

  const newJob = (projectIds: string[], createdBy = 'u-pmo', version = 2) =>
    createMigrationJob(db, { templateKey: 'tpl', version, createdBy, projectIds });
  /** The key record a project's write stores for an applied `migrate` of job `jobId`. */
  const keyOf = (jobId: string, projectId: string, userId = 'u-pmo', version = 2): KeyRecord => ({
    projectId,
    ...bulkMigrationRecord({ jobId, userId, version }, projectId),
    at: Date.now(),
    result: { status: 'active', current: ['build'], seq: 7 },
  });
  const batch = (...keys: KeyRecord[]): RecordedBatch => ({ audits: [], notifications: [], keys });
  /** Job `jobId`'s project given up after two attempts, the second one dying. */
  const giveUp = async (jobId: string, projectId: string) => {
    await noteMigrationAttempt(db, jobId, projectId, 2, 'worker died');
    await giveUpMigrationItem(db, jobId, projectId, {
      code: 'retries_exhausted',
      reason: (n) => `gave up after ${n} attempts; the last error: worker died`,
    });
  };
  const items = async (jobId: string) => (await listMigrationItems(db, jobId)).items;

  it('turns a given-up row migrated, settled late, keeping why it was given up', async () => {
    const jobId = await newJob(['p-late', 'p-pending', 'p-other']);
    await giveUp(jobId, 'p-late');
    await giveUp(jobId, 'p-other');
    const before = Date.now();
    await activities.recordEffects(batch(keyOf(jobId, 'p-late')));
    await activities.recordEffects(batch(keyOf(jobId, 'p-pending')));

    const [late, pending, other] = await items(jobId);
    expect(late).toEqual({
      projectId: 'p-late',
      status: 'migrated',
      code: 'retries_exhausted',
      reason: 'gave up after 2 attempts; the last error: worker died',
      attempts: 2,
      lastError: 'worker died',
      settledLate: expect.any(String),
    });
    expect(Date.parse(late!.settledLate!)).toBeGreaterThanOrEqual(before - 1);
    expect(pending).toEqual({ projectId: 'p-pending', status: 'migrated' });
    expect(other).toMatchObject({ projectId: 'p-other', status: 'failed' });
    expect(await getMigrationJob(db, jobId)).toMatchObject({
      total: 3,
      counts: { pending: 0, migrated: 2, failed: 1 },
      settledLate: 1,
    });
  });

  it('changes nothing more when the write is replayed or repaired', async () => {
    const jobId = await newJob(['p-again']);
    await giveUp(jobId, 'p-again');
    await activities.recordEffects(batch(keyOf(jobId, 'p-again')));
    const first = await items(jobId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await activities.recordEffects(batch(keyOf(jobId, 'p-again')));
    await activities.writeBatch(batch(keyOf(jobId, 'p-again')));
    expect(await items(jobId)).toEqual(first);
    expect((await getMigrationJob(db, jobId))?.settledLate).toBe(1);
  });

  it('settles a given-up row from a dead letter written again by records repair', async () => {
    const jobId = await newJob(['p-repair']);
    await giveUp(jobId, 'p-repair');
    await activities.writeBatch(batch(keyOf(jobId, 'p-repair')));
    expect(await items(jobId)).toEqual([
      expect.objectContaining({ status: 'migrated', settledLate: expect.any(String) }),
    ]);
  });

  it('keeps a row the project settled migrated when a failed answer comes after', async () => {
    const jobId = await newJob(['p-settled']);
    await activities.recordEffects(batch(keyOf(jobId, 'p-settled')));
    await settleMigrationItem(db, jobId, 'p-settled', {
      status: 'failed',
      code: 'incompatible_version',
      reason: 'the project is already on version 2',
    });
    expect(await items(jobId)).toEqual([{ projectId: 'p-settled', status: 'migrated' }]);
    await expect(
      settleMigrationItem(db, jobId, 'p-nowhere', { status: 'migrated' }),
    ).rejects.toThrow('no project "p-nowhere"');
  });

  it('leaves rows alone for keys of anything else', async () => {
    const jobId = await newJob(['p-kept']);
    const otherJob = await newJob(['p-kept']);
    await giveUp(jobId, 'p-kept');
    await activities.recordEffects(
      batch(
        keyOf(otherJob, 'p-kept', 'u-pmo', 3), // the other job's key with another version
        keyOf(jobId, 'p-kept', 'u-someone'), // the job's key sent by someone else
        keyOf(jobId, 'p-kept', 'u-pmo', 3), // the job's key with another version
        { ...keyOf(jobId, 'p-kept'), projectId: 'p-nowhere' }, // a project in no job
      ),
    );
    expect(await items(jobId)).toEqual([expect.objectContaining({ status: 'failed' })]);
    expect(await items(otherJob)).toEqual([{ projectId: 'p-kept', status: 'pending' }]);
  });
});
