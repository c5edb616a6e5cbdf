/**
 * What Temporal's errors mean to the API: a fault of Temporal's (it did not answer, or not in
 * time) is `503` with `Retry-After`, never a client's mistake nor a 500.
 */
import {
  ApplicationFailure,
  isGrpcDeadlineError,
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { google } from '@temporalio/proto';
import { HttpProblem } from '../problem';
import { RETRY_AFTER_SECONDS } from '../unavailable';

/** Temporal did not answer: timed out, unreachable, or refused the call as a service. */
export function isTemporalFault(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    error instanceof ServiceError ||
    isGrpcServiceError(error)
  );
}

/** The Temporal API's error detail for a workflow task that failed while it held an Update. */
const WORKFLOW_NOT_READY =
  'type.googleapis.com/temporal.api.errordetails.v1.WorkflowNotReadyFailure';

/**
 * The server dropped an Update, unapplied, because the workflow task that held it failed
 * (FAILED_PRECONDITION with a WorkflowNotReadyFailure detail; the SDK does not send it again).
 */
export function isTaskFailedUnderUpdate(error: unknown): boolean {
  const grpc = error instanceof ServiceError ? error.cause : error;
  if (!isGrpcServiceError(grpc)) return false;
  const details = grpc.metadata?.get('grpc-status-details-bin')[0];
  if (!(details instanceof Buffer)) return false;
  let status: google.rpc.Status;
  try {
    status = google.rpc.Status.decode(details);
  } catch {
    return false; // Details that are no status: not this error (the caller handles it as it is).
  }
  return status.details.some((d) => d.type_url === WORKFLOW_NOT_READY);
}

/**
 * The server rejected an Update, unapplied, because the workflow task it was delivered in
 * completed without taking it (`UnprocessedUpdate`): seen with many actions at once on one
 * project (test/server/busy-project.test.ts). Sent again under its id, it is delivered anew.
 */
export function isUnprocessedUpdate(error: unknown): boolean {
  return (
    error instanceof WorkflowUpdateFailedError &&
    error.cause instanceof ApplicationFailure &&
    error.cause.type === 'UnprocessedUpdate'
  );
}

/** An Update the server dropped unapplied: sending it again under its id applies it once. */
export function isDroppedUpdate(error: unknown): boolean {
  return isTaskFailedUnderUpdate(error) || isUnprocessedUpdate(error);
}

/** 503 with Retry-After: nothing the client did wrong, nothing lost by trying again. */
export function unavailable(error: unknown, timeoutMs: number, late = false): HttpProblem {
  const timedOut =
    late ||
    error instanceof WorkflowUpdateRPCTimeoutOrCancelledError ||
    isGrpcDeadlineError(error) ||
    (error instanceof ServiceError && isGrpcDeadlineError(error.cause));
  const dropped = isDroppedUpdate(error);
  if (!timedOut && !dropped) return temporalUnavailable(error);
  const why = isUnprocessedUpdate(error)
    ? 'left the action untaken each time'
    : 'task failed each time it held the action';
  const message = dropped
    ? `the project's workflow ${why} for ${timeoutMs / 1000} s ` +
      "(the worker's log says why); nothing was applied: retry with the same idempotencyKey"
    : `the project did not answer within ${timeoutMs / 1000} s (is a worker running?); ` +
      'an action may still be applied once one runs: retry with the same idempotencyKey';
  return new HttpProblem(
    503,
    'project_timeout',
    message,
    [],
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    error,
  );
}

/** 503 with Retry-After: Temporal itself did not answer (no worker is involved). */
export function temporalUnavailable(cause?: unknown): HttpProblem {
  return new HttpProblem(
    503,
    'temporal_unavailable',
    'Temporal cannot be reached; retry later',
    [],
    { 'Retry-After': String(RETRY_AFTER_SECONDS) },
    cause,
  );
}

export function isCompletedError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /already completed|workflow execution.*(completed|not found)/i.test(error.message)
  );
}
