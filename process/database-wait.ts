/**
 * The start-up wait of `gatehouse api` and `gatehouse worker` for an app database that is
 * down or starting up (db/availability.ts): one warn line per wait, naming the database and
 * why (its error code), up to DATABASE_WAIT; a stop signal meanwhile ends it at once.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../config/logger';
import { waitForDatabase, type Database } from '../db';

/**
 * Resolves `available` once `db` answers, `stopped` when `stop` settles first (the process then
 * stops cleanly); throws what waiting cannot cure at once and DatabaseWaitExpired past `limitMs`.
 */
export async function awaitDatabase(
  db: Kysely<Database>,
  limitMs: number,
  logger: Logger,
  stop: Promise<unknown>,
): Promise<'available' | 'stopped'> {
  const aborter = new AbortController();
  void stop.then(() => aborter.abort());
  return waitForDatabase(db, {
    limitMs,
    signal: aborter.signal,
    onWait: ({ reason, error, waitedMs, retryInMs }) =>
      logger.warn(
        { reason, error, waitedMs, retryInMs, limitMs },
        `waiting for the app database (${reason})`,
      ),
  });
}
