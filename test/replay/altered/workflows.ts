/**
 * A deliberately non-deterministic edit of each recorded workflow type (`projectLifecycle`,
 * `bulkMigration`): it sleeps before doing what the real workflow does, as a careless change
 * would. Replaying recorded histories against it must fail; that proves the replay test
 * guards what it claims to, for every workflow type it replays.
 */
import { sleep } from '@temporalio/workflow';
import { bulkMigration as realBulk } from '../../../workflows/bulk-migration';
import { projectLifecycle as real } from '../../../workflows/project-lifecycle';

export async function projectLifecycle(...args: Parameters<typeof real>): ReturnType<typeof real> {
  await sleep('1 second');
  return real(...args);
}

export async function bulkMigration(
  ...args: Parameters<typeof realBulk>
): ReturnType<typeof realBulk> {
  await sleep('1 second');
  return realBulk(...args);
}
