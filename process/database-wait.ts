/**
 * `gatehouse api` and `gatehouse worker` and a PostgreSQL that is down, starting up or
 * restarting (db/availability.ts): the start-up wait (one warn line per wait, naming the
 * database and why, up to DATABASE_WAIT; a stop signal ends it at once), and what they log of
 * the pooled connections a restart cuts.
 */
import type { Kysely } from 'kysely';
import type { Logger } from '../config/logger';
import { databaseUnavailable, waitForDatabase, type Database } from '../db';

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

/**
 * Logs an idle pooled connection that failed. A restart of PostgreSQL fails every one at once:
 * expected, and cured by the pool (it opens a new connection on the next query), so one `warn`
 * line each with the cause; anything else is an `error` with its stack.
 */
export function logPoolError(logger: Logger): (error: Error) => void {
  return (error) => {
    const reason = databaseUnavailable(error);
    if (reason === undefined) logger.error({ err: error }, 'database connection error');
    else
      logger.warn(
        { reason, error: error.message },
        'idle database connection lost: the pool opens another when needed',
      );
  };
}
