/**
 * Parts that go down and come back, for tests of what the API and the worker say meanwhile:
 * a Temporal dev server of the test's own (SIGKILLed and restarted on the same port), and a TCP
 * proxy in front of PostgreSQL (the machine's one cluster is shared, so the test cuts the
 * road to it rather than stopping it). Both are stopped after the test file.
 */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { startProcess, type TestProcess } from './processes';

export interface OwnTemporal {
  address: string;
  /** SIGKILL: the server is gone at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (in memory: a fresh server) and waits until it answers. */
  restart(): Promise<void>;
}

/** A dev server on `port` (a free one by default), answering when this resolves. */
export async function startOwnTemporal(port?: number): Promise<OwnTemporal> {
  const cli = process.env.TEMPORAL_CLI_PATH;
  if (!cli) throw new Error('TEMPORAL_CLI_PATH is not set: run this test through `npm test`');
  const chosen = port ?? (await freePort());
  const address = `127.0.0.1:${chosen}`;
  let server: TestProcess | undefined;
  const start = async () => {
    server = startProcess(`temporal dev server ${address}`, cli, [
      'server',
      'start-dev',
      '--headless',
      '--ip',
      '127.0.0.1',
      '--port',
      String(chosen),
      '--log-level',
      'error',
      '--dynamic-config-value',
      'frontend.enableServerVersionCheck=false',
    ]);
    await answers(address, server);
  };
  await start();
  return {
    address,
    async kill() {
      await server?.kill('SIGKILL');
    },
    restart: start,
  };
}

async function answers(address: string, server: TestProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let connection: Connection | undefined;
    try {
      connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.describeNamespace({ namespace: 'default' });
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw new Error(`${address} did not answer: ${String(error)}\n${server.describe()}`);
      }
    } finally {
      await connection?.close();
    }
    await sleep(200);
  }
}

export interface TcpProxy {
  port: number;
  /** Drops every connection and refuses new ones, as a server that went away. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

/** Forwards a local port to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) {
      client.destroy();
      return;
    }
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const cut = () => {
    open = false;
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    cut,
    restore() {
      open = true;
    },
    /** Stops accepting; open connections end as their ends close them (2 s at most). */
    async close() {
      open = false;
      const closed = new Promise((resolve) => server.close(resolve));
      const deadline = Date.now() + 2_000;
      while (sockets.size > 0 && Date.now() < deadline) await sleep(20);
      cut();
      await closed;
    },
  };
}

export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
