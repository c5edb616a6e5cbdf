/**
 * An incremental Server-Sent Events parser (the WHATWG "event stream" rules), free of the DOM:
 * the project view streams `GET /api/projects/:id/events` with `fetch` because `EventSource`
 * cannot send the bearer header, and feeds the decoded text here chunk by chunk.
 */

export interface SseMessage {
  /** `message` when the stream named none. */
  event: string;
  data: string;
  /** The last event id seen so far (ids persist across messages, as in EventSource). */
  lastEventId: string;
}

export class SseParser {
  /** The id to send back as `Last-Event-ID` when reconnecting. */
  lastEventId = '';
  /** Reconnection delay the server asked for with `retry:`, in ms. */
  retry: number | undefined;
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private hasData = false;
  /** A chunk ended in "\r": a "\n" starting the next chunk belongs to the same line break. */
  private pendingCr = false;

  /** Parses another chunk of text; returns the messages it completed. */
  feed(chunk: string): SseMessage[] {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    const out: SseMessage[] = [];
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.buffer);
      if (!match) break;
      const line = this.buffer.slice(0, match.index);
      const end = match.index + match[0].length;
      if (match[0] === '\r' && end === this.buffer.length) this.pendingCr = true;
      this.buffer = this.buffer.slice(end);
      const message = this.line(line);
      if (message) out.push(message);
    }
    return out;
  }

  private line(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
      default:
        // Unknown fields are ignored, as the standard says.
        break;
    }
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const message: SseMessage | undefined = this.hasData
      ? {
          event: this.event || 'message',
          data: this.data.join('\n'),
          lastEventId: this.lastEventId,
        }
      : undefined;
    this.event = '';
    this.data = [];
    this.hasData = false;
    return message;
  }
}

/** Delay before reconnect attempt `attempt` (0-based): the server's `retry`, doubled per failure, capped. */
export function reconnectDelay(attempt: number, retry = 2000, cap = 30_000): number {
  return Math.min(cap, retry * 2 ** Math.max(0, attempt));
}
