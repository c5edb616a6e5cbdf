/** Brings the app database schema up to date at startup (API and worker both call it). */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, type Migration, Migrator, SqliteAdapter, sql } from 'kysely';
import { migrations } from './migrations';
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
): Promise<string[]> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return runMigrator(db, set);
  return db.connection().execute(async (conn) => {
    await beginImmediate(conn);
    let applied: string[];
    try {
      applied = await runMigrator(conn, set);
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
    await sql`commit`.execute(conn);
    return applied;
  });
}

async function runMigrator(
  db: Kysely<Database>,
  set: Record<string, Migration>,
): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(set) } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    const reason =
      error instanceof Error ? `${error.name}: ${error.message}` : JSON.stringify(error);
    throw new Error(`database migration ${failed} failed: ${reason}`, { cause: error });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
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
