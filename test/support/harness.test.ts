/**
 * Smoke test of the test harness itself: the global setup's server is a real Temporal
 * frontend, and a worker loads the shared workflow bundle and polls it.
 */
import { connectTestTemporal, uniqueId, withWorker } from './temporal';

describe('test harness', () => {
  test('the dev server started by global setup answers the Temporal API', async () => {
    const { client, namespace, address } = await connectTestTemporal();
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);

    const info = await client.workflowService.getSystemInfo({});
    expect(info.serverVersion).toMatch(/^\d+\.\d+\.\d+/);

    const described = await client.workflowService.describeNamespace({ namespace });
    expect(described.namespaceInfo?.name).toBe(namespace);
  });

  test('a worker loads the shared workflow bundle and polls a unique task queue', async () => {
    const { client, namespace } = await connectTestTemporal();
    const taskQueue = uniqueId('harness');

    const pollers = await withWorker({ taskQueue }, async () => {
      // Pollers register asynchronously after run() starts; wait for the first one.
      for (let attempt = 0; attempt < 50; attempt++) {
        const { pollers } = await client.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
          taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
        });
        if (pollers.length > 0) return pollers;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return [];
    });
    expect(pollers.length).toBeGreaterThan(0);
  });
});
