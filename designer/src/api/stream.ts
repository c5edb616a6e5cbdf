/**
 * Server-Sent Events from the API, read with `fetch` (`EventSource` cannot send the bearer
 * header) and parsed by `eventsource-parser`. On a drop it reconnects with `Last-Event-ID`
 * (the server then sends only what the client missed), backing off while it fails; a 204 ends
 * the stream, as for EventSource; 401, 403, 404 and an `event: signed-out` cannot get better
 * by retrying; a refusal with `Retry-After` (429 `too_many_streams`, 503 while a part is down)
 * is tried again no sooner than it asks. Authenticated by a bearer token when given, else by
 * the session cookie.
 */
import { createParser } from 'eventsource-parser';
import { ApiError, type Problem } from './client';

export type StreamStatus = 'off' | 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed';

export interface StreamMessage {
  /** `message` when the server named none. */
  event: string;
  data: string;
  id?: string;
}

export interface StreamOptions {
  /** The stream's path, e.g. `/api/inbox/events`. */
  path: string;
  /** A bearer token; without one the browser's session cookie authenticates. */
  token?: string;
  /** Answer `'end'` to close the stream for good. */
  onMessage: (message: StreamMessage) => 'end' | void;
  onStatus: (status: StreamStatus, error?: unknown) => void;
  /** Origin of the API; the page's own by default. */
  baseUrl?: string;
}

/** The event a server sends before it closes a stream whose caller was signed out. */
const SIGNED_OUT = 'signed-out';

/** Statuses that will not get better by retrying. */
const FATAL = new Set([401, 403, 404]);

/** Delay before reconnect attempt `attempt` (0-based): the server's `retry`, doubled per failure, capped. */
export function reconnectDelay(attempt: number, retry = 2000, cap = 30_000): number {
  return Math.min(cap, retry * 2 ** Math.max(0, attempt));
}

/** What a `Retry-After` header asks (seconds or an HTTP date), in ms; undefined when absent. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Opens the stream and keeps it open; the answer closes it. */
export function openStream(options: StreamOptions): () => void {
  const { path, token, onMessage, onStatus, baseUrl = '' } = options;
  const abort = new AbortController();
  let lastEventId = '';
  let retry = 2000;
  let failures = 0;
  /** The server's Retry-After on the last refusal: the next try waits at least this long. */
  let asked: number | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const connect = async (): Promise<void> => {
    onStatus(failures === 0 && lastEventId === '' ? 'connecting' : 'reconnecting');
    let ended = false;
    let failure: unknown;
    try {
      const response = await fetch(`${baseUrl}${path}`, {
        headers: {
          accept: 'text/event-stream',
          ...(token !== undefined && { authorization: `Bearer ${token}` }),
          ...(lastEventId !== '' && { 'last-event-id': lastEventId }),
        },
        credentials: 'same-origin',
        signal: abort.signal,
      });
      if (response.status === 204) {
        onStatus('ended');
        return;
      }
      if (!response.ok || !response.body) {
        const error = new ApiError(await problemOf(response));
        if (FATAL.has(response.status)) {
          onStatus('failed', error);
          return;
        }
        asked = retryAfterMs(response.headers.get('retry-after'));
        throw error;
      }
      const parser = createParser({
        onEvent(message) {
          if (ended) return;
          if (message.event === SIGNED_OUT) {
            // The server ends a stream whose caller is no longer signed in: retrying cannot help.
            ended = true;
            failure = new Error('You are no longer signed in.');
            return;
          }
          if (message.id !== undefined) lastEventId = message.id;
          const answer = onMessage({
            event: message.event ?? 'message',
            data: message.data,
            ...(message.id !== undefined && { id: message.id }),
          });
          if (answer === 'end') ended = true;
        },
        onRetry(ms) {
          retry = ms;
        },
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      onStatus('live');
      failures = 0;
      while (!ended) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      if (ended) {
        await reader.cancel();
        onStatus(failure === undefined ? 'ended' : 'failed', failure);
        return;
      }
    } catch (error) {
      if (abort.signal.aborted) return;
      failures += 1;
      failure = error;
    }
    if (abort.signal.aborted) return;
    onStatus('reconnecting', failure);
    const delay = Math.max(reconnectDelay(Math.max(0, failures - 1), retry), asked ?? 0);
    asked = undefined;
    timer = setTimeout(() => void connect(), delay);
  };

  void connect();
  return () => {
    abort.abort();
    if (timer !== undefined) clearTimeout(timer);
  };
}

async function problemOf(response: Response): Promise<Problem> {
  const fallback: Problem = { status: response.status, title: response.statusText, errors: [] };
  try {
    const body = (await response.json()) as Partial<Problem>;
    return { ...fallback, ...body, status: response.status, errors: body.errors ?? [] };
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
    return fallback;
  }
}
