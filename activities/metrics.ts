/**
 * The metrics port of the notification activities: each delivery attempt's channel, outcome
 * and duration. The worker process backs it with Prometheus (worker/metrics.ts); tests and
 * scripts leave it out.
 */
import { CancelledFailure } from '@temporalio/common';

export const CHANNELS = ['inbox', 'webhook', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

/** `failed`: the attempt threw (Temporal retries it unless the failure is permanent). */
export const DELIVERY_OUTCOMES = ['delivered', 'skipped', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface NotificationMetrics {
  delivery(channel: Channel, outcome: DeliveryOutcome, seconds: number): void;
  /** A record write failed for good and went to the dead-letter table. */
  deadLetter?(): void;
}

/**
 * Runs one delivery attempt and reports it: `delivered` or `skipped` by its answer, `failed`
 * when it throws. A cancelled attempt is not a channel's outcome and is not counted.
 */
export async function measured<T>(
  metrics: NotificationMetrics | undefined,
  channel: Channel,
  outcomeOf: (result: T) => DeliveryOutcome,
  attempt: () => Promise<T>,
): Promise<T> {
  if (!metrics) return attempt();
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const result = await attempt();
    metrics.delivery(channel, outcomeOf(result), seconds());
    return result;
  } catch (error) {
    if (!(error instanceof CancelledFailure)) metrics.delivery(channel, 'failed', seconds());
    throw error;
  }
}
