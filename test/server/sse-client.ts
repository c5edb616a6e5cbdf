/**
 * A Server-Sent Events reader over fetch, as a browser's EventSource would read the stream,
 * parsed by `eventsource-parser` (as the designer's client is): `id:`/`event:`/`data:` fields,
 * comments skipped. Every item it reads (each event, and the `retry:` frame) is checked against
 * the events the OpenAPI document declares for the stream (test/support/answer-check.ts): a
 * mismatch fails the test after it, like any answer that does not match the document. An app
 * of the test stack checks what its streams write as well (`inspectStream`); this reader checks
 * any server's stream (an API process of its own, a stream written by hand), and a mismatch
 * both see is reported once.
 */
import { sharedAnswerChecker, type AnswerChecker } from '../support/answer-check';
import { streamItems } from '../support/event-check';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseOptions {
  /** The checker of what the stream sends; the test file's shared one by default. */
  checker?: AnswerChecker;
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
    private readonly url: string,
    private readonly checker: AnswerChecker,
  ) {
    const stream = headers.get('content-type')?.startsWith('text/event-stream') ?? false;
    this.pump = body ? this.read(body, stream) : Promise.resolve();
  }

  static async open(
    url: string,
    headers: Record<string, string>,
    options: SseOptions = {},
  ): Promise<SseStream> {
    const abort = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: abort.signal,
    });
    const checker = options.checker ?? sharedAnswerChecker();
    return new SseStream(response.status, response.headers, response.body, abort, url, checker);
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

  /** Reads the body to its end; events only from an event stream (else a problem document). */
  private async read(body: ReadableStream<Uint8Array>, stream: boolean): Promise<void> {
    const feed = streamItems(
      (item) => this.checker.inspectEvent(this.url, item),
      ({ id, event, data }) =>
        // EventSource names an event without `event:` a `message`.
        this.events.push({ ...(id !== undefined && { id }), event: event ?? 'message', data }),
    );
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (stream) feed(value);
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
