/**
 * Opens the app database: SQLite (better-sqlite3) by default, PostgreSQL (`pg` Pool) when the
 * URL says so. Both sit behind the same Kysely<Database>, so every query has one code path.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import {
  type RawBuilder,
  Kysely,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  sql,
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import { Pool, TypeOverrides, types } from 'pg';
import { startCheckpointer } from './checkpointer';
import type { Database } from './schema';

/** Where the embedded default (`npm start`) keeps its data. */
export const DEFAULT_DATABASE_URL = 'sqlite:./data/gatehouse.db';

/** How long a SQLite writer waits for another connection's lock before failing. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;
/** How long to wait for a PostgreSQL connection (a URL's `connect_timeout` takes precedence). */
const PG_CONNECT_TIMEOUT_MS = 10_000;

/** What a database URL points at. */
export type DatabaseTarget =
  { dialect: 'sqlite'; filename: string } | { dialect: 'postgres'; connectionString: string };

/**
 * Reads a database URL: `postgres://…` / `postgresql://…`, or SQLite as `sqlite:./file.db`,
 * `sqlite:///abs/file.db`, `sqlite::memory:` or a plain file path.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const value = url.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', connectionString: value };
  let filename = value.replace(/^sqlite:/i, '');
  if (filename === value && /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new Error(`unsupported database URL scheme: ${value.split(':')[0]}`);
  }
  // `sqlite:///abs` and `sqlite://./rel` follow the URL habit of other tools.
  if (filename.startsWith('//')) filename = filename.slice(2);
  if (filename === '') throw new Error('database URL names no SQLite file');
  return { dialect: 'sqlite', filename };
}

/** Options of {@link createDatabase}. */
export interface DatabaseOptions {
  /** Errors of idle PostgreSQL connections (without a listener they crash the process). */
  onPoolError?: (error: Error) => void;
  /** Most PostgreSQL connections open at once (pg's default: 10). */
  poolSize?: number;
  /**
   * SQLite files: checkpoint the write-ahead log in a background thread (db/checkpointer.ts),
   * not in the commit that crosses SQLite's threshold. For the processes that write a lot (the
   * worker); `onCheckpointError` hears of a checkpoint that failed (default: stderr).
   */
  backgroundCheckpoints?: boolean;
  onCheckpointError?: (message: string) => void;
}

/** Opens the database at `url` (see {@link parseDatabaseUrl}); close it with `db.destroy()`. */
export function createDatabase(
  url: string = DEFAULT_DATABASE_URL,
  options: DatabaseOptions = {},
): Kysely<Database> {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    const opened = openSqlite(target);
    const checkpointer =
      options.backgroundCheckpoints && target.filename !== ':memory:'
        ? startCheckpointer(
            opened,
            target.filename,
            options.onCheckpointError ??
              ((message) => console.error(`gatehouse: WAL checkpoint failed: ${message}`)),
          )
        : undefined;
    const database = withStatementCache(opened, () => void checkpointer?.stop());
    return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  }
  const pool = new Pool({
    connectionString: target.connectionString,
    types: createPgTypes(),
    // pg waits forever by default; a readiness probe must answer.
    connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS,
    ...(options.poolSize !== undefined && { max: options.poolSize }),
  });
  pool.on(
    'error',
    options.onPoolError ??
      ((error) => console.error('gatehouse: idle PostgreSQL connection failed', error)),
  );
  // A connection that breaks while checked out but between queries (PostgreSQL restarting
  // under an open transaction) emits 'error' with nobody listening, which would crash the
  // process. It is not lost here: the next query on that client fails with it, and the pool
  // reports it above once the client is back and idle.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  postgresUrls.set(db.getExecutor().adapter, target.connectionString);
  return db;
}

/**
 * The URL of each PostgreSQL database opened here, by its Kysely adapter: shared by every
 * instance made from it (`withPlugin`, transactions), so a listener (db/changes.ts) can open
 * its own connection beside the pool.
 */
const postgresUrls = new WeakMap<object, string>();

