/**
 * Live updates, the database's part. A write that changes what an event stream shows tells
 * of it in its own transaction (`recordChange`): on PostgreSQL a NOTIFY, delivered on commit
 * and dropped on rollback; on SQLite a row in the `changes` journal, which commits or rolls
 * back with the write. Each API process hears them through one source for all its streams
 * (`listenForChanges`): a dedicated LISTEN connection, or one poller of the journal.
 */
import { sql, type Kysely } from 'kysely';
import { Client } from 'pg';
import { z } from 'zod';
import { isSqlite, postgresUrlOf } from './database';
import { reusedQuery } from './reused-query';
import type { Database } from './schema';

/** The NOTIFY channel. */
export const CHANGES_CHANNEL = 'gatehouse_changes';

/**
 * What changed: a project (its state), and whose inbox or to-do list may look different
 * (`all`: anyone's, when the list would not fit a notification); `delegations` when a
 * delegation was made or revoked (the time one starts or ends next may have moved).
 */
export const Change = z.object({
  project: z.string().optional(),
  users: z.union([z.array(z.string()), z.literal('all')]).optional(),
  delegations: z.literal(true).optional(),
});
export type Change = z.infer<typeof Change>;

/** What a listener hears: a change, or `all` when changes may have been missed. */
export type Heard = Change | 'all';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_500;
/** How long journal rows stay: a poller further behind than this re-reads everything. */
const JOURNAL_RETENTION_MS = 10 * 60_000;
/** Every how many journal rows a writer prunes the old ones (so no reader has to). */
const PRUNE_EVERY = 100;

/** Transactions whose changes are told once, at the end (see {@link collectChanges}). */
const collecting = new WeakMap<Kysely<Database>, Change[]>();

/** Tells the event streams of every API process of `change`, in `db`'s transaction if any. */
export async function recordChange(db: Kysely<Database>, change: Change): Promise<void> {
  const collected = collecting.get(db);
  if (collected) collected.push(change);
  else await writeChange(db, change);
}

/**
 * Runs `work` in the transaction `trx` and tells of the changes it records in one
 * notification per project (a record write: its notifications' recipients and its snapshot's
 * project and people together), not one per statement that changed something. A stream
 * re-reads when its project or its user is named, so the union wakes exactly the same ones.
 */
export async function collectChanges<T>(trx: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (collecting.has(trx)) return work();
  const changes: Change[] = [];
  collecting.set(trx, changes);
  let result: T;
  try {
    result = await work();
  } finally {
    collecting.delete(trx);
  }
  for (const change of mergeChanges(changes)) await writeChange(trx, change);
  return result;
}

/** The changes as one per project named (those naming none joined to the first). */
export function mergeChanges(changes: readonly Change[]): Change[] {
  const byProject = new Map<string | undefined, Change>();
  for (const change of changes) {
    const into = byProject.get(change.project);
    byProject.set(change.project, into ? joined(into, change) : change);
  }
  const loose = byProject.get(undefined);
  const named = [...byProject.entries()].filter(([project]) => project !== undefined);
  if (loose && named.length > 0) {
    byProject.delete(undefined);
    const [project, first] = named[0]!;
    byProject.set(project, joined(first, loose));
  }
  return [...byProject.values()];
}

function joined(a: Change, b: Change): Change {
  const users =
    a.users === 'all' || b.users === 'all'
      ? ('all' as const)
      : a.users || b.users
        ? [...(a.users ?? []), ...(b.users ?? [])]
        : undefined;
  return {
    ...(a.project !== undefined && { project: a.project }),
    ...(users !== undefined && { users }),
    ...((a.delegations || b.delegations) && { delegations: true as const }),
  };
}

