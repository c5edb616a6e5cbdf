/**
 * Errors that mean a part the API depends on is down or restarting (Temporal, the database),
 * not that the request or the code is wrong. They answer 503 with `Retry-After`, so a client
 * retries (with the same idempotency key) instead of reading a 500 as a bug.
 */
import {
  ServiceError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  isGrpcServiceError,
} from '@temporalio/client';
import { connectionFailure } from '../db';

/** gRPC status codes of a Temporal frontend that is not answering now. */
const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;
/**
 * Temporal refuses an Update while the workflow's task is failing: under overload a task that
 * times out is retried, and the Update goes through once it completes (the chaos run of `npm
 * run proof` sees it when 50 projects start at once on 2 cores).
 */
const WORKFLOW_TASK_FAILING = /workflow task in failed state/i;

/**
 * What every 503 tells a client to wait before retrying, in seconds: a part that is down or
 * restarting, an action past ACTION_TIMEOUT, an identity provider that does not answer.
 */
export const RETRY_AFTER_SECONDS = 5;

export type UnavailablePart = 'temporal' | 'database';

/** Which part is down, when `error` (or one of its causes) says one is. */
export function unavailablePart(error: unknown): UnavailablePart | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return 'temporal';
    if (isGrpcServiceError(e) && [GRPC_UNAVAILABLE, GRPC_DEADLINE_EXCEEDED].includes(e.code)) {
      return 'temporal';
    }
    if (
      isGrpcServiceError(e) &&
      [GRPC_FAILED_PRECONDITION].includes(e.code) &&
      WORKFLOW_TASK_FAILING.test(e.message)
    ) {
      return 'temporal';
    }
    // A lazy connection that cannot reach the frontend (no gRPC status yet).
    if (e instanceof ServiceError && /connect/i.test(e.message) && !e.cause) return 'temporal';
    // Temporal's failures arrive as gRPC errors (above): a bare socket error is the database's.
    if (connectionFailure(e) !== undefined) return 'database';
    e = e.cause;
  }
  return undefined;
}
