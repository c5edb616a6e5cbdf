/**
 * The operations port of a process, apart from anything it serves to users: `GET /metrics`
 * (Prometheus) and, for a worker, `GET /healthz`. Compose does not publish it; Prometheus and
 * the container's health check reach it on the compose network or on loopback.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HealthReport {
  healthy: boolean;
  /** What each check found (`ok` or why not), answered as JSON. */
  checks: Record<string, string>;
}

export interface OpsEndpoints {
  /** The Prometheus page. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  /** 200 with the report when healthy, 503 with it otherwise. */
  health?: () => Promise<HealthReport>;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/** Listens on `port` (0: the OS picks) at `host` (default all interfaces). */
export async function serveOps(
  port: number,
  endpoints: OpsEndpoints,
  host = '0.0.0.0',
): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const answer = async (): Promise<{ status: number; type: string; body: string }> => {
      if (req.method === 'GET' && path === '/metrics' && endpoints.metrics) {
        const page = await endpoints.metrics();
        return { status: 200, type: page.contentType, body: page.body };
      }
      if (req.method === 'GET' && path === '/healthz' && endpoints.health) {
        const report = await endpoints.health();
        return {
          status: report.healthy ? 200 : 503,
          type: 'application/json',
          body: JSON.stringify({ status: report.healthy ? 'ok' : 'unhealthy', ...report.checks }),
        };
      }
      const offered = [endpoints.metrics && 'GET /metrics', endpoints.health && 'GET /healthz'];
      return {
        status: 404,
        type: 'text/plain',
        body: `not found: try ${offered.filter(Boolean).join(' or ')}\n`,
      };
    };
    answer().then(
      // Probes and scrapes come every few seconds: no idle keep-alive connection to go stale
      // between them (a client reusing one the server has just timed out sees it closed).
      ({ status, type, body }) =>
        res.writeHead(status, { 'content-type': type, connection: 'close' }).end(body),
      (error: unknown) =>
        res
          .writeHead(500, { 'content-type': 'text/plain' })
          .end(`failed: ${error instanceof Error ? error.message : String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => closeServer(server),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve, reject) =>
    server.close((error) => (error ? reject(error) : resolve())),
  );
}

/** Rejects when `promise` does not settle within `ms` (a probe must answer). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