async function writeChange(db: Kysely<Database>, change: Change): Promise<void> {
  if (Array.isArray(change.users)) change = { ...change, users: [...new Set(change.users)] };
  let payload = JSON.stringify(change);
  if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
    payload = JSON.stringify({ ...change, users: 'all' });
  }
  if (!isSqlite(db)) {
    await sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`.execute(db);
    return;
  }
  const now = Date.now();
  const [row] = (await insertChange(db, { payload, at: now })).rows;
  if (!row) throw new Error('change journal: the insert returned no id');
  if (row.id % PRUNE_EVERY === 0) {
    // Rows are written in time order: the old ones are those before the first recent one,
    // found by walking the ids from the oldest (only the old rows and one more are read), and
    // deleted as an id range. Filtering on `at` would read the whole journal each time.
    await db
      .deleteFrom('changes')
      .where(
        'id',
        '<',
        db
          .selectFrom('changes')
          .select('id')
          .where('at', '>=', now - JOURNAL_RETENTION_MS)
          .orderBy('id')
          .limit(1),
      )
      .execute();
  }
}

// Every record write runs it: built once (db/reused-query.ts).
const insertChange = reusedQuery<{ payload: string; at: number }, { id: number }>((db, slot) =>
  db
    .insertInto('changes')
    .values({ payload: slot('payload'), at: slot('at') })
    .returning('id'),
);

/** A running source of changes; `close` stops it. */
export interface ChangeSource {
  close(): Promise<void>;
}

export interface ListenOptions {
  /** How often the SQLite journal is read (default 500 ms). */
  pollMs?: number;
  /** Failures of the source (it keeps trying: reconnects, polls again). */
  onError?: (error: unknown) => void;
}

/**
 * Calls `heard` with every change written to `db` from now on, by any process. `all` comes
 * first once the source is in place (what was written before may not have been seen), and
 * again whenever changes may have been missed (a lost connection, a poller fallen behind).
 */
export function listenForChanges(
  db: Kysely<Database>,
  heard: (change: Heard) => void,
  options: ListenOptions = {},
): ChangeSource {
  const onError = options.onError ?? ((error) => console.error('gatehouse: change feed', error));
  if (isSqlite(db)) return pollJournal(db, heard, options.pollMs ?? 500, onError);
  const url = postgresUrlOf(db);
  if (url === undefined) throw new Error('live updates need a database opened by createDatabase');
  return listenPostgres(url, heard, onError);
}

function parsePayload(payload: string | undefined): Heard {
  try {
    const parsed = Change.safeParse(JSON.parse(payload ?? ''));
    // Something else on our channel: safest to re-read everything.
    return parsed.success ? parsed.data : 'all';
  } catch {
    return 'all';
  }
}

/** Gives up a journal reader that fell this far behind (a stalled process): re-read all. */
const POLL_STALE_MS = JOURNAL_RETENTION_MS / 2;
/** Most journal rows read per query; a longer backlog is read over consecutive queries. */
const POLL_BATCH = 1_000;

function pollJournal(
  db: Kysely<Database>,
  heard: (change: Heard) => void,
  pollMs: number,
  onError: (error: unknown) => void,
): ChangeSource {
  let last: number | undefined;
  let lastRead = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function tick(): Promise<void> {
    try {
      if (last === undefined || Date.now() - lastRead > POLL_STALE_MS) {
        const row = await db
          .selectFrom('changes')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst();
        last = Number(row?.id ?? 0);
        lastRead = Date.now();
        heard('all');
        return;
      }
      for (;;) {
        const rows = await db
          .selectFrom('changes')
          .select(['id', 'payload'])
          .where('id', '>', last)
          .orderBy('id')
          .limit(POLL_BATCH)
          .execute();
        lastRead = Date.now();
        for (const row of rows) {
          last = row.id;
          heard(parsePayload(row.payload));
        }
        if (rows.length < POLL_BATCH || stopped) break;
      }
    } catch (error) {
      onError(error);
      // Whatever was missed meanwhile is caught up by re-reading everything.
      last = undefined;
    }
  }

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, pollMs);
    // The HTTP server keeps an API process alive, not its feed.
    timer.unref();
  };
  running = tick().finally(schedule);
  return {
    async close() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

/** The LISTEN connection's `application_name`. */
export const LISTENER_NAME = 'gatehouse-changes';

/** Backoff of reconnects after the LISTEN connection is lost. */
const RECONNECT_MS = [250, 500, 1_000, 2_000, 5_000];
/** A connection gone silently (no FIN) is found by a trivial query this often. */
const LISTEN_HEARTBEAT_MS = 30_000;

function listenPostgres(
  connectionString: string,
  heard: (change: Heard) => void,
  onError: (error: unknown) => void,
): ChangeSource {
  let client: Client | undefined;
  let stopped = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  let connecting: Promise<void> = Promise.resolve();

  const drop = (lost: Client, error?: unknown) => {
    if (client !== lost) return;
    client = undefined;
    lost.end().catch(() => undefined);
    if (stopped) return;
    if (error !== undefined) onError(error);
    const wait = RECONNECT_MS[Math.min(failures, RECONNECT_MS.length - 1)]!;
    failures += 1;
    retry = setTimeout(() => {
      connecting = connect();
    }, wait);
    retry.unref();
  };

  async function connect(): Promise<void> {
    const next = new Client({
      connectionString,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
      // Named, so an operator (and a test) can tell it in pg_stat_activity.
      application_name: LISTENER_NAME,
    });
    client = next;
    next.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) heard(parsePayload(message.payload));
    });
    next.on('error', (error) => drop(next, error));
    next.on('end', () => drop(next, new Error('the LISTEN connection ended')));
    try {
      await next.connect();
      await next.query(`listen ${CHANGES_CHANNEL}`);
    } catch (error) {
      drop(next, error);
      return;
    }
    if (client !== next) return;
    failures = 0;
    // Anything written before LISTEN took effect (or while the connection was down) is
    // unknown: every stream reads once.
    heard('all');
  }

  const heartbeat = setInterval(() => {
    const current = client;
    current?.query('select 1').catch((error: unknown) => drop(current, error));
  }, LISTEN_HEARTBEAT_MS);
  heartbeat.unref();
  connecting = connect();
  return {
    async close() {
      stopped = true;
      clearInterval(heartbeat);
      clearTimeout(retry);
      await connecting;
      const last = client;
      client = undefined;
      await last?.end().catch(() => undefined);
    },
  };
}
