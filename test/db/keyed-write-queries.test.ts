/**
 * The statements a keyed record write runs (db/keys.ts, db/migration-settle.ts), and the
 * turn-back of bulk migration rows a superseding write runs (db/fences.ts), are reused queries
 * (db/reused-query.ts): on both databases, what each one hands to the database is what
 * Kysely builds afresh for the same values (the queries below are built as the repositories
 * built them), for every variant and row count, with a second set of values after the first;
 * and what they store, keep, delete and find is what those queries would.
 */
import type { Kysely } from 'kysely';
import {
  createMigrationJob,
  findKey,
  insertKeys,
  purgeKeys,
  settleAppliedMigrations,
  unsettleSuperseded,
  type Database,
} from '../../db';
import type { RecordAttempt } from '../../db/fences';
import type { KeyRecord } from '../../workflows/model/results';
import { bulkMigrationRecord } from '../../workflows/model';
import { eachDatabase, openMigrated } from '../support/databases';
import { expectSameQuery, queriesRun } from '../support/compiled-queries';

const builtInsert = (db: Kysely<Database>, keys: readonly KeyRecord[], at?: RecordAttempt) =>
  db
    .insertInto('idempotency_keys')
    .values(
      keys.map((k) => ({
        project_id: k.projectId,
        scope: k.scope,
        fingerprint: k.fp,
        result: JSON.stringify(k.result),
        created_at: k.at,
        attempt: at?.attempt ?? null,
        seq: at ? (k.result.seq ?? at.from.seq) : null,
      })),
    )
    .onConflict((oc) => {
      const columns = oc.columns(['project_id', 'scope']);
      if (!at) return columns.doNothing();
      return columns
        .doUpdateSet((eb) => ({
          fingerprint: eb.ref('excluded.fingerprint'),
          result: eb.ref('excluded.result'),
          created_at: eb.ref('excluded.created_at'),
          attempt: eb.ref('excluded.attempt'),
          seq: eb.ref('excluded.seq'),
        }))
        .where((eb) =>
          eb.or([
            eb('idempotency_keys.attempt', 'is', null),
            eb('idempotency_keys.attempt', '<', at.attempt),
          ]),
        );
    });

const builtPurge = (db: Kysely<Database>, before: number) =>
  db.deleteFrom('idempotency_keys').where('created_at', '<', before);

const builtSettleSelect = (db: Kysely<Database>, projectId: string) =>
  db
    .selectFrom('migration_items as i')
    .innerJoin('migration_jobs as j', 'j.id', 'i.job_id')
    .select(['i.job_id', 'i.status', 'j.created_by', 'j.version'])
    .where('i.project_id', '=', projectId)
    .where('i.status', '!=', 'migrated');

const builtUnsettle = (
  db: Kysely<Database>,
  v: { projectId: string; attempt: string; seq: number },
) =>
  db
    .updateTable('migration_items')
    .set((eb) => {
      const settledLate = eb('settled_late_at', 'is not', null);
      const answeredLate = eb('answered_late_at', 'is not', null);
      return {
        status: eb
          .case()
          .when(eb.or([settledLate, answeredLate]))
          .then('failed')
          .else('pending')
          .end(),
        finished_at: eb
          .case()
          .when(settledLate)
          .then(eb.ref('finished_at'))
          .when(answeredLate)
          .then(eb.ref('answered_late_at'))
          .else(null)
          .end(),
        settled_late_at: null,
        answered_late_at: null,
        settled_attempt: null,
        settled_seq: null,
      };
    })
    .where('project_id', '=', v.projectId)
    .where('status', '=', 'migrated')
    .where('settled_attempt', '<', v.attempt)
    .where('settled_seq', '>=', v.seq);

const attemptOf = (n: number, seq = 3): RecordAttempt => ({
  attempt: String(n).padStart(40, '0'),
  from: { seq, note: 0 },
});

