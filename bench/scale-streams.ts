/**
 * Open event streams that sit idle: how many database queries per second the API runs for
 * them. Half follow the inbox of the user in many projects, half a project's state (as the
 * PMO), so both kinds of feed are held open at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BUSY, PMO } from './scale-seed';

/** How long the streams are watched once open and settled. */
const WATCH_MS = 10_000;
const SETTLE_MS = 2_000;

export async function idleStreams(
  baseUrl: string,
  tokens: Record<string, string>,
  options: { count: number; project: string; queries: () => Promise<number> },
): Promise<number> {
  const abort = new AbortController();
  try {
    const open = Array.from({ length: options.count }, async (_, i) => {
      const [path, user] =
        i % 2 === 0
          ? ['/api/inbox/events', BUSY]
          : [`/api/projects/${options.project}/events`, PMO];
      const response = await fetch(new URL(path, baseUrl), {
        headers: { authorization: `Bearer ${tokens[user]}`, accept: 'text/event-stream' },
        signal: abort.signal,
      });
      if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status}`);
      // The first frames (retry, the current state) arrive at once; then nothing happens.
      const reader = response.body!.getReader();
      await reader.read();
      void drain(reader, abort.signal);
    });
    await Promise.all(open);
    await sleep(SETTLE_MS);
    const before = await options.queries();
    await sleep(WATCH_MS);
    return (((await options.queries()) - before) * 1000) / WATCH_MS;
  } finally {
    abort.abort();
    // The server notices the closed connections on its next tick; then the app may stop.
    await sleep(SETTLE_MS);
  }
}

/** Reads the rest of a stream until it is aborted (how these streams end); else it throws. */
async function drain(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal,
): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
