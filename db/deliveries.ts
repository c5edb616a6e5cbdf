/** The delivery log that makes outbound notification channels idempotent by key. */
import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** Outbound channels with a delivery log (the inbox is idempotent by its own unique key). */
export type DeliveryChannel = 'webhook' | 'email';

/** Whether the notification `key` already went out on `channel`. */
export async function wasDelivered(
  db: Kysely<Database>,
  key: string,
  channel: DeliveryChannel,
): Promise<boolean> {
  const row = await db
    .selectFrom('notification_deliveries')
    .select('key')
    .where('key', '=', key)
    .where('channel', '=', channel)
    .executeTakeFirst();
  return row !== undefined;
}

/** Records a successful delivery; recording it twice keeps the first time. */
export async function recordDelivery(
  db: Kysely<Database>,
  key: string,
  channel: DeliveryChannel,
  at: number = Date.now(),
): Promise<void> {
  await db
    .insertInto('notification_deliveries')
    .values({ key, channel, delivered_at: at })
    .onConflict((oc) => oc.columns(['key', 'channel']).doNothing())
    .execute();
}
