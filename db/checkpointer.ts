/**
 * Moves SQLite's WAL checkpoints off the writing thread. By default the connection that
 * commits the write crossing `wal_autocheckpoint` (1,000 pages) copies the whole log into the
 * database file and syncs it before its commit returns: with record writes of a few pages each,
 * one write in about a hundred paid for all of them, and the commit averaged a third of a
 * millisecond more than it needs to (engine bench, statement timings). A worker thread with
 * its own connection checkpoints PASSIVE instead (it never waits for readers or writers), on a
 * timer; the writing connection keeps a much higher automatic threshold as a backstop, so the
 * log stays bounded even if the thread cannot keep up.
 */
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** How often the thread checkpoints. */
const CHECKPOINT_INTERVAL_MS = 500;
/** The writing connection's own threshold (pages, ~40 MB of log at 4 KiB): a backstop. */
const BACKSTOP_PAGES = 10_000;

/** The thread's code: CommonJS, evaluated by `new Worker(…, { eval: true })`. */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { fileMustExist: true });
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error && error.message || error));
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread and closes its connection; resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts checkpointing `filename` (a WAL database `database` has open) in a worker thread.
 * `onError` hears of a checkpoint that failed; the next one tries again.
 */
export function startCheckpointer(
  database: BetterSqlite3.Database,
  filename: string,
  onError: (message: string) => void,
): Checkpointer {
  database.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      filename,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  });
  // It never keeps the process alive; a process that exits without stopping it loses nothing.
  thread.unref();
  thread.on('message', (message: string) => onError(message));
  thread.on('error', (error) => onError(error.message));
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    thread.once('exit', () => {
      // Gone by itself: the writing connection checkpoints as SQLite does by default again.
      if (!stopping && database.open) database.pragma('wal_autocheckpoint = 1000');
      resolve();
    }),
  );
  return {
    stop: () => {
      stopping = true;
      thread.postMessage('stop');
      return exited;
    },
  };
}
