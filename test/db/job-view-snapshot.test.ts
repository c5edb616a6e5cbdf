/**
 * A job's answer (its counts and a page of its rows) is read in several statements. Found on
 * PostgreSQL in CI: a project settled between them, and the view counted it `failed` while its
 * row said `migrated`. Here a second handle on the same database settles one more project after
 * each statement the view runs (a plugin on the view's handle, between the statement's result
 * and the next statement, so no timing is guessed): the view must still agree with itself, as
 * read at one moment (db/database.ts `inSnapshot`).
 */
import type { Kysely, KyselyPlugin } from 'kysely';
import {
  createDatabase,
  createImpactJob,
  createMigrationJob,
  saveImpact,
  settleMigrationItem,
  type Database,
} from '../../db';
import { impactView } from '../../server/impact/jobs';
import { migrationView } from '../../server/impact/migrations';
import type { ImpactClass } from '../../workflows/model';
import { impactResult } from '../fixtures/impact-result';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

const PROJECTS = ['p0', 'p1', 'p2', 'p3', 'p4'];

/** Runs `between` after each statement of the handle it is plugged into, before the next. */
function afterEachStatement(between: () => Promise<void>): KyselyPlugin {
  return {
    transformQuery: ({ node }) => node,
    async transformResult({ result }) {
      await between();
      return result;
    },
  };
}

/** Each call does the next of `steps`, none once they are done; counts the calls. */
function oneByOne(steps: (() => Promise<void>)[]) {
  let calls = 0;
  return {
    next: async () => {
      await steps[calls++]?.();
    },
    calls: () => calls,
  };
}

describe.each(eachDatabase())('job views read at one moment on $name', (factory) => {
  let db: Kysely<Database>;
  let url: string;
  let close: () => Promise<void>;
  /** The view's own handle: another connection (SQLite) or pool (PostgreSQL) than the writer's. */
  let reader: Kysely<Database>;
  beforeAll(async () => {
    ({ db, url, close } = await openMigrated(factory));
    reader = createDatabase(url);
  });
  afterAll(async () => {
    await reader?.destroy();
    await close?.();
  });

  it('answers a bulk migration whose projects settle while it is read', async () => {
    const jobId = await createMigrationJob(db, {
      templateKey: 'mini',
      version: 2,
      createdBy: 'pmo-1',
      projectIds: PROJECTS,
    });
    const failed = { status: 'failed' as const, code: 'refused', reason: 'no' };
    const settling = oneByOne(
      PROJECTS.map(
        (projectId, i) => () =>
          settleMigrationItem(db, jobId, projectId, i % 2 === 0 ? { status: 'migrated' } : failed),
      ),
    );
    const view = await migrationView(
      reader.withPlugin(afterEachStatement(settling.next)),
      'mini',
      jobId,
      {},
    );
    // Projects did settle between the view's statements.
    expect(settling.calls()).toBeGreaterThanOrEqual(2);
    const { job, items } = view;
    expect(items.map((item) => item.projectId)).toEqual(PROJECTS);
    const itemsAt = (status: string) => items.filter((item) => item.status === status).length;
    expect({ migrated: job.migrated, failed: job.failed, pending: job.pending }).toEqual({
      migrated: itemsAt('migrated'),
      failed: itemsAt('failed'),
      pending: itemsAt('pending'),
    });
    expect(job.migrated + job.failed + job.pending).toBe(job.total);
    expect(job.status).toBe(job.pending > 0 ? 'running' : 'done');
  });

  it('answers an impact analysis whose projects are analysed while it is read', async () => {
    const jobId = await createImpactJob(db, {
      templateKey: 'mini',
      candidate: { template: miniTemplate, version: 2, draft: true },
      createdBy: 'pmo-1',
      projectIds: PROJECTS,
    });
    const analysing = oneByOne(
      PROJECTS.map(
        (projectId, i) => () =>
          saveImpact(db, jobId, i, impactResult(projectId, i % 2 === 0 ? 'unchanged' : 'blocked')),
      ),
    );
    const view = await impactView(
      reader.withPlugin(afterEachStatement(analysing.next)),
      'mini',
      jobId,
      {},
    );
    expect(analysing.calls()).toBeGreaterThanOrEqual(2);
    const { job, summary, items } = view;
    expect(job.done).toBe(items.length);
    const itemsOf = (cls: ImpactClass) => items.filter((item) => item.class === cls).length;
    expect(summary).toEqual({
      unchanged: itemsOf('unchanged'),
      differs: itemsOf('differs'),
      blocked: itemsOf('blocked'),
    });
    expect(job.status).toBe(job.done >= job.total ? 'done' : 'running');
  });
});
