/** Polls a user's in-app inbox until it holds what a test waits for. */
import type { Kysely } from 'kysely';
import { listInbox, type Database } from '../../db';

export async function inboxOf(
  db: Kysely<Database>,
  userId: string,
  projectId: string,
  done: (items: Awaited<ReturnType<typeof listInbox>>['items']) => boolean,
  timeoutMs = 15_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const items = (await listInbox(db, userId, { limit: 500 })).items.filter(
      (i) => i.projectId === projectId,
    );
    if (done(items)) return items;
    if (Date.now() > deadline)
      throw new Error(
        `inbox of ${userId} never matched: ${JSON.stringify(items.map((i) => i.subject))}`,
      );
    await new Promise((r) => setTimeout(r, 150));
  }
}
