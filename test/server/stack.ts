/**
 * The real API stack for server tests: the Express app listening on a random port, a worker
 * with the real activities, the run's Temporal dev server and a fresh SQLite or PostgreSQL
 * app database. Requests go over HTTP like any client's.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Kysely } from 'kysely';
import { createActivities, type ActivityDeps } from '../../activities';
import { createToken, insertUser, type Database } from '../../db';
import { createApp, type AppDeps } from '../../server/app';
import { bootstrap } from '../../server/bootstrap';
import { migrateThroughWorker } from '../../worker/project-updates';
import { answerClientErrors } from '../../server/problem';
import { graceful } from '../../server/shutdown';
import { assertAnswersMatch, sharedAnswerChecker, withAnswerCheck } from '../support/answer-check';
import { openMigrated, type DatabaseFactory } from '../support/databases';
import { Client, Connection } from '@temporalio/client';
import { startTestWorker, temporalAddress, uniqueId } from '../support/temporal';

export interface Reply {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are probed freely
}

export interface TestUser {
  id: string;
  token: string;
}

export interface ApiStack {
  baseUrl: string;
  db: Kysely<Database>;
  /** The app database's URL, for worker processes that share it. */
  databaseUrl: string;
  /** The task queue the API starts workflows on. */
  taskQueue: string;
  adminToken: string;
  /** Creates a user directly in the database and returns a token for it. */
  user(id: string, flags?: { pmo?: boolean; admin?: boolean }): Promise<TestUser>;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  stop(): Promise<void>;
}

/** What driving the API over HTTP needs: its calls and the bootstrap admin's token. */
export type ApiClient = Pick<ApiStack, 'call' | 'adminToken'>;

type CallOptions = Parameters<ApiStack['call']>[2];

/** One request to the API at `baseUrl`; a JSON answer parsed, any other kept as text. */
async function send(
  baseUrl: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  } else if (body !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body }),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON (metrics, SSE): keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/**
 * A client of an API this test did not build (`gatehouse api` in a process of its own): the
 * same calls as the stack's, without the in-process answer check.
 */
export function apiClient(baseUrl: string, adminToken: string): ApiClient {
  return { adminToken, call: (method, path, options) => send(baseUrl, method, path, options) };
}

/** App options a test may set on top of the stack's own (e.g. `oidc`). */
export type ExtraAppDeps = Partial<Omit<AppDeps, 'db' | 'temporal'>>;

export interface StackOptions {
  /** Run a worker in this process (default); `false` when the test starts worker processes. */
  worker?: boolean;
  /** Extra dependencies of the worker's activities (e.g. metrics). */
  activities?: Omit<ActivityDeps, 'db'>;
}

/** How long requests in flight (and open event streams) may go on once the stack stops. */
const STOP_GRACE_MS = 1_000;
/** Longer than any pause between a test's requests. */
const KEEP_ALIVE_MS = 120_000;

export async function startApiStack(
  factory: DatabaseFactory,
  extra: ExtraAppDeps = {},
  options: StackOptions = {},
): Promise<ApiStack> {
  // A connection of its own, closed only after the API has stopped: the file's shared one closes
  // before the file's own afterAll, while the API (and the pages of a browser test) still ask
  // Temporal: a call in flight then fails and the client's retry timer throws "Channel has been
  // shut down" outside any test.
  const { address, namespace } = temporalAddress();
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const database = await openMigrated(factory);
  const db = database.db;
  const adminToken = `gh_admin_${uniqueId('t').replace(/-/g, '')}`;
  await bootstrap(db, { adminToken });
  const taskQueue = uniqueId('api');
  const worker =
    options.worker === false
      ? undefined
      : await startTestWorker({
          taskQueue,
          activities: createActivities({
            db,
            migrateProject: migrateThroughWorker,
            ...options.activities,
          }),
        });
  // Every answer, and every event a stream writes, is checked against the OpenAPI document; a
  // mismatch fails the call (or the test, test/support/answers-after-each.ts).
  const answers = sharedAnswerChecker();
  // Background work the app starts (server/routes/project-access.ts) ends when the stack stops.
  const stopping = new AbortController();
  const app = createApp(
    withAnswerCheck({
      db,
      temporal: { client, taskQueue },
      log: () => undefined,
      stopping: stopping.signal,
      ...extra,
    }),
  );
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    answerClientErrors(s);
  });
  // Node closes a keep-alive connection idle for 5 s; fetch reuses one it thinks has a second
  // left, and on a loaded machine the two cross: ECONNRESET on a request that never arrived.
  // The stack closes idle connections itself when it stops.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  const http = graceful(server);
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    db,
    databaseUrl: database.url,
    taskQueue,
    adminToken,
    async user(id, flags = {}) {
      const created = await insertUser(db, { id, name: id, email: `${id}@example.test`, ...flags });
      if (!created.ok) throw new Error(`user ${id}: ${created.code}`);
      const { token } = await createToken(db, id);
      return { id, token };
    },
    async call(method, path, options = {}) {
      const reply = await send(baseUrl, method, path, options);
      assertAnswersMatch(answers);
      return reply;
    },
    async stop() {
      // Requests in flight finish first (open event streams are cut after the grace).
      await http.close(STOP_GRACE_MS);
      stopping.abort();
      await worker?.stop();
      await connection.close();
      await database.close();
      assertAnswersMatch(answers);
    },
  };
}
