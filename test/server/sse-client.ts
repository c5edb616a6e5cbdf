/**
 * A Server-Sent Events reader over fetch, as a browser's EventSource would read the stream:
 * frames split on blank lines, `id:`/`event:`/`data:` fields, comments and `retry:` skipped.
 */

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export class SseStream {
  private readonly events: SseEvent[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private readonly pump: Promise<void>;

  private constructor(
    readonly status: number,
    readonly headers: Headers,
    body: ReadableStream<Uint8Array> | null,
    private readonly abort: AbortController,
  ) {
    this.pump = body ? this.read(body) : Promise.resolve();
  }

  static async open(url: string, headers: Record<string, string>): Promise<SseStream> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    return new SseStream(response.status, response.headers, response.body, abort);
  }

  /** The next event, or undefined when none comes within `timeoutMs` or the stream ended. */
  async next(timeoutMs = 5_000): Promise<SseEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.events.length === 0 && !this.ended && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.events.shift();
  }

  /** True once the server has closed the stream. */
  get done(): boolean {
    return this.ended;
  }

  /** Closes the stream from the client side, like `EventSource.close()`. */
  async close(): Promise<void> {
    this.abort.abort();
    await this.pump;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event) this.events.push(event);
        }
        this.waiter?.();
      }
    } catch (error) {
      // Our own abort ends the read; anything else is a broken stream the test should see.
      if (!this.abort.signal.aborted) throw error;
    } finally {
      this.ended = true;
      this.waiter?.();
    }
  }
}

/** One frame as an event; undefined for frames without data (comments, `retry:` only). */
function parseFrame(frame: string): SseEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  return { ...(id !== undefined && { id }), event, data: data.join('\n') };
}
