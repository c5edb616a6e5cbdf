/**
 * The app databases every db test runs against: a temp-file SQLite and a throwaway
 * PostgreSQL database. PostgreSQL is required: when it is unreachable the tests fail (CI starts
 * it), they never skip. `TEST_POSTGRES_URL` points at the admin database (default: local `test`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { Client } from 'pg';
import { createDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import type { Database } from '../../db/schema';

/** Admin connection used to create and drop the per-run PostgreSQL databases. */
export const TEST_POSTGRES_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh, empty database and how to get rid of it. */
export interface TestDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** Makes fresh databases of one dialect. */
export interface DatabaseFactory {
  name: 'sqlite' | 'postgres';
  create: () => Promise<TestDatabase>;
}

/** Both dialects, for `describe.each(eachDatabase())('$name', …)`. */
export function eachDatabase(): DatabaseFactory[] {
  return [databaseFactory('sqlite'), databaseFactory('postgres')];
}

/** One dialect only, for tests where the channel logic, not the database, is under test. */
export function databaseFactory(name: DatabaseFactory['name']): DatabaseFactory {
  return name === 'sqlite'
    ? { name, create: createSqlite }
    : { name, create: () => createPostgres() };
}

/** A migrated database open through the app's own `createDatabase`, plus its cleanup. */
export async function openMigrated(
  factory: DatabaseFactory,
): Promise<{ db: Kysely<Database>; url: string; close: () => Promise<void> }> {
  const target = await factory.create();
  let closing = false;
  const db = createDatabase(target.url, {
    // pg's pool.end() resolves before its sockets are gone; dropping the database then kills
    // them (57P01). That is the teardown itself, not a failure; anything else still surfaces.
    onPoolError: (error) => {
      if (!closing) console.error('test database: idle PostgreSQL connection failed', error);
    },
  });
  await migrateToLatest(db);
  return {
    db,
    url: target.url,
    close: async () => {
      closing = true;
      await db.destroy();
      await target.drop();
    },
  };
}

async function createSqlite(): Promise<TestDatabase> {
  const dir = await mkdtemp(path.join(tmpdir(), 'gatehouse-db-'));
  return {
    url: `sqlite:${path.join(dir, 'gatehouse.db')}`,
    drop: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * PostgreSQL in a database of the `C` locale, whose `lower()` folds ASCII letters only (the
 * test databases are `C.UTF-8` otherwise, whose `lower()` folds the others too).
 */
export function postgresCLocale(): DatabaseFactory {
  return {
    name: 'postgres',
    create: () => createPostgres(`TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'`),
  };
}

async function createPostgres(options = ''): Promise<TestDatabase> {
  const name = `gh_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name} ${options}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a test that failed half-way may leave connections open.
    drop: () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withAdmin(run: (admin: Client) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  try {
    await run(admin);
  } finally {
    await admin.end();
  }
}

/** The schema before 0035_name_folds: names without their folded copy. */
export type BeforeNameFolds = Omit<Database, 'projects' | 'users'> & {
  projects: Omit<Database['projects'], 'name_folded'>;
  users: Omit<Database['users'], 'name_folded'>;
};

/** `db` as a test that migrated to before 0035_name_folds writes to it. */
export const beforeNameFolds = (db: Kysely<Database>) => db as unknown as Kysely<BeforeNameFolds>;
