/**
 * Which failures mean "a part is down, retry" (503) rather than a bug (500): Temporal not
 * answering or not reachable, a workflow whose task is failing for now, the database's
 * connection refused, cut or not to be had. Anything else stays a 500.
 */
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { Client } from 'pg';
import { unavailablePart } from '../../server/unavailable';
import { TEST_POSTGRES_URL } from '../support/databases';

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

it("counts PostgreSQL's connection slots all taken (53300) as the database unavailable", async () => {
  // A role allowed no connection at all gets the cluster's own refusal for a full house.
  const role = `gh_full_${process.pid}`;
  const admin = new Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`create role ${role} login connection limit 0`);
    const url = new URL(TEST_POSTGRES_URL);
    url.username = role;
    const refused = new Client({ connectionString: url.toString() });
    const error: unknown = await refused.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as { code?: string }).code).toBe('53300');
    expect(unavailablePart(error)).toBe('database');
  } finally {
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
  }
});
