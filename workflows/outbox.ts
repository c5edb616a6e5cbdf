/**
 * Delivers the interpreter's effects from workflow code. Audit entries are written in order
 * by a local activity that retries until it succeeds (the trail must be complete); each
 * notification goes to the in-app inbox and, independently, to webhook and e-mail. A failing
 * channel retries on its own and never holds up the lifecycle.
 */
import { condition, log, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { Effects } from './lifecycle';
import { utf8Bytes, type Notification, type ProjectState } from './model';

const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', maximumInterval: '1m', backoffCoefficient: 2 },
});

const channels = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '2h',
  retry: { initialInterval: '2s', maximumInterval: '10m', backoffCoefficient: 2 },
});

type Channel = 'webhook' | 'email';
const ALL_CHANNELS: readonly Channel[] = ['webhook', 'email'];

export class Outbox {
  private readonly queue: Effects[] = [];

  /**
   * @param batchBytes Most bytes of effects one record write carries (the latest state comes
   *   on top, with the last batch); unset: everything queued at once, as older runs did.
   */
  constructor(private readonly batchBytes?: number) {}

  /** The latest state not yet written to the read model. */
  private snapshot: ProjectState | undefined;
  private inFlight = 0;
  private pumping = false;

  push(effects: Effects, state: ProjectState): void {
    this.snapshot = state;
    this.queue.push(effects);
  }

  /** True when everything queued has been written and every delivery has settled. */
  idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && !this.pumping;
  }

  /** Runs for the life of the workflow: drains the queue in order. */
  async run(): Promise<never> {
    for (;;) {
      await condition(() => this.queue.length > 0);
      this.pumping = true;
      const batch = this.queue.splice(0, this.batchSize());
      const audits = batch.flatMap((b) => b.audits);
      const notifications = batch.flatMap((b) => b.notifications);
      const texts = batch.flatMap((b) => b.texts);
      const keys = batch.flatMap((b) => b.keys);
      // The state goes with the batch that empties the queue: it is newer than any before.
      const project = this.queue.length === 0 ? this.snapshot : undefined;
      if (project) this.snapshot = undefined;
      const recorded = await local.recordEffects({
        audits,
        notifications,
        ...(texts.length > 0 && { texts }),
        ...(keys.length > 0 && { keys }),
        ...(project && { project }),
      });
      // Histories recorded before channels were reported carry no answer: both were scheduled.
      const configured = recorded?.channels ?? ALL_CHANNELS;
      for (const n of notifications) this.deliverExternally(n, configured);
      this.pumping = false;
    }
  }

  /** How many queued effects the next record write takes: at least one, within the budget. */
  private batchSize(): number {
    if (this.batchBytes === undefined) return this.queue.length;
    let bytes = 0;
    let count = 0;
    for (const effects of this.queue) {
      bytes += utf8Bytes(JSON.stringify(effects));
      if (count > 0 && bytes > this.batchBytes) break;
      count += 1;
    }
    return count;
  }

  private deliverExternally(n: Notification, configured: readonly Channel[]): void {
    for (const channel of configured) {
      const deliver = channel === 'webhook' ? channels.deliverWebhook : channels.deliverEmail;
      this.inFlight += 1;
      deliver(n)
        .catch((error: unknown) => {
          // Retries are exhausted: the lifecycle goes on, the failure stays visible in the
          // workflow history and the worker log.
          log.error('notification channel failed', { channel, key: n.key, error: String(error) });
        })
        .finally(() => {
          this.inFlight -= 1;
        });
    }
  }
}
