/**
 * The API (right after starting a project) and the worker (its first effects) write a new
 * project's snapshot at the same moment. Found by the chaos run (npm run proof): both inserted,
 * one failed on the primary key and the start answered 500. On both dialects, concurrent
 * writers now all succeed and the newest snapshot wins. Which snapshot replaces which: an older
 * sequence never, unless forced (a refresh from the live workflow); a newer attempt's always.
 */
import { sql, type Kysely } from 'kysely';
import { getProjectState, upsertProjectSnapshot, type Database } from '../../db';
import { startProject } from '../../workflows/lifecycle';
import { opsIntegratedDelivery } from '../../workflows/model';
import { eachDatabase, openMigrated } from '../support/databases';
import { builtinParticipants } from '../workflows/drive';

describe.each(eachDatabase())('$name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close?.());

  it('lets concurrent writers of a new project all succeed; the newest snapshot stays', async () => {
    const { state } = startProject(
      {
        projectId: 'race-1',
        name: 'Race',
        template: opsIntegratedDelivery,
        version: 1,
        participants: builtinParticipants,
        startedBy: 'pmo',
      },
      Date.now(),
    ).machine;
    const snapshots = Array.from({ length: 8 }, (_, i) => ({ ...state, seq: state.seq + i }));
    // Open the connections first, so the writers really start together.
    await Promise.all(snapshots.map(() => sql`select 1`.execute(db)));
    await Promise.all(snapshots.map((s) => upsertProjectSnapshot(db, s)));
    expect((await getProjectState(db, 'race-1'))?.seq).toBe(state.seq + 7);
    const participants = await db
      .selectFrom('project_participants')
      .select('user_id')
      .where('project_id', '=', 'race-1')
      .execute();
    expect(participants).toHaveLength(Object.values(builtinParticipants).flat().length);
  });

  it('keeps the newest sequence unless forced; a newer attempt replaces any', async () => {
    const { state } = startProject(
      {
        projectId: 'order-1',
        name: 'Order',
        template: opsIntegratedDelivery,
        version: 1,
        participants: builtinParticipants,
        startedBy: 'pmo',
      },
      Date.now(),
    ).machine;
    const at = (seq: number) => ({ ...state, seq });
    const stored = async () => (await getProjectState(db, 'order-1'))?.seq;
    expect(await upsertProjectSnapshot(db, at(5))).toBe(true);
    expect(await upsertProjectSnapshot(db, at(4))).toBe(false);
    expect(await stored()).toBe(5);
    expect(await upsertProjectSnapshot(db, at(3), { force: true })).toBe(true);
    expect(await stored()).toBe(3);
    expect(await upsertProjectSnapshot(db, at(2), { attempt: '2' })).toBe(true);
    expect(await upsertProjectSnapshot(db, at(1), { attempt: '1' })).toBe(false);
    expect(await upsertProjectSnapshot(db, at(1), { attempt: '2' })).toBe(false);
    expect(await stored()).toBe(2);
  });
});
