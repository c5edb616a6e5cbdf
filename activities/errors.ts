/**
 * Retry classification. Plain errors are transient (Temporal retries them); an
 * ApplicationFailure marked non-retryable is permanent (retrying cannot help).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';

/** `type` of the non-retryable failures the activities raise (for retry policies and logs). */
export const ActivityErrorType = {
  invalidInput: 'InvalidActivityInput',
  webhookRejected: 'WebhookRejected',
  mailRejected: 'MailRejected',
} as const;

/** Parses an activity argument; a payload that does not fit the schema never will. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw ApplicationFailure.nonRetryable(
      `invalid ${what}: ${z.prettifyError(result.error)}`,
      ActivityErrorType.invalidInput,
    );
  }
  return result.data;
}

/**
 * A webhook answer that retrying will not change: 4xx means the URL or payload is wrong
 * (deleted Slack hook, 404), except 408 (timeout) and 429 (rate limit).
 */
export function isPermanentHttpStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** The reply code of an SMTP server's refusal; undefined when no server answered it. */
export function smtpReplyCode(error: unknown): number | undefined {
  return typeof error === 'object' &&
    error !== null &&
    'responseCode' in error &&
    typeof error.responseCode === 'number'
    ? error.responseCode
    : undefined;
}

/** An SMTP 5xx reply (mailbox unknown, relay denied, auth refused) is permanent; 4xx is not. */
export function isPermanentSmtpError(error: unknown): boolean {
  return (smtpReplyCode(error) ?? 0) >= 500;
}

/** The message of anything thrown. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A record write that will fail the same way however often it is retried: the input does not
 * parse (a non-retryable failure of ours), PostgreSQL refuses the data (SQLSTATE class 22,
 * data exception: a NUL, a value out of range; class 23, a constraint), or SQLite does (a
 * constraint, a datatype mismatch, a value too big). Anything else (a connection lost, a lock,
 * a serialization failure) may pass: Temporal retries it.
 */
export function isPermanentWriteError(error: unknown): boolean {
  if (error instanceof ApplicationFailure) return error.nonRetryable === true;
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  if (typeof code !== 'string') return false;
  return /^(22|23)[0-9A-Z]{3}$/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG)/.test(code);
}

/**
 * Runs `write`, and again after each of `waits` (ms) while it fails with an error that may
 * pass (not {@link isPermanentWriteError}); `retrying` hears of each failure before its wait.
 * Throws the last error. Waits are unref'd: a process that stops does not wait for them.
 */
export async function retryWrite<T>(
  write: () => Promise<T>,
  waits: readonly number[],
  retrying: (error: unknown, wait: number, attempt: number) => void,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      const wait = waits[attempt];
      if (wait === undefined || isPermanentWriteError(error)) throw error;
      retrying(error, wait, attempt + 1);
      await sleep(wait, undefined, { ref: false });
    }
  }
}
