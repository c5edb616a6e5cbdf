/** Impact analysis jobs in the app database: batches of pending projects, progress, pages. */
import type { Kysely } from 'kysely';
import { InvalidCursorError } from '../../db/cursor';
import {
  createImpactJob,
  getImpactJob,
  listImpacts,
  pendingImpacts,
  saveImpact,
} from '../../db/impact';
import type { Database } from '../../db/schema';
import { impactResult } from '../fixtures/impact-result';
import { miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('impact jobs on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => close());

  it('hands out pending projects in order, counts progress per class and pages results', async () => {
    const ids = Array.from({ length: 450 }, (_, i) => `p${i}`);
    const candidate = { template: miniTemplate, version: 2, draft: true };
    const id = await createImpactJob(db, {
      templateKey: 'mini',
      candidate,
      createdBy: 'pmo-1',
      projectIds: ids,
    });
    expect(await getImpactJob(db, id)).toMatchObject({
      templateKey: 'mini',
      candidate,
      total: 450,
      done: 0,
      summary: { unchanged: 0, differs: 0, blocked: 0 },
    });
    const batch = await pendingImpacts(db, id, 3);
    expect(batch).toEqual([
      { position: 0, projectId: 'p0' },
      { position: 1, projectId: 'p1' },
      { position: 2, projectId: 'p2' },
    ]);
    await saveImpact(db, id, 0, impactResult('p0', 'unchanged'));
    await saveImpact(db, id, 1, impactResult('p1', 'blocked'));
    await saveImpact(db, id, 2, impactResult('p2', 'blocked'));
    // Written twice (two requests raced): the same row, counted once.
    await saveImpact(db, id, 2, impactResult('p2', 'blocked'));
    expect((await pendingImpacts(db, id, 1))[0]).toEqual({ position: 3, projectId: 'p3' });
    expect(await getImpactJob(db, id)).toMatchObject({
      done: 3,
      summary: { unchanged: 1, differs: 0, blocked: 2 },
    });

    const first = await listImpacts(db, id, { limit: 2 });
    expect(first.items.map((i) => i.projectId)).toEqual(['p0', 'p1']);
    const second = await listImpacts(db, id, { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [impactResult('p2', 'blocked')] });

    const other = await createImpactJob(db, {
      templateKey: 'mini',
      candidate,
      createdBy: 'pmo-1',
      projectIds: ['x'],
    });
    await expect(listImpacts(db, other, { cursor: first.nextCursor! })).rejects.toThrow(
      InvalidCursorError,
    );
    expect(await getImpactJob(db, 'nope')).toBeUndefined();
  });
});
