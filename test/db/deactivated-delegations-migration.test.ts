/**
 * 0036_deactivated_delegations on both dialects: the delegations a user deactivated before
 * deactivation revoked them (db/user-admin.ts) are revoked by the upgrade, running or waiting
 * for their start; ended ones and those of active users are left as they were.
 */
import type { Kysely } from 'kysely';
import { isDelegateFor } from '../../db/delegations';
import { migrateTo, migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { eachDatabase, openMigrated } from '../support/databases';

const DAY = 86_400_000;

describe.each(eachDatabase())('0036_deactivated_delegations on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close());

  it('revokes what a deactivated user gave and has not ended, nothing else', async () => {
    await migrateTo(db, '0035_name_folds');
    const now = Date.now();
    const user = (id: string, deactivatedAt: number | null) => ({
      id,
      name: id,
      name_folded: id,
      email: `${id}@example.com`,
      pmo: 0 as const,
      admin: 0 as const,
      created_at: now - 10 * DAY,
      deactivated_at: deactivatedAt,
    });
    await db
      .insertInto('users')
      .values([user('dee', now - 2 * DAY), user('amy', null), user('zoe', null), user('yan', null)])
      .execute();
    const delegation = (
      id: string,
      delegator: string,
      delegate: string,
      from: number,
      to: number,
    ) => ({
      id,
      delegator_id: delegator,
      delegate_id: delegate,
      project_id: null,
      starts_at: from,
      ends_at: to,
      created_at: now - 5 * DAY,
      revoked_at: null,
    });
    await db
      .insertInto('delegations')
      .values([
        delegation('running', 'dee', 'zoe', now - 3 * DAY, now + 3 * DAY),
        delegation('later', 'dee', 'yan', now + DAY, now + 3 * DAY),
        delegation('ended', 'dee', 'yan', now - 4 * DAY, now - 3 * DAY),
        delegation('active', 'amy', 'zoe', now - 3 * DAY, now + 3 * DAY),
      ])
      .execute();
    expect(
      await isDelegateFor(db, { delegateId: 'zoe', delegatorId: 'dee', projectId: 'p', at: now }),
    ).toBe(true);

    await migrateToLatest(db);

    const rows = await db
      .selectFrom('delegations')
      .select(['id', 'revoked_at'])
      .orderBy('id')
      .execute();
    const revoked = Object.fromEntries(rows.map((r) => [r.id, r.revoked_at !== null]));
    expect(revoked).toEqual({ active: false, ended: false, later: true, running: true });
    const after = Date.now() + 1;
    expect(
      await isDelegateFor(db, { delegateId: 'zoe', delegatorId: 'dee', projectId: 'p', at: after }),
    ).toBe(false);
    expect(
      await isDelegateFor(db, {
        delegateId: 'yan',
        delegatorId: 'dee',
        projectId: 'p',
        at: now + 2 * DAY,
      }),
    ).toBe(false);
    expect(
      await isDelegateFor(db, { delegateId: 'zoe', delegatorId: 'amy', projectId: 'p', at: after }),
    ).toBe(true);
  });
});
