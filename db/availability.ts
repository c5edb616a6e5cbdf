/**
 * A PostgreSQL that is down, starting up or restarting: which errors say so (the API answers
 * them 503, server/unavailable.ts), and the wait of a process that starts meanwhile
 * (`gatehouse api`, `gatehouse worker`, `npm start`; DATABASE_WAIT). An error waiting cannot
 * cure (a wrong password, a missing database) is thrown at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { checkDatabase, isSqlite, postgresUrlOf } from './database';
import type { Database } from './schema';

/**
 * Node and PostgreSQL codes of a connection that failed, was cut or could not be had (class 08,
 * 57P0x, and 53300 when the cluster's connection slots are all taken: its capacity, not the
 * client's request, so the client is told to retry). A host name that does not resolve is one
 * of them: compose's DNS knows a service's name only while its container runs, so a process
 * started before PostgreSQL's container first meets ENOTFOUND (or EAI_AGAIN); a misspelt
 * name waits out DATABASE_WAIT, each wait's line naming the code and the host.
 */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
]);
/** What `pg` says, without a code, when a connection ends or never comes. */
const PG_CONNECTION_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

/**
 * Why `error` itself (not its causes) says the database cannot be reached now: its code, or
 * pg's words for a connection that ended or never came; undefined for any other error.
 */
export function connectionFailure(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) {
    return code;
  }
  return PG_CONNECTION_MESSAGE.exec(error.message)?.[0];
}

/** {@link connectionFailure} of `error` or of one of its causes. */
export function databaseUnavailable(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    const reason = connectionFailure(e);
    if (reason !== undefined) return reason;
    e = e.cause;
  }
  return undefined;
}

/** Backoff of the start-up wait: 0.5 s doubling to 5 s. */
const WAIT_STEPS_MS = [500, 1_000, 2_000, 4_000, 5_000];

/** One wait of {@link waitForDatabase}: why, and how long until the next attempt. */
export interface DatabaseWait {
  /** The error's code (ECONNREFUSED, 57P03…), or pg's words when it has none. */
  reason: string;
  /** The error's message (host and port; never the password). */
  error: string;
  /** How long the process has waited so far. */
  waitedMs: number;
  retryInMs: number;
}

export interface WaitForDatabaseOptions {
  /** The longest wait (DATABASE_WAIT); 0: none, the first failure is thrown as it is. */
  limitMs: number;
  /** Aborted (a stop signal): the wait ends at once, answering `stopped`. */
  signal?: AbortSignal;
  /** Hears of each wait, before it begins (one log line). */
  onWait: (wait: DatabaseWait) => void;
  /** The backoff (tests); default 0.5 s doubling to 5 s. */
  stepsMs?: readonly number[];
}

/** The database stayed unreachable for the whole DATABASE_WAIT: its message is the line to print. */
export class DatabaseWaitExpired extends Error {}

/**
 * PostgreSQL refused the login itself (DATABASE_URL's password, user or database name), which
 * no wait cures: its message is the line to print, naming the server, PostgreSQL's reason,
 * its code and what to check; never the password.
 */
export class DatabaseLoginRefused extends Error {
  constructor(
    message: string,
    /** PostgreSQL's code: class 28 (28P01 a wrong password, 28000) or 3D000. */
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(message, options);
    this.name = 'DatabaseLoginRefused';
  }
}

/**
 * Resolves `available` once `db` answers a trivial query, waiting with backoff while the
 * failure is one that passes (see {@link databaseUnavailable}), at most `limitMs`; `stopped`
 * when `signal` aborts first. SQLite is a file: it answers at once. Throws an error that
 * waiting cannot cure at once: a refused login as {@link DatabaseLoginRefused}, anything else as
 * it is; {@link DatabaseWaitExpired} past the limit.
 */
export async function waitForDatabase(
  db: Kysely<Database>,
  options: WaitForDatabaseOptions,
): Promise<'available' | 'stopped'> {
  if (isSqlite(db)) return 'available';
  const { limitMs, signal, onWait, stepsMs = WAIT_STEPS_MS } = options;
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) return 'stopped';
    const outcome = await untilAborted(checkDatabase(db), signal);
    if (outcome === 'aborted') return 'stopped';
    if (outcome.ok) return 'available';
    const refused = loginRefused(outcome.error, postgresUrlOf(db));
    if (refused) throw refused;
    const reason = databaseUnavailable(outcome.error);
    if (reason === undefined || limitMs === 0) throw outcome.error;
    const waitedMs = Date.now() - started;
    const error = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    if (waitedMs >= limitMs) {
      throw new DatabaseWaitExpired(
        `the app database is still unreachable after ${formatSeconds(waitedMs)} ` +
          `(DATABASE_WAIT=${formatSeconds(limitMs)}): ${reason} (${error})`,
      );
    }
    const step = stepsMs[Math.min(attempt, stepsMs.length - 1)]!;
    const retryInMs = Math.min(step, limitMs - waitedMs);
    onWait({ reason, error, waitedMs, retryInMs });
    try {
      await sleep(retryInMs, undefined, signal && { signal });
    } catch (error) {
      if (signal?.aborted) return 'stopped';
      throw error;
    }
  }
}

/**
 * A refused login in `error` (or its causes) as {@link DatabaseLoginRefused}: class 28
 * (invalid_password 28P01; 28000: no such role, no pg_hba.conf entry) or 3D000 (no such
 * database). `url` (the pool's) names the server and the user, never the password.
 */
export function loginRefused(error: unknown, url?: string): DatabaseLoginRefused | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (code.startsWith('28') || code === '3D000')) {
      const server = url === undefined ? undefined : serverOf(url);
      const at = server ? ` at ${server.host}` : '';
      const hint =
        code === '3D000'
          ? 'check the database name in DATABASE_URL'
          : code === '28P01'
            ? `check the password${server?.user ? ` of user "${server.user}"` : ''} in DATABASE_URL`
            : "check the user in DATABASE_URL and the server's pg_hba.conf";
      return new DatabaseLoginRefused(
        `the app database${at} refused the login: ${e.message} (${code}); ${hint}`,
        code,
        { cause: e },
      );
    }
    e = e.cause;
  }
  return undefined;
}

/**
 * Host, port and user (as written in the URL) of a PostgreSQL URL, pg's defaults where it names
 * none; undefined for a connection string URL cannot parse (pg reads some): no server named then.
 */
function serverOf(url: string): { host: string; user: string } | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
  const port = parsed.port || parsed.searchParams.get('port') || '5432';
  return { host: `${host}:${port}`, user: parsed.username };
}

type Outcome = { ok: true } | { ok: false; error: unknown };

/** `work`'s outcome, or `aborted` as soon as `signal` is (the attempt is left to finish). */
async function untilAborted(
  work: Promise<void>,
  signal: AbortSignal | undefined,
): Promise<Outcome | 'aborted'> {
  const outcome = work.then(
    (): Outcome => ({ ok: true }),
    (error: unknown): Outcome => ({ ok: false, error }),
  );
  if (!signal) return outcome;
  let onAbort = () => undefined as void;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([outcome, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}
