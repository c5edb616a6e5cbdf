/**
 * Which failures mean "a part is down, retry" (503) rather than a bug (500): Temporal not
 * answering or not reachable, a workflow whose task is failing for now, the database's
 * connection refused or cut. Anything else stays a 500.
 */
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { unavailablePart } from '../../server/unavailable';

const grpc = (code: number, details: string) =>
  Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });

it('tells Temporal and the database being down from everything else', () => {
  expect(
    unavailablePart(
      new ServiceError('Workflow Update failed', { cause: grpc(14, 'No connection established') }),
    ),
  ).toBe('temporal');
  expect(unavailablePart(new ServiceError('x', { cause: grpc(4, 'Deadline exceeded') }))).toBe(
    'temporal',
  );
  expect(
    unavailablePart(
      new ServiceError('Workflow Update failed', {
        cause: grpc(
          9,
          'Unable to perform workflow execution update due to Workflow Task in failed state.',
        ),
      }),
    ),
  ).toBe('temporal');
  expect(unavailablePart(new WorkflowUpdateRPCTimeoutOrCancelledError('timed out'))).toBe(
    'temporal',
  );
  expect(
    unavailablePart(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
  ).toBe('database');
  expect(
    unavailablePart(Object.assign(new Error('terminating connection'), { code: '57P01' })),
  ).toBe('database');
  expect(unavailablePart(new Error('Connection terminated unexpectedly'))).toBe('database');
  // Not a part being down: a bug, or the request's own fault, answered as before.
  expect(
    unavailablePart(new ServiceError('x', { cause: grpc(9, 'some other precondition') })),
  ).toBeUndefined();
  expect(
    unavailablePart(Object.assign(new Error('duplicate key'), { code: '23505' })),
  ).toBeUndefined();
  expect(unavailablePart(new TypeError('x is undefined'))).toBeUndefined();
});
