/**
 * A deliberately non-deterministic edit of `projectLifecycle`: it sleeps before doing what the
 * real workflow does, as a careless change would. Replaying recorded histories against it
 * must fail; that proves the replay test guards what it claims to.
 */
import { sleep } from '@temporalio/workflow';
import { projectLifecycle as real } from '../../../workflows/project-lifecycle';

export async function projectLifecycle(...args: Parameters<typeof real>): ReturnType<typeof real> {
  await sleep('1 second');
  return real(...args);
}
