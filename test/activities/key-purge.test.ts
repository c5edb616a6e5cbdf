/**
 * Record writes that store keys purge the keys out of the window (db/keys.ts `keyPurge`), of
 * every project, not only the writer's (a closed project writes no more), and at most once
 * per interval per worker: the writes in between purge nothing. Keys in the window stay.
 */
import type { RecordedBatch } from '../../activities';
import { findKey, insertKeys, KEY_PURGE_INTERVAL_MS } from '../../db';
import { IDEMPOTENCY_WINDOW } from '../../workflows/model';
import type { KeyRecord } from '../../workflows/model/results';
import { eachDatabase } from '../support/databases';
import { recordWriteStore } from '../support/record-writes';

describe.each(eachDatabase())('keyed record writes purging expired keys on $name', (factory) => {
  const store = recordWriteStore(factory);
  afterEach(() => jest.restoreAllMocks());

  const key = (projectId: string, scope: string, at: number): KeyRecord => ({
    projectId,
    scope,
    fp: `fp-${scope}`,
    at,
    result: { status: 'active', current: ['inception'], seq: 1 },
  });
  const write = (scope: string) =>
    store.activities.recordEffects({
      audits: [],
      notifications: [],
      keys: [key('p-writing', scope, Date.now())],
    } satisfies RecordedBatch);
  const stored = async (projectId: string, scope: string) =>
    (await findKey(store.db, projectId, scope, 0)) !== undefined;

  it("purges every project's expired keys, once per interval", async () => {
    // The file's activities wrote nothing before: this write is their first, so it purges.
    const now = Date.now();
    const expired = now - IDEMPOTENCY_WINDOW.ms - 1_000;
    await insertKeys(store.db, [
      key('p-closed', 'old-1', expired),
      key('p-closed', 'live', now - IDEMPOTENCY_WINDOW.ms + 60_000),
    ]);

    await write('w-1');
    expect(await stored('p-closed', 'old-1')).toBe(false);
    expect(await stored('p-closed', 'live')).toBe(true);

    // Within the interval the next writes purge nothing.
    await insertKeys(store.db, [key('p-closed', 'old-2', expired)]);
    await write('w-2');
    expect(await stored('p-closed', 'old-2')).toBe(true);

    // The first write after it purges again.
    const later = Date.now() + KEY_PURGE_INTERVAL_MS;
    jest.spyOn(Date, 'now').mockReturnValue(later);
    await write('w-3');
    expect(await stored('p-closed', 'old-2')).toBe(false);
    expect(await stored('p-closed', 'live')).toBe(true);
    expect(await stored('p-writing', 'w-3')).toBe(true);
  });
});
