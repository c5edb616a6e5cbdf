/** A real HTTP listener on 127.0.0.1 (random port) that records webhook POSTs for tests. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the listener received it. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body. */
  body: unknown;
  /** The body as it came (what a signature covers). */
  raw: string;
  /** When it arrived (epoch ms). */
  at: number;
}

/** A running listener. */
export interface WebhookSink {
  /** `http://127.0.0.1:<port>/hook` */
  url: string;
  received: ReceivedRequest[];
  /** Answer later requests with this status (default 200), after `delayMs`, with `headers`. */
  respondWith(status: number, delayMs?: number, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** Starts a webhook sink; close it in `afterAll`. */
export async function startWebhookSink(): Promise<WebhookSink> {
  const received: ReceivedRequest[] = [];
  let answer: { status: number; delayMs: number; headers?: Record<string, string> } = {
    status: 200,
    delayMs: 0,
  };
  const pending = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
        raw: text,
        at: Date.now(),
      });
      const { status, delayMs, headers } = answer;
      const timer = setTimeout(() => {
        pending.delete(timer);
        res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end('ok');
      }, delayMs);
      pending.add(timer);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = portOf(server.address());
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    respondWith(status, delayMs = 0, headers) {
      answer = { status, delayMs, ...(headers && { headers }) };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Delayed answers would keep Jest alive after the test.
        for (const timer of pending) clearTimeout(timer);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function portOf(address: AddressInfo | string | null): number {
  if (address === null || typeof address === 'string') throw new Error('not listening on TCP');
  return address.port;
}