/** The connection URL of `db` when it is a PostgreSQL database opened by {@link createDatabase}. */
export function postgresUrlOf(db: Kysely<Database>): string | undefined {
  return postgresUrls.get(db.getExecutor().adapter);
}

/** Whether `db` is SQLite (else PostgreSQL). */
export function isSqlite(db: Kysely<Database>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/** Resolves when the database answers a trivial query (readiness probes). */
export async function checkDatabase(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

function openSqlite(target: { filename: string }): BetterSqlite3.Database {
  const memory = target.filename === ':memory:';
  if (!memory) mkdirSync(path.dirname(path.resolve(target.filename)), { recursive: true });
  const database = new BetterSqlite3(target.filename, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  // WAL lets the API read while the worker writes; NORMAL sync is durable enough under WAL.
  if (!memory) database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  // SQLite ignores REFERENCES clauses unless asked, per connection.
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return database;
}

/** Most prepared SQLite statements kept for reuse (queries differ by their `in (…)` lists). */
const SQLITE_STATEMENT_CACHE = 500;

/**
 * The database with its `prepare` answering from a cache: Kysely prepares every query afresh,
 * and preparing costs about as much as running the small statements a record write is made
 * of (engine bench profile). Reuse is safe: Kysely runs one query at a time on its single
 * SQLite connection (a streamed one holds it to its end), and SQLite prepares a statement
 * again by itself when a migration changed the schema under it.
 */
function withStatementCache(
  database: BetterSqlite3.Database,
  beforeClose: () => void,
): SqliteDatabase {
  const statements = new LRUCache<string, BetterSqlite3.Statement>({
    max: SQLITE_STATEMENT_CACHE,
  });
  return {
    close: () => {
      beforeClose();
      database.close();
    },
    prepare(text: string) {
      let statement = statements.get(text);
      if (!statement) {
        statement = database.prepare(text);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * int8 (our epoch-ms columns, COUNT) as JS numbers instead of pg's default strings, for this
 * pool only (no global `types.setTypeParser`). Epoch ms stay far below 2^53.
 */
function createPgTypes(): TypeOverrides {
  const overrides = new TypeOverrides();
  overrides.setTypeParser(types.builtins.INT8, 'text', Number);
  return overrides;
}

/**
 * Runs `work` in a transaction: a new one, or the caller's when `db` already is one, so a
 * repository function can be used alone or as one step of a larger unit of work.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}

/**
 * Runs `work`, a read of several statements that make one answer (a job's counts and a page of
 * its rows), against one snapshot of the database, so a row settling between the statements
 * cannot leave the answer disagreeing with itself: PostgreSQL reads committed (one snapshot per
 * statement) unless asked, so a `repeatable read`, `read only` transaction; SQLite a
 * transaction, whose snapshot (WAL) starts at its first read and holds to its end. The
 * caller's transaction when `db` already is one. Nothing slow belongs in `work`: on SQLite the
 * transaction holds the handle's one connection, and every other query of the process waits.
 */
export function inSnapshot<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  const snapshot = isSqlite(db)
    ? db.transaction()
    : db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only');
  return snapshot.execute(work);
}

/**
 * Serializes writers of one thing (`key`) until the transaction `trx` ends: a PostgreSQL
 * transaction-scoped advisory lock. SQLite needs none: one writer holds its write lock.
 */
export async function lockFor(trx: Kysely<Database>, key: string): Promise<void> {
  if (isSqlite(trx)) return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
}

/** A top-level text field of a JSON text column, in either dialect (null when absent). */
export function jsonText(db: Kysely<Database>, column: string, field: string): RawBuilder<unknown> {
  return isSqlite(db)
    ? sql`json_extract(${sql.ref(column)}, ${`$.${field}`})`
    : sql`(cast(${sql.ref(column)} as jsonb) ->> ${field})`;
}

/** `ids` in slices small enough for one `in (…)` list, none empty. */
export function chunks<T>(ids: readonly T[], size = 500): T[][] {
  const unique = [...new Set(ids)];
  const out: T[][] = [];
  for (let i = 0; i < unique.length; i += size) out.push(unique.slice(i, i + size));
  return out;
}
