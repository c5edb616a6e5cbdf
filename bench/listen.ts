/** The API as production builds it (`createApp`), on a random local port, for the benches. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../config/logger';
import { createApp, type AppDeps } from '../server/app';

export interface ListeningApi {
  baseUrl: string;
  close: () => Promise<void>;
}

/** Request log lines are formatted (as in production), then dropped. */
export async function listenApp(deps: Omit<AppDeps, 'logger'>): Promise<ListeningApi> {
  const app = createApp({
    ...deps,
    logger: createLogger('gatehouse-api', 'info', { write: () => undefined }),
  });
  const server = app.listen(0, '127.0.0.1');
  // A bench's client reuses its connections after pauses of any length (a scale bench seeds
  // for many minutes between two sizes' requests): a connection the server closed after
  // Node's 5 s idle timeout, just as the client sent on it, failed a 45-minute run with
  // ECONNRESET. The benches' servers keep idle connections until closed.
  server.keepAliveTimeout = 0;
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
