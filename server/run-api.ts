/**
 * A running Gatehouse API, the same whether `gatehouse api` runs it alone or `npm start` runs it
 * beside the worker: its Temporal client, the Express app listening, and its operations port
 * (GET /metrics, never on the public port). Every part registers its stop step with the
 * process's Shutdown: stop accepting, let requests in flight finish, cut event streams after
 * `streamGraceMs`, then close Temporal.
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { TemporalConnectionOptions } from '../config';
import { serveOps } from '../process/ops-server';
import type { Shutdown } from '../process/shutdown';
import { createApp, type AppDeps } from './app';
import { ChangeHub } from './changes';
import { countQueries, createMetrics } from './metrics';
import { answerClientErrors } from './problem';
import { graceful } from './shutdown';

export interface ApiProcessOptions extends Omit<AppDeps, 'temporal' | 'metrics'> {
  temporal: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
  port: number;
  host: string;
  /** The operations port for GET /metrics (0: the OS picks); unset: no metrics endpoint. */
  metricsPort?: number;
  /** How long event streams may stay open once stopping. */
  streamGraceMs: number;
}

export interface RunningApi {
  /** The port listened on (the OS's pick for port 0). */
  port: number;
  metricsPort: number | undefined;
}

/**
 * Starts listening. Temporal is connected lazily: an API that starts while Temporal is down
 * answers `/readyz` 503 (and 503 to what needs Temporal) until it is back, instead of exiting.
 */
export async function startApi(
  options: ApiProcessOptions,
  shutdown: Shutdown,
): Promise<RunningApi> {
  const { temporal, namespace, taskQueue, port, host, metricsPort, streamGraceMs, ...deps } =
    options;
  const connection = Connection.lazy(temporal);
  shutdown.add('the API connection', () => connection.close());
  const metrics = createMetrics();
  let opsPort: number | undefined;
  if (metricsPort !== undefined) {
    const ops = await serveOps(metricsPort, {
      metrics: async () => ({
        contentType: metrics.registry.contentType,
        body: await metrics.registry.metrics(),
      }),
    });
    opsPort = ops.port;
    shutdown.add('the metrics port', () => ops.close());
  }
  // One change feed for every event stream of this process; closed after the streams are cut.
  const changes = new ChangeHub(countQueries(deps.db, metrics.dbQueries), {
    onError: (error) =>
      deps.logger
        ? deps.logger.warn({ error: String(error) }, 'live updates')
        : console.error('gatehouse: live updates', error),
  });
  shutdown.add('the change feed', () => changes.close());
  // What requests started in the background ends once the API has stopped (steps run in reverse).
  const stopping = new AbortController();
  shutdown.add('background reads', () => stopping.abort());
  const app = createApp({
    ...deps,
    temporal: { client: new Client({ connection, namespace }), taskQueue },
    metrics,
    changes,
    stopping: stopping.signal,
  });
  const server = app.listen(port, host);
  answerClientErrors(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  const http = graceful(server);
  shutdown.add('the API', () => http.close(streamGraceMs));
  return { port: (server.address() as AddressInfo).port, metricsPort: opsPort };
}
