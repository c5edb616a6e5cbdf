import type { Kysely } from 'kysely';
import { recordDelivery, wasDelivered } from '../../db/deliveries';
import type { Database } from '../../db/schema';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('delivery log on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => {
    await close();
  });

  it('remembers a delivery per key and channel, keeping the first time', async () => {
    expect(await wasDelivered(db, 'n-1', 'webhook')).toBe(false);
    await recordDelivery(db, 'n-1', 'webhook', 100);
    await recordDelivery(db, 'n-1', 'webhook', 200);
    expect(await wasDelivered(db, 'n-1', 'webhook')).toBe(true);
    expect(await wasDelivered(db, 'n-1', 'email')).toBe(false);
    const rows = await db.selectFrom('notification_deliveries').selectAll().execute();
    expect(rows).toEqual([{ key: 'n-1', channel: 'webhook', delivered_at: 100 }]);
  });
});
