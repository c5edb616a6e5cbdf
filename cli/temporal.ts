/**
 * The Temporal connection of the commands that need one (`records repair`, `template impact`,
 * `template migrate`): a frontend that cannot be reached (down, a wrong TEMPORAL_ADDRESS, a TLS
 * or API key refusal) is the operator's to fix, so it stops with one line naming where it
 * connected, not with grpc's stack.
 */
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { CliError } from './errors';

export async function connectTemporal(options: ConnectionOptions): Promise<Connection> {
  try {
    return await Connection.connect(options);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `cannot connect to Temporal at ${options.address ?? 'localhost:7233'} (TEMPORAL_ADDRESS, …): ${why}`,
    );
  }
}
