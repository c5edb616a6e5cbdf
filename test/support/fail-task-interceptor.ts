/**
 * Test-only workflow interceptor: a local activity whose result carries `failTask` fails the
 * workflow task that ran it, after the activity's work is done. Tests use it to make a record
 * write happen in a workflow task attempt the history never records (test/server/record-attempts).
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      async scheduleLocalActivity(input, next) {
        const result: unknown = await next(input);
        if (typeof result === 'object' && result !== null && 'failTask' in result) {
          throw new Error('test: this workflow task fails after its record write');
        }
        return result;
      },
    },
  ],
});
