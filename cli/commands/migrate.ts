/**
 * `gatehouse migrate`: brings the app database's schema to this build's (or, with `--to`, up or
 * down to one of its migrations). The one job that changes the schema: compose runs it once
 * before the API and the workers, which refuse a schema they do not know. Like them, it waits
 * for a PostgreSQL that is down or starting up, up to DATABASE_WAIT (a deployment's first job
 * often starts beside the database), one line on stderr per wait.
 */
import {
  DatabaseLoginRefused,
  DatabaseWaitExpired,
  migrateTo,
  migrateToLatest,
  schemaStatus,
  waitForDatabase,
} from '../../db';
import { databaseWait, withRawDatabase } from '../database';
import { CliError } from '../errors';

export interface MigrateOptions {
  to?: string;
}

export async function migrate(options: MigrateOptions): Promise<void> {
  const limitMs = databaseWait();
  await withRawDatabase(async (db) => {
    try {
      await waitForDatabase(db, {
        limitMs,
        onWait: ({ reason, error, retryInMs }) =>
          console.error(
            `migrate: waiting for the app database (${reason}: ${error}); trying again in ${retryInMs / 1000}s`,
          ),
      });
    } catch (error) {
      if (error instanceof DatabaseWaitExpired || error instanceof DatabaseLoginRefused) {
        throw new CliError(error.message);
      }
      throw error;
    }
    if (options.to !== undefined) {
      const { applied, reverted } = await migrateTo(db, options.to);
      if (reverted.length > 0) console.log(`reverted ${reverted.join(', ')}`);
      if (applied.length > 0) console.log(`applied ${applied.join(', ')}`);
      if (applied.length + reverted.length === 0) console.log(`already at ${options.to}`);
      return;
    }
    const applied = await migrateToLatest(db, undefined, (line) => console.log(line));
    const status = await schemaStatus(db);
    const latest = status.applied.at(-1) ?? '(none)';
    console.log(
      applied.length > 0
        ? `applied ${applied.join(', ')}; the schema is at ${latest}`
        : `the schema is up to date (${latest})`,
    );
  });
}
