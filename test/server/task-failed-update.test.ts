/**
 * Telling a dropped Update from other Temporal errors: the server's FAILED_PRECONDITION with a
 * WorkflowNotReadyFailure detail (the workflow task that held the Update failed) is one the API
 * sends again, and, once its time is up, answers as the project not taking the action; any other
 * detail, or none, stays what it was. The end-to-end race is in update-task-failed.test.ts.
 * So is an Update the server rejected because the task that held it did not take it
 * (`UnprocessedUpdate`); many actions at once on one project are in busy-project.test.ts.
 */
import { ApplicationFailure, ServiceError, WorkflowUpdateFailedError } from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import {
  isDroppedUpdate,
  isTaskFailedUnderUpdate,
  unavailable,
} from '../../server/routes/temporal-faults';
import { HttpProblem } from '../../server/problem';

const FAILED_PRECONDITION = 9;

/** A gRPC error as @grpc/grpc-js makes it, with `detail` as its status details. */
function grpcError(detail?: { type: string; value: Uint8Array } | Buffer) {
  const bin =
    detail === undefined || Buffer.isBuffer(detail)
      ? detail
      : Buffer.from(
          google.rpc.Status.encode({
            code: FAILED_PRECONDITION,
            message: 'Unable to perform workflow execution update',
            details: [{ type_url: `type.googleapis.com/${detail.type}`, value: detail.value }],
          }).finish(),
        );
  return Object.assign(new Error('9 FAILED_PRECONDITION: Unable to perform'), {
    code: FAILED_PRECONDITION,
    details: 'Unable to perform workflow execution update',
    metadata: { get: (key: string) => (key === 'grpc-status-details-bin' && bin ? [bin] : []) },
  });
}

const notReady = {
  type: 'temporal.api.errordetails.v1.WorkflowNotReadyFailure',
  value: temporal.api.errordetails.v1.WorkflowNotReadyFailure.encode({}).finish(),
};
const otherDetail = {
  type: 'temporal.api.errordetails.v1.NamespaceInvalidStateFailure',
  value: temporal.api.errordetails.v1.NamespaceInvalidStateFailure.encode({}).finish(),
};

it('knows a dropped Update by its detail, bare or as the SDK wraps it', () => {
  expect(isTaskFailedUnderUpdate(grpcError(notReady))).toBe(true);
  const wrapped = new ServiceError('Workflow Update failed', { cause: grpcError(notReady) });
  expect(isTaskFailedUnderUpdate(wrapped)).toBe(true);
});

it('leaves other errors as they are', () => {
  expect(isTaskFailedUnderUpdate(grpcError(otherDetail))).toBe(false);
  expect(isTaskFailedUnderUpdate(grpcError())).toBe(false);
  expect(isTaskFailedUnderUpdate(grpcError(Buffer.from([0xff, 0xff, 0xff])))).toBe(false);
  expect(isTaskFailedUnderUpdate(new Error('workflow is closing'))).toBe(false);
  const problem = unavailable(grpcError(otherDetail), 10_000);
  expect(problem).toMatchObject({ status: 503, code: 'temporal_unavailable' });
});

it('answers an Update dropped until time ran out as the project not taking it', () => {
  const problem = unavailable(grpcError(notReady), 10_000);
  expect(problem).toBeInstanceOf(HttpProblem);
  expect(problem).toMatchObject({ status: 503, code: 'project_timeout' });
  expect(problem.message).toMatch(/workflow task failed each time.*nothing was applied/);
  expect(problem.headers).toEqual({ 'Retry-After': '5' });
});

/** The SDK's error for an Update the server rejected, unapplied, as not processed. */
const unprocessed = () =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({
      type: 'UnprocessedUpdate',
      message: "Workflow Update is rejected because it wasn't processed by worker.",
    }),
  );

it('knows an Update the workflow task did not take, and no other failed Update', () => {
  expect(isDroppedUpdate(unprocessed())).toBe(true);
  expect(isDroppedUpdate(grpcError(notReady))).toBe(true);
  const refused = ApplicationFailure.create({ type: 'Rejection', message: 'not a signer' });
  expect(isDroppedUpdate(new WorkflowUpdateFailedError('Workflow Update failed', refused))).toBe(
    false,
  );
  const problem = unavailable(unprocessed(), 10_000);
  expect(problem).toMatchObject({ status: 503, code: 'project_timeout' });
  expect(problem.message).toMatch(/left the action untaken each time.*nothing was applied/);
});