describe.each(eachDatabase())('keyed record write queries on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close());
  afterEach(() => jest.restoreAllMocks());

  /** `n` keys of `projectId`, the second one without a seq (the attempt's own then). */
  const keys = (projectId: string, n: number, tag: string, at = 5_000): KeyRecord[] =>
    Array.from({ length: n }, (_, i) => ({
      projectId,
      scope: `u-ann:${tag}-${i}`,
      fp: `fp-${tag}-${i}`,
      at: at + i,
      result:
        i === 1
          ? { status: 'active', current: ['build'] }
          : { status: 'active', current: ['inception', 'build'], nodeId: 'build', seq: 10 + i },
    }));

  it.each([1, 2, 3])(
    'a %i-key insert, with and without an attempt, is the built one',
    async (n) => {
      for (const at of [undefined, attemptOf(1), attemptOf(2, 9)]) {
        // Twice per shape: the first run compiles it, the second binds other values into it.
        for (const project of [`p-ins-${n}-a`, `p-ins-${n}-b`]) {
          const values = keys(project, n, at?.attempt.slice(-1) ?? 'none');
          const [query, ...more] = await queriesRun(db, () => insertKeys(db, values, at));
          expectSameQuery(query, builtInsert(db, values, at).compile());
          expect(more).toEqual([]);
        }
      }
    },
  );

  it('keeps a key first stored without an attempt; a newer attempt replaces an older one', async () => {
    const [first] = keys('p-keep', 1, 'k');
    const again = { ...first!, fp: 'fp-other', at: 6_000 };
    await insertKeys(db, [first!]);
    await insertKeys(db, [again]);
    expect(await findKey(db, 'p-keep', first!.scope, 0)).toMatchObject({ fp: first!.fp });
    // An attempt replaces a key stored without one, a newer attempt an older one, never back.
    await insertKeys(db, [again], attemptOf(2));
    expect(await findKey(db, 'p-keep', first!.scope, 0)).toMatchObject({ fp: 'fp-other' });
    await insertKeys(db, [{ ...first!, fp: 'fp-older' }], attemptOf(1));
    expect(await findKey(db, 'p-keep', first!.scope, 0)).toMatchObject({ fp: 'fp-other' });
    await insertKeys(db, [{ ...first!, fp: 'fp-newer', at: 7_000 }], attemptOf(3));
    expect(await findKey(db, 'p-keep', first!.scope, 0)).toMatchObject({
      fp: 'fp-newer',
      at: 7_000,
    });
  });

  it('purges what the built delete would, and says how many', async () => {
    for (const before of [1_000, 2_000]) {
      const [query] = await queriesRun(db, () => purgeKeys(db, before));
      expectSameQuery(query, builtPurge(db, before).compile());
    }
    await purgeKeys(db, 300_000); // the keys the tests before stored
    await insertKeys(db, keys('p-purge', 3, 'old', 300_000));
    await insertKeys(db, keys('p-purge', 2, 'new', 400_000));
    expect(await purgeKeys(db, 400_000)).toBe(3);
    expect(await purgeKeys(db, 400_000)).toBe(0);
    expect(await findKey(db, 'p-purge', 'u-ann:new-0', 0)).toBeDefined();
  });

  it("a project's settle select is the built one and finds what it would", async () => {
    const jobId = await createMigrationJob(db, {
      templateKey: 'tpl',
      version: 2,
      createdBy: 'u-pmo',
      projectIds: ['p-settle', 'p-other'],
    });
    for (const projectId of ['p-settle', 'p-none']) {
      const [query] = await queriesRun(db, () =>
        settleAppliedMigrations(db, keys(projectId, 1, 'unrelated')),
      );
      expectSameQuery(query, builtSettleSelect(db, projectId).compile());
      expect((await db.executeQuery(query!)).rows).toEqual(
        await builtSettleSelect(db, projectId).execute(),
      );
    }
    // The job's own key settles its row: the rare update follows the reused select.
    const key = {
      ...keys('p-settle', 1, 'job')[0]!,
      ...bulkMigrationRecord({ jobId, userId: 'u-pmo', version: 2 }, 'p-settle'),
    };
    await settleAppliedMigrations(db, [key]);
    expect(await builtSettleSelect(db, 'p-settle').execute()).toEqual([]);
    expect(await builtSettleSelect(db, 'p-other').execute()).toEqual([
      { job_id: jobId, status: 'pending', created_by: 'u-pmo', version: expect.anything() },
    ]);
  });

  it("a superseding write's turn-back of settled rows is the built one", async () => {
    const jobId = await createMigrationJob(db, {
      templateKey: 'tpl',
      version: 2,
      createdBy: 'u-pmo',
      projectIds: ['p-back'],
    });
    const key = {
      ...keys('p-back', 1, 'job')[0]!,
      ...bulkMigrationRecord({ jobId, userId: 'u-pmo', version: 2 }, 'p-back'),
    };
    await settleAppliedMigrations(db, [key], attemptOf(1, 3));
    for (const values of [
      { projectId: 'p-none', attempt: attemptOf(2).attempt, seq: 3 },
      { projectId: 'p-back', attempt: attemptOf(2).attempt, seq: 10 },
    ]) {
      const [query, ...more] = await queriesRun(db, () => unsettleSuperseded(db, values));
      expectSameQuery(query, builtUnsettle(db, values).compile());
      expect(more).toEqual([]);
    }
    // The key's own seq (10) was at the position superseded: the row is pending again.
    const row = await db
      .selectFrom('migration_items')
      .select(['status', 'finished_at', 'settled_attempt', 'settled_seq'])
      .where('job_id', '=', jobId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'pending',
      finished_at: null,
      settled_attempt: null,
      settled_seq: null,
    });
  });
});
