/**
 * The app over a stack's database with a Temporal client whose server is gone (every call
 * fails until its time limit), served on a real port: what the API does while Temporal is out
 * of reach.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../server/app';
import { withAnswerCheck } from '../support/answer-check';
import type { ApiStack } from './stack';

/** Runs `use` with the base URL of such an app (`limitMs`: its `ACTION_TIMEOUT`). */
export async function withTemporalUnreachable<T>(
  api: Pick<ApiStack, 'db' | 'taskQueue'>,
  limitMs: number,
  use: (base: string) => Promise<T>,
): Promise<T> {
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = createApp(
    withAnswerCheck({
      db: api.db,
      temporal: { client: new Client({ connection }), taskQueue: api.taskQueue },
      actionTimeoutMs: limitMs,
      log: () => undefined,
    }),
  );
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    // Not closed: the calls the API gave up on keep retrying on their own timers, and a retry
    // that meets a closed channel throws from its timer ("Channel has been shut down"). The
    // channel reaches nothing and ends with the process.
    void connection;
  }
}
