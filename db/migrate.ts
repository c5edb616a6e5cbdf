/**
 * The app database's schema: `gatehouse migrate` (and `npm start`, the embedded default) bring it
 * up to date; the API, the workers and the other commands only check that it is the schema
 * this build knows, and refuse with one line otherwise, so an older build never runs on (or
 * crash-loops against) a schema it does not know and a newer one never runs on an old schema.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Kysely,
  type Migration,
  type MigrationResult,
  DEFAULT_MIGRATION_TABLE,
  Migrator,
  SqliteAdapter,
  sql,
} from 'kysely';
import { migrations } from './migrations';
import { catchUpNameFolds } from './name-fold-upgrade';
import { ensureOpenActions } from './open-actions-upgrade';
import type { Database } from './schema';

/** How long a second process waits for another one's SQLite migration. */
const SQLITE_LOCK_WAIT_MS = 30_000;
const SQLITE_LOCK_POLL_MS = 25;

/**
 * Applies pending migrations and returns their names. Safe to call from several processes at
 * once, and a failed migration leaves no half-applied schema: on PostgreSQL Kysely takes an
 * advisory lock and a transaction; on SQLite (where Kysely does neither) we run the whole
 * migration in one `BEGIN IMMEDIATE` transaction, which is SQLite's write lock.
 */
export async function migrateToLatest(
  db: Kysely<Database>,
  /** The app's migrations; tests pass others to exercise failures. */
  set: Record<string, Migration> = migrations,
  /** Told what a rebuild of a derived table did (`gatehouse migrate` prints it). */
  report?: (line: string) => void,
): Promise<string[]> {
  const results = await withMigrationLock(db, async (conn) => {
    const applied = await runMigrator(conn, set);
    // Derived tables are (re)built from what is stored when they are not this build's: an
    // upgraded database gets its open actions here, once.
    if ('0013_open_actions' in set) {
      const { projects, unreadable } = await ensureOpenActions(conn);
      if (projects > 0) report?.(`open actions derived for ${projects} project(s)`);
      if (unreadable.length > 0) {
        report?.(
          `open actions: unreadable stored state, left for \`records repair\`: ${unreadable.join(', ')}`,
        );
      }
    }
    // Names an older build wrote without their folds (a rolling upgrade, db/name-fold-upgrade.ts).
    if ('0035_name_folds' in set) {
      const { projects, users } = await catchUpNameFolds(conn);
      if (projects + users > 0) {
        report?.(`names folded for ${projects} project(s) and ${users} user(s)`);
      }
    }
    return applied;
  });
  return results.map((r) => r.migrationName);
}

/** `work` alone against the schema: PostgreSQL's advisory lock is Kysely's own (in runMigrator). */
async function withMigrationLock(
  db: Kysely<Database>,
  work: (conn: Kysely<Database>) => Promise<MigrationResult[]>,
): Promise<MigrationResult[]> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return work(db);
  return db.connection().execute(async (conn) => {
    await beginImmediate(conn);
    let applied: MigrationResult[];
    try {
      applied = await work(conn);
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
    await sql`commit`.execute(conn);
    return applied;
  });
}

/**
 * Migrates up or down to `target`, a migration of this build (a rollback runs the `down` of
 * each later one, newest first); same locking. Answers the names applied and reverted.
 */
export async function migrateTo(
  db: Kysely<Database>,
  target: string,
  set: Record<string, Migration> = migrations,
): Promise<{ applied: string[]; reverted: string[] }> {
  if (!(target in set)) {
    throw new SchemaMismatchError(
      `no migration "${target}" in this build (it knows ${Object.keys(set).join(', ')})`,
    );
  }
  const results = await withMigrationLock(db, (conn) => runMigrator(conn, set, target));
  const names = (direction: MigrationResult['direction']) =>
    results.filter((r) => r.direction === direction).map((r) => r.migrationName);
  return { applied: names('Up'), reverted: names('Down') };
}

/** The schema compared with what this build knows. */
export type SchemaStatus =
  /** Every migration of this build is applied, and nothing else. */
  | { state: 'current'; applied: string[] }
  /** Some of this build's migrations are not applied yet (all of them: an empty database). */
  | { state: 'behind'; applied: string[]; pending: string[] }
  /** Migrations this build does not know are applied: a newer build migrated it. */
  | { state: 'ahead'; applied: string[]; unknown: string[] };

/** A schema this build refuses to run on; the message is the one line to print. */
export class SchemaMismatchError extends Error {
  override readonly name = 'SchemaMismatchError';
}

/** Reads which migrations are applied (no lock, no change). */
export async function schemaStatus(
  db: Kysely<Database>,
  set: Record<string, Migration> = migrations,
): Promise<SchemaStatus> {
  const applied = await appliedMigrations(db);
  const unknown = applied.filter((name) => !(name in set));
  if (unknown.length > 0) return { state: 'ahead', applied, unknown };
  const pending = Object.keys(set)
    .sort()
    .filter((name) => !applied.includes(name));
  return pending.length > 0 ? { state: 'behind', applied, pending } : { state: 'current', applied };
}

/** Throws a {@link SchemaMismatchError} unless the schema is exactly the one this build knows. */
export async function assertSchemaCurrent(
  db: Kysely<Database>,
  set: Record<string, Migration> = migrations,
): Promise<void> {
  const status = await schemaStatus(db, set);
  if (status.state === 'ahead') throw new SchemaMismatchError(newerSchema(status.unknown));
  if (status.state === 'behind') {
    throw new SchemaMismatchError(
      status.applied.length === 0
        ? 'the app database has no schema yet: run `gatehouse migrate` first'
        : `the app database schema is older than this build (not applied: ${status.pending.join(', ')}): ` +
            'run `gatehouse migrate` first',
    );
  }
}

function newerSchema(unknown: string[]): string {
  return (
    `the app database schema is newer than this build (it has ${unknown.join(', ')}, which this ` +
    'build does not know): run the build that migrated it, or restore the backup taken before'
  );
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) return [];
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(
    DEFAULT_MIGRATION_TABLE,
  )} order by name`.execute(db);
  return rows.map((row) => row.name);
}

async function runMigrator(
  db: Kysely<Database>,
  set: Record<string, Migration>,
  target?: string,
): Promise<MigrationResult[]> {
  // A newer build's migrations would make Kysely report "corrupted migrations": say what it is.
  const status = await schemaStatus(db, set);
  if (status.state === 'ahead') throw new SchemaMismatchError(newerSchema(status.unknown));
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(set) } });
  const { error, results = [] } =
    target === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    const reason =
      error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
    throw new Error(`database migration ${failed} failed: ${reason}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success');
}

/**
 * Takes SQLite's write lock, polling asynchronously: SQLite's own busy handler sleeps
 * synchronously, which freezes the event loop, so a second connection in the same process
 * could never let go of the lock while we wait for it.
 */
async function beginImmediate(conn: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
  const busyTimeout = rows[0]?.timeout ?? 0;
  await sql`pragma busy_timeout = 0`.execute(conn);
  try {
    const deadline = Date.now() + SQLITE_LOCK_WAIT_MS;
    for (;;) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (error) {
        // Busy means another connection is migrating: wait for it, then see what is left.
        if (!isSqliteBusy(error) || Date.now() > deadline) throw error;
      }
      await sleep(SQLITE_LOCK_POLL_MS);
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${Number(busyTimeout)}`).execute(conn);
  }
}

function isSqliteBusy(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && 'code' in error && error.code === 'SQLITE_BUSY'
  );
}
