/**
 * What jest's global setup hands to test files. Global setup runs before jest forks its
 * workers and they inherit process.env, so plain environment variables are enough.
 */
export const TEST_ENV = {
  /** host:port of the run's Temporal dev server. */
  address: 'GATEHOUSE_TEST_TEMPORAL_ADDRESS',
  /** Namespace created on that server. */
  namespace: 'GATEHOUSE_TEST_TEMPORAL_NAMESPACE',
  /** Path of the pre-built workflow bundle (`workflowBundle: { codePath }`). */
  workflowBundle: 'GATEHOUSE_TEST_WORKFLOW_BUNDLE',
} as const;

/** Reads a variable global setup must have set; a clear error when jest ran without it. */
export function requireTestEnv(name: (typeof TEST_ENV)[keyof typeof TEST_ENV]): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: run tests through jest so test/support/global-setup.ts runs`,
    );
  }
  return value;
}
