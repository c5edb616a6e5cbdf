/**
 * Graceful stop of the HTTP server: stop accepting, let requests in flight finish, then close.
 * Keep-alive connections would otherwise hold the process for their idle timeout, so answers
 * still to come say `Connection: close`, and idle connections are closed at once. Event streams
 * never end by themselves: whatever is still open after the grace period is cut (clients
 * reconnect elsewhere with Last-Event-ID).
 */
import type { Server, ServerResponse } from 'node:http';

export interface GracefulServer {
  /** Resolves once every connection is closed. */
  close(graceMs: number): Promise<void>;
}

/** Tracks `server`'s responses from now on; call right after `listen`. */
export function graceful(server: Server): GracefulServer {
  const open = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_req, res: ServerResponse) => {
    if (stopping) res.shouldKeepAlive = false;
    open.add(res);
    res.once('close', () => open.delete(res));
  });
  return {
    close(graceMs) {
      stopping = true;
      for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      server.closeIdleConnections();
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      return closed.finally(() => clearTimeout(cut));
    },
  };
}
