/**
 * A TCP proxy in front of the machine's PostgreSQL, for tests of a database that is down,
 * starting up or restarting: the cluster is shared, so the test changes the road to it rather
 * than the cluster. Three states, as a client sees a restart:
 * - `refuse()`: nothing listens on the port (ECONNREFUSED), as while PostgreSQL is stopped;
 * - `startingUp()`: every new connection is answered as PostgreSQL answers it while it
 *   recovers, `FATAL 57P03 the database system is starting up`, then closed;
 * - `open()`: connections are forwarded.
 * `cut()` closes every connection open through it, as a restart does to its clients.
 */
import net from 'node:net';

export interface PgProxy {
  port: number;
  /** `databaseUrl` with its host and port replaced by the proxy's. */
  url(databaseUrl: string): string;
  refuse(): Promise<void>;
  startingUp(): Promise<void>;
  open(): Promise<void>;
  /** Closes every connection made through the proxy (the state does not change). */
  cut(): void;
  /** How many connections are open through it now. */
  connections(): number;
  close(): Promise<void>;
}

type Mode = 'forward' | 'starting';

/** The proxy to `host:port`, refusing connections until told otherwise. */
export async function startPgProxy(host: string, port: number): Promise<PgProxy> {
  const sockets = new Set<net.Socket>();
  let mode: Mode = 'forward';
  let server: net.Server | undefined;
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const onConnection = (client: net.Socket) => {
    track(client);
    if (mode === 'starting') {
      answerStartingUp(client);
      return;
    }
    const upstream = net.connect(port, host);
    track(upstream);
    for (const socket of [client, upstream]) {
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  };
  // A free port, kept while refusing: the processes under test are told it once.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const proxyPort = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));

  const listen = async () => {
    if (server) return;
    const next = net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(proxyPort, '127.0.0.1', () => resolve());
    });
    server = next;
  };
  /**
   * Stops listening at once; connections already open stay (cut() ends them). Resolves once
   * they are all gone too (net.Server's close waits for them).
   */
  const stopListening = (): Promise<void> => {
    const current = server;
    server = undefined;
    return current
      ? new Promise<void>((resolve) => current.close(() => resolve()))
      : Promise.resolve();
  };
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };

  return {
    port: proxyPort,
    url(databaseUrl) {
      const url = new URL(databaseUrl);
      url.host = `127.0.0.1:${proxyPort}`;
      return url.toString();
    },
    async refuse() {
      void stopListening();
    },
    async startingUp() {
      mode = 'starting';
      await listen();
    },
    async open() {
      mode = 'forward';
      await listen();
    },
    cut,
    connections: () => sockets.size,
    async close() {
      const closing = stopListening();
      cut();
      await closing;
    },
  };
}

/** SSLRequest's code: the client asks for TLS before its startup message. */
const SSL_REQUEST = 80877103;

/**
 * What PostgreSQL answers a client while it is starting up (recovering): to its startup
 * message, an ErrorResponse (FATAL, SQLSTATE 57P03), then it closes the connection.
 */
function answerStartingUp(client: net.Socket): void {
  client.on('error', () => client.destroy());
  client.on('data', (chunk: Buffer) => {
    if (chunk.length >= 8 && chunk.readInt32BE(4) === SSL_REQUEST) {
      client.write('N'); // no TLS here: the client goes on in plain text
      return;
    }
    const fields = [
      ['S', 'FATAL'],
      ['V', 'FATAL'],
      ['C', '57P03'],
      ['M', 'the database system is starting up'],
    ]
      .map(([type, value]) => `${type}${value}\0`)
      .join('');
    const body = Buffer.from(`${fields}\0`);
    const header = Buffer.alloc(5);
    header.write('E', 0);
    header.writeInt32BE(body.length + 4, 1);
    client.end(Buffer.concat([header, body]));
  });
}
