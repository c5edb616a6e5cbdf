/**
 * What a `gatehouse` command run by a CLI test needs of the test's API stack: the environment
 * that points it at the stack's database, Temporal and task queue (where the stack's worker
 * runs), and a way to publish a template version as the PMO.
 */
import type { Template } from '../../workflows/model';
import { requireTestEnv, TEST_ENV } from '../support/env';
import { expectStatus } from '../server/drive-http';
import type { ApiStack } from '../server/stack';

/** The environment of a command run against `api`'s database, Temporal and worker. */
export function stackEnv(api: ApiStack): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: api.databaseUrl,
    TEMPORAL_ADDRESS: requireTestEnv(TEST_ENV.address),
    TEMPORAL_NAMESPACE: requireTestEnv(TEST_ENV.namespace),
    TEMPORAL_TASK_QUEUE: api.taskQueue,
  };
}

/** Saves `template` as its key's draft and publishes it, as the PMO of `token`. */
export async function publishTemplate(
  api: ApiStack,
  token: string,
  template: Template,
): Promise<void> {
  const path = `/api/templates/${template.key}`;
  expectStatus(await api.call('PUT', `${path}/draft`, { token, body: template }), 200, 'draft');
  expectStatus(await api.call('POST', `${path}/publish`, { token }), 201, 'publish');
}
