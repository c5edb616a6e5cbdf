/**
 * The designer's event-stream client (designer/src/api/stream.ts) against a real local HTTP
 * server: messages split anywhere across chunks, a dropped connection resumed with
 * `Last-Event-ID`, 204 as the end, a refusal that retrying cannot fix, Retry-After, and
 * backoff.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  openStream,
  reconnectDelay,
  retryAfterMs,
  type StreamMessage,
  type StreamStatus,
} from '../../designer/src/api/stream';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, visit: number) => void;

async function serve(handler: Handler) {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    handler(req, res, seen.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Records what the client reports until `done` says so. */
function listen(
  baseUrl: string,
  done: (messages: StreamMessage[], statuses: StreamStatus[]) => boolean,
) {
  const messages: StreamMessage[] = [];
  const statuses: StreamStatus[] = [];
  let close = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`stuck: ${JSON.stringify({ messages, statuses })}`)),
      10_000,
    );
    const check = () => {
      if (done(messages, statuses)) {
        clearTimeout(timer);
        resolve();
      }
    };
    close = openStream({
      path: '/events',
      token: 'secret',
      baseUrl,
      onMessage(message) {
        messages.push(message);
        check();
        return message.event === 'end' ? 'end' : undefined;
      },
      onStatus(status) {
        statuses.push(status);
        check();
      },
    });
  });
  return { messages, statuses, finished: finished.finally(() => close()) };
}

const sse = (res: http.ServerResponse) =>
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });

it('reads messages split anywhere across chunks, with the bearer header', async () => {
  const text =
    'retry: 50\r\n\r\nid: 7\r\nevent: state\r\ndata: line one\r\ndata: line two\r\n\r\n: keep-alive\n\nevent: end\ndata: {}\n\n';
  const server = await serve((_req, res) => {
    sse(res);
    // One byte at a time: every possible split of a line and a message.
    let i = 0;
    const drip = () => {
      if (i >= text.length) return;
      res.write(text[i++]);
      setImmediate(drip);
    };
    drip();
  });
  try {
    const run = listen(server.baseUrl, (_m, s) => s.includes('ended'));
    await run.finished;
    expect(run.messages).toEqual([
      { event: 'state', data: 'line one\nline two', id: '7' },
      { event: 'end', data: '{}' },
    ]);
    expect(run.statuses).toEqual(['connecting', 'live', 'ended']);
    expect(server.seen[0]!.authorization).toBe('Bearer secret');
    expect(server.seen[0]!['last-event-id']).toBeUndefined();
  } finally {
    await server.close();
  }
});

it('resumes a dropped stream with Last-Event-ID, and stops at 204', async () => {
  const server = await serve((req, res, visit) => {
    if (visit === 1) {
      sse(res);
      res.end('retry: 20\n\nid: a1\nevent: inbox\ndata: 1\n\n');
    } else if (visit === 2) {
      sse(res);
      res.end(`id: a2\nevent: inbox\ndata: ${String(req.headers['last-event-id'])}\n\n`);
    } else {
      res.writeHead(204).end();
    }
  });
  try {
    const run = listen(server.baseUrl, (_m, s) => s.includes('ended'));
    await run.finished;
    expect(run.messages).toEqual([
      { event: 'inbox', data: '1', id: 'a1' },
      { event: 'inbox', data: 'a1', id: 'a2' },
    ]);
    expect(server.seen.map((h) => h['last-event-id'])).toEqual([undefined, 'a1', 'a2']);
    expect(run.statuses).toEqual([
      'connecting',
      'live',
      'reconnecting',
      'reconnecting',
      'live',
      'reconnecting',
      'reconnecting',
      'ended',
    ]);
  } finally {
    await server.close();
  }
});

it('gives up on a refusal retrying cannot fix, and retries what it can', async () => {
  const server = await serve((_req, res, visit) => {
    const status = visit === 1 ? 503 : 403;
    res.writeHead(status, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ title: 'no', status, errors: [] }));
  });
  try {
    const run = listen(server.baseUrl, (_m, s) => s.includes('failed'));
    await run.finished;
    expect(run.statuses).toEqual(['connecting', 'reconnecting', 'reconnecting', 'failed']);
    expect(server.seen).toHaveLength(2);
  } finally {
    await server.close();
  }
});

it('waits as long as the Retry-After of a refusal asks before trying again', async () => {
  const at: number[] = [];
  const server = await serve((_req, res, visit) => {
    at.push(Date.now());
    if (visit === 1) {
      // Longer than the 2 s the client would wait of its own accord.
      res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '3' });
      res.end(JSON.stringify({ title: 'too many', status: 429, errors: [] }));
      return;
    }
    sse(res);
    res.end('event: end\ndata: {}\n\n');
  });
  try {
    const run = listen(server.baseUrl, (m) => m.some((x) => x.event === 'end'));
    await run.finished;
    expect(run.statuses.slice(0, 3)).toEqual(['connecting', 'reconnecting', 'reconnecting']);
    expect(at).toHaveLength(2);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(2_950);
  } finally {
    await server.close();
  }
});

it('stops for good when the server says the caller was signed out', async () => {
  const server = await serve((_req, res) => {
    sse(res);
    res.write('id: 1\nevent: inbox\ndata: {}\n\nevent: signed-out\ndata: {}\n\n');
  });
  try {
    const run = listen(server.baseUrl, (_m, s) => s.includes('failed'));
    await run.finished;
    expect(run.messages).toEqual([{ event: 'inbox', data: '{}', id: '1' }]);
    expect(run.statuses).toEqual(['connecting', 'live', 'failed']);
    expect(server.seen).toHaveLength(1);
  } finally {
    await server.close();
  }
});

describe('retryAfterMs', () => {
  it('reads seconds or an HTTP date, and nothing from what is neither', () => {
    expect(retryAfterMs('5')).toBe(5_000);
    expect(retryAfterMs(new Date(61_000).toUTCString(), 1_000)).toBe(60_000);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('reconnectDelay', () => {
  it('doubles from the server retry and is capped', () => {
    expect(reconnectDelay(0, 2000)).toBe(2000);
    expect(reconnectDelay(2, 2000)).toBe(8000);
    expect(reconnectDelay(10, 2000)).toBe(30_000);
  });
});
