/**
 * Tests of the record write on a real database (both dialects): a migrated database with the
 * real activities over it, and the bulk migration rows a project's write settles (a job, the
 * key its `migrate` Update stores, the job giving a project up).
 */
import type { Kysely } from 'kysely';
import { createActivities } from '../../activities';
import {
  createMigrationJob,
  giveUpMigrationItem,
  listMigrationItems,
  noteMigrationAttempt,
  type Database,
} from '../../db';
import { bulkMigrationRecord } from '../../workflows/model';
import type { KeyRecord } from '../../workflows/model/results';
import { openMigrated, type DatabaseFactory } from './databases';

/** For activities under test: what they log on the way (retries, purges) is not the subject. */
export const quietLog = { info: () => undefined, warn: () => undefined, debug: () => undefined };

export interface RecordWriteStore {
  readonly db: Kysely<Database>;
  /** The real activities over `db`, one set for the file (so one key purge clock). */
  readonly activities: ReturnType<typeof createActivities>;
}

/**
 * Registers the hooks in the calling `describe`: a migrated `factory` database opened before
 * its tests and dropped after them, with the activities over it. Read the fields in tests.
 */
export function recordWriteStore(factory: DatabaseFactory): RecordWriteStore {
  let opened: { db: Kysely<Database>; close: () => Promise<void> } | undefined;
  let activities: RecordWriteStore['activities'] | undefined;
  const live = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the record write store is used outside its tests');
    return value;
  };
  beforeAll(async () => {
    opened = await openMigrated(factory);
    activities = createActivities({ db: opened.db, log: quietLog });
  });
  afterAll(() => opened?.close());
  return {
    get db() {
      return live(opened).db;
    },
    get activities() {
      return live(activities);
    },
  };
}

/** Where the key of an applied `migrate` is audited (its result's `seq`). */
export const MIGRATE_SEQ = 7;

/** Who sent a job's `migrate` and the version it names, unless a test says otherwise. */
interface JobOwner {
  userId?: string;
  version?: number;
}

/** A job project given up after two attempts, the second one dying, as a row lists it. */
export const givenUp = {
  status: 'failed',
  code: 'retries_exhausted',
  reason: 'gave up after 2 attempts; the last error: worker died',
  attempts: 2,
  lastError: 'worker died',
} as const;

/** Bulk migration jobs of template `tpl` and their rows on the store's database. */
export function migrationRows(store: RecordWriteStore) {
  /** Job `jobId`'s project given up (see {@link givenUp}), its attempts already noted. */
  const giveUpOnly = (jobId: string, projectId: string) =>
    giveUpMigrationItem(store.db, jobId, projectId, {
      code: 'retries_exhausted',
      reason: (n) => `gave up after ${n} attempts; the last error: worker died`,
    });
  return {
    /** A job of u-pmo's over `projectIds` to version 2, its id. */
    newJob: (projectIds: string[]) =>
      createMigrationJob(store.db, {
        templateKey: 'tpl',
        version: 2,
        createdBy: 'u-pmo',
        projectIds,
      }),
    /** The key record a project's write stores for an applied `migrate` of job `jobId`. */
    keyOf: (
      jobId: string,
      projectId: string,
      { userId = 'u-pmo', version = 2 }: JobOwner = {},
    ): KeyRecord => ({
      projectId,
      ...bulkMigrationRecord({ jobId, userId, version }, projectId),
      at: Date.now(),
      result: { status: 'active', current: ['build'], seq: MIGRATE_SEQ },
    }),
    giveUpOnly,
    /** Job `jobId`'s project given up after two attempts, the second one dying. */
    giveUp: async (jobId: string, projectId: string) => {
      await noteMigrationAttempt(store.db, jobId, projectId, 2, 'worker died');
      await giveUpOnly(jobId, projectId);
    },
    /** The job's rows as the API lists them. */
    items: async (jobId: string) => (await listMigrationItems(store.db, jobId)).items,
  };
}
