/**
 * Helpers for test files that talk to the run's Temporal dev server (started once by
 * ./global-setup). Connections are opened lazily, cached per test file (jest gives each file
 * its own module registry) and closed after the file's tests.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { createActivities } from '../../activities';
import { recordSinks } from '../../worker/create-worker';
import { requireTestEnv, TEST_ENV } from './env';

export interface TestTemporal {
  /** For workers (Rust core connection). */
  connection: NativeConnection;
  /** For starting, signalling, updating and querying workflows. */
  client: Client;
  namespace: string;
  address: string;
}

// Each test file gets fresh SDK modules, so this runs before the file's first connection.
// INFO-level worker lifecycle lines for every test would bury the test output.
Runtime.install({ logger: new DefaultLogger('WARN') });

let cached: Promise<TestTemporal> | undefined;

/** The run's dev server, for what needs a connection of its own. */
export function temporalAddress(): { address: string; namespace: string } {
  return {
    address: requireTestEnv(TEST_ENV.address),
    namespace: requireTestEnv(TEST_ENV.namespace),
  };
}

async function connect(): Promise<TestTemporal> {
  const { address, namespace } = temporalAddress();
  const [connection, clientConnection] = await Promise.all([
    NativeConnection.connect({ address }),
    Connection.connect({ address }),
  ]);
  return {
    connection,
    client: new Client({ connection: clientConnection, namespace }),
    namespace,
    address,
  };
}

/** The shared server's connections for this test file. */
export function connectTestTemporal(): Promise<TestTemporal> {
  cached ??= connect();
  return cached;
}

// Registered when a test file imports this module, so no file can forget to close: open
// connections would keep the jest worker alive after its tests.
afterAll(async () => {
  // Workers hold the native connection: stop any a suite left running before closing it
  // (jest runs a block's afterAll hooks in declaration order and this one is declared on import,
  // so it runs before the file's own top-level afterAll; those inside a describe run earlier).
  await Promise.all([...running].map((w) => w.stop()));
  if (!cached) return;
  const { connection, client } = await cached;
  cached = undefined;
  await Promise.all([connection.close(), client.connection.close()]);
});

/** A unique id for workflows and task queues: files run in parallel against one server. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Worker options for tests: connection, namespace and the pre-built workflow bundle are filled in. */
export type TestWorkerOptions = Omit<WorkerOptions, 'connection' | 'namespace'>;

type RecordWriter = Pick<ReturnType<typeof createActivities>, 'writeBatch'>;

function writesRecords(activities: TestWorkerOptions['activities']): activities is RecordWriter {
  return typeof (activities as Partial<RecordWriter> | undefined)?.writeBatch === 'function';
}

/**
 * Creates (does not run) a worker on the shared server, loading the run's workflow bundle.
 * A worker given the real activities also gets the record sinks over them, as production's
 * (worker/create-worker.ts) does, unless the test brings its own `sinks`: without them a
 * workflow loaded from its history (a restarted worker, an evicted cache) never settles the
 * read model, and the worker logs an unregistered sink instead.
 */
export async function createTestWorker(options: TestWorkerOptions): Promise<Worker> {
  const { connection, namespace } = await connectTestTemporal();
  // A test may bring its own workflows; otherwise every worker loads the run's one bundle.
  const sharedBundle = options.workflowsPath
    ? undefined
    : { codePath: requireTestEnv(TEST_ENV.workflowBundle) };
  const { activities } = options;
  return Worker.create({
    ...(writesRecords(activities) && { sinks: recordSinks(activities) }),
    ...options,
    connection,
    namespace,
    workflowBundle: options.workflowBundle ?? sharedBundle,
  });
}

export interface RunningTestWorker {
  worker: Worker;
  /** Shuts the worker down and waits for `run()` to finish (rethrowing what made it fail). */
  stop(): Promise<void>;
}

const running = new Set<RunningTestWorker>();

/** Starts a worker in the background, for suites that share one across tests (stop it in afterAll). */
export async function startTestWorker(options: TestWorkerOptions): Promise<RunningTestWorker> {
  const worker = await createTestWorker(options);
  const run = worker.run();
  // Observed by stop(); this only keeps an early failure from being an unhandled rejection.
  run.catch(() => undefined);
  const handle: RunningTestWorker = {
    worker,
    async stop() {
      running.delete(handle);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await run;
    },
  };
  running.add(handle);
  return handle;
}

/** Runs `fn` while a worker polls, then shuts the worker down; returns what `fn` returns. */
export async function withWorker<T>(
  options: TestWorkerOptions,
  fn: (worker: Worker) => Promise<T>,
): Promise<T> {
  const worker = await createTestWorker(options);
  return worker.runUntil(() => fn(worker));
}
