/** Jest global teardown: stops the run's Temporal dev server and deletes the workflow bundle. */
import { stopTestRun } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  await stopTestRun();
}
