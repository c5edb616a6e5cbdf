/**
 * The app database for one command: DATABASE_URL (the same variable, check and default as the
 * API and the worker), closed when the command ends. Commands other than `gatehouse migrate`
 * refuse, as the API and the workers do, a schema this build does not know.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { WorkerEnv } from '../config';
import { ConfigError, parseEnv } from '../config/variables';
import { assertSchemaCurrent, createDatabase, SchemaMismatchError, type Database } from '../db';
import { parseDatabaseUrl } from '../db/database';
import { CliError } from './errors';

const CliEnv = z.object({ DATABASE_URL: WorkerEnv.shape.DATABASE_URL });
const WaitEnv = z.object({ DATABASE_WAIT: WorkerEnv.shape.DATABASE_WAIT });

/** Runs `command` against the app database, as it is (no check), and closes it. */
export async function withRawDatabase<T>(
  command: (db: Kysely<Database>) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
  options: { mustExist?: boolean } = {},
): Promise<T> {
  const db = openDatabase(databaseUrl(env), options.mustExist ?? false);
  try {
    return await command(db);
  } catch (error) {
    if (error instanceof SchemaMismatchError) throw new CliError(error.message);
    throw error;
  } finally {
    await db.destroy();
  }
}

/** Runs `command` against the app database once its schema is the one this build knows. */
export function withDatabase<T>(
  command: (db: Kysely<Database>) => Promise<T>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<T> {
  return withRawDatabase(
    async (db) => {
      await assertSchemaCurrent(db);
      return command(db);
    },
    env,
    { mustExist: true },
  );
}

/**
 * The database, or one line naming the SQLite file that cannot be opened. Only `migrate`
 * creates a missing file: any other command given a mistyped DATABASE_URL would leave an
 * empty database (and its folders) behind and say it has no schema.
 */
function openDatabase(url: string, mustExist: boolean): Kysely<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'sqlite' || target.filename === ':memory:') return createDatabase(url);
  const file = path.resolve(target.filename);
  if (mustExist && !existsSync(file)) {
    throw new CliError(
      `no app database at ${file} (DATABASE_URL): check DATABASE_URL, or run \`gatehouse migrate\` to create it`,
    );
  }
  try {
    return createDatabase(url);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot open the app database ${file} (DATABASE_URL): ${why}`);
  }
}

function databaseUrl(env: NodeJS.ProcessEnv): string {
  return parsed(() => parseEnv(CliEnv, env).DATABASE_URL);
}

/** DATABASE_WAIT in ms (the API's and the worker's setting): how long `migrate` waits. */
export function databaseWait(env: NodeJS.ProcessEnv = process.env): number {
  return parsed(() => parseEnv(WaitEnv, env).DATABASE_WAIT);
}

function parsed<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(`configuration error: ${error.message}`);
    throw error;
  }
}
