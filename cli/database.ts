/**
 * The app database for one command: DATABASE_URL (the same variable, check and default as the
 * API and the worker), migrated to the latest schema, closed when the command ends.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { WorkerEnv } from '../config';
import { ConfigError, parseEnv } from '../config/variables';
import { createDatabase, migrateToLatest, type Database } from '../db';
import { CliError } from './errors';

const CliEnv = z.object({ DATABASE_URL: WorkerEnv.shape.DATABASE_URL });

/** Runs `command` against the migrated app database and closes it, whatever happens. */
export async function withDatabase<T>(
  command: (db: Kysely<Database>) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  const db = createDatabase(databaseUrl(env));
  try {
    await migrateToLatest(db);
    return await command(db);
  } finally {
    await db.destroy();
  }
}

function databaseUrl(env: NodeJS.ProcessEnv): string {
  try {
    return parseEnv(CliEnv, env).DATABASE_URL;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration error: ${error.message}`);
    throw error;
  }
}
