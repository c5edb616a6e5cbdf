/**
 * Delivers the interpreter's effects from workflow code. Audit entries are written in order
 * by a local activity that retries until it succeeds (the trail must be complete); each
 * notification goes to the in-app inbox and, independently, to webhook and e-mail. A failing
 * channel retries on its own and never holds up the lifecycle.
 */
import {
  condition,
  log,
  proxyActivities,
  proxyLocalActivities,
  proxySinks,
  workflowInfo,
  type Sinks,
} from '@temporalio/workflow';
import type { Activities, RecordedBatch } from '../activities';
import { recordedState, SNAPSHOT_WITH_PART_BYTES, splitEffects } from './lifecycle/effects';
import type { Effects } from './lifecycle';
import { utf8Bytes } from './model/text';
import type { Notification, ProjectState } from './model';

/**
 * How long one record write may take before it is tried again. Well below 80% of the workflow
 * task timeout (WORKFLOW_TASK_TIMEOUT in ./messages), and every retry waits on a timer (a
 * command of its own), never inside the task: a task never outlives its timeout's 80% for a
 * record write, so the SDK never has to keep it alive empty, which would shift `Date.now()`
 * of its events on replay (see WORKFLOW_TASK_TIMEOUT).
 */
const RECORD_WRITE_TIMEOUT = '8s';

const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: RECORD_WRITE_TIMEOUT,
  localRetryThreshold: 0,
  // At most 10 s apart: once the database is back, the project moves again within seconds.
  retry: { initialInterval: '1s', maximumInterval: '10s', backoffCoefficient: 2 },
});

const channels = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  scheduleToCloseTimeout: '2h',
  retry: { initialInterval: '2s', maximumInterval: '10m', backoffCoefficient: 2 },
});

/** What the worker does outside the history for the workflow (worker/create-worker.ts). */
export interface RecordSinks extends Sinks {
  records: {
    /** Writes a batch now, fenced by its attempt like any record write (db/fences.ts). */
    settle(batch: RecordedBatch): void;
  };
}

const { records } = proxySinks<RecordSinks>();

type Channel = 'webhook' | 'email';
const ALL_CHANNELS: readonly Channel[] = ['webhook', 'email'];

/**
 * Patch id: the outbox is woken by `push` instead of waiting on a `condition`. A condition is
 * checked after every job of every activation and costs the SDK about five promises per batch
 * (each with a stack trace captured by its promise hook); a wake costs two. Which effects one
 * record write carries can differ when several steps land close together, so histories
 * recorded before it keep the condition.
 */
export const OUTBOX_PUSH_WAKE = 'outbox-push-wake';

export class Outbox {
  private readonly queue: Effects[] = [];
  /** Resolves the pump's wait for effects (push wake only): set while the queue is empty. */
  private wake: (() => void) | undefined;

  /**
   * @param batchBytes Most bytes of effects one record write carries (the latest state comes
   *   on top, with the last batch); unset: everything queued at once, as older runs did.
   * @param pushWake Whether `push` wakes the pump ({@link OUTBOX_PUSH_WAKE}); else a condition.
   */
  constructor(
    private readonly batchBytes?: number,
    private readonly pushWake = false,
  ) {}

  /** The latest state not yet written to the read model. */
  private snapshot: ProjectState | undefined;
  /** The latest state pushed. */
  private latest: ProjectState | undefined;
  private inFlight = 0;
  private pumping = false;

  push(effects: Effects, state: ProjectState): void {
    this.snapshot = state;
    this.latest = state;
    this.queue.push(effects);
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** True when everything queued has been written and every delivery has settled. */
  idle(): boolean {
    return this.queue.length === 0 && this.inFlight === 0 && !this.pumping;
  }

  /** Set when the workflow was loaded from its history: see {@link settleIfLoaded}. */
  private unsettled = workflowInfo().unsafe.isReplaying;

  /**
   * After the workflow was loaded from its history (a worker restart, a cache eviction, the
   * retry of a failed workflow task), once this attempt runs live and nothing is being
   * written: the latest state again, fenced by this attempt, superseding whatever an attempt
   * the history never recorded wrote after it (db/fences.ts). The read model converges to the
   * history even when no new effect follows. A sink (not called on replay), not an activity:
   * whether a load happens is no part of the history, so it must leave no trace there. For
   * the same reason it is only checked where the workflow runs anyway (never a `condition`,
   * which would change when other conditions are checked): the caller passes the state.
   */
  settleIfLoaded(state: ProjectState): void {
    if (!this.unsettled || workflowInfo().unsafe.isReplaying || !this.idle()) return;
    this.unsettled = false;
    records.settle({
      attempt: attemptTag(),
      from: { seq: state.seq, note: state.notified },
      audits: [],
      notifications: [],
      project: recordedState(state),
    });
  }

  /** Runs for the life of the workflow: drains the queue in order. */
  async run(): Promise<never> {
    for (;;) {
      // Either way the pump goes on after the activation's jobs (microtasks run after them),
      // so the effects of every step of one activation go in one write.
      if (!this.pushWake) await condition(() => this.queue.length > 0);
      else if (this.queue.length === 0) await new Promise<void>((r) => (this.wake = r));
      this.pumping = true;
      const batch = this.queue.splice(0);
      const merged: Effects = {
        audits: batch.flatMap((b) => b.audits),
        notifications: batch.flatMap((b) => b.notifications),
        texts: batch.flatMap((b) => b.texts),
        keys: batch.flatMap((b) => b.keys),
      };
      // Histories recorded before the budget wrote everything queued at once: so must replay.
      const parts =
        this.batchBytes === undefined ? [merged] : splitEffects(merged, this.batchBytes);
      // Every part of the batch begins where the batch does: a newer attempt supersedes what
      // an older one wrote from there on (db/fences.ts).
      const from = {
        seq: merged.audits[0]?.seq ?? this.snapshot!.seq,
        note: this.snapshot!.notified - merged.notifications.length,
      };
      const last = parts.at(-1)!;
      if (
        this.batchBytes !== undefined &&
        utf8Bytes(JSON.stringify(last)) > SNAPSHOT_WITH_PART_BYTES
      ) {
        // A large last part writes alone; the state follows in a write of its own.
        parts.push({ audits: [], notifications: [], texts: [], keys: [] });
      }
      for (const [i, part] of parts.entries()) {
        // The state goes with the last part: it is newer than any effect before it.
        const project = i === parts.length - 1 ? this.snapshot : undefined;
        if (project) this.snapshot = undefined;
        // (The state goes without its idempotency keys: see recordedState.)
        const recorded = await local.recordEffects({
          attempt: attemptTag(),
          from,
          audits: part.audits,
          notifications: part.notifications,
          ...(part.texts.length > 0 && { texts: part.texts }),
          ...(part.keys.length > 0 && { keys: part.keys }),
          ...(project && { project: recordedState(project) }),
        });
        // Histories recorded before channels were reported carry no answer: both were scheduled.
        const configured = recorded?.channels ?? ALL_CHANNELS;
        for (const n of part.notifications) this.deliverExternally(n, configured);
      }
      this.pumping = false;
      this.settleIfLoaded(this.latest!);
    }
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
          if (this.latest) this.settleIfLoaded(this.latest);
        });
    }
  }
}

/**
 * The workflow task attempt sending a record write, as 40 digits that compare as text: the
 * run's start, the history's length and the task's time (ms). A newer attempt of the same
 * project sorts higher: a later run starts later; within a run, the history grows with every
 * attempt that fails or completes, and attempts of a task that leave no event of their own
 * (a transient retry) start later. Computed from workflowInfo() and the workflow clock, so a
 * replay sends what the original attempt sent. Local activity inputs are not part of the
 * history: adding it changed no recorded history.
 */
export function attemptTag(): string {
  const info = workflowInfo();
  const digits = (n: number, width: number) =>
    String(Math.max(0, Math.trunc(n))).padStart(width, '0');
  return (
    digits(info.runStartTime.getTime(), 15) +
    digits(info.historyLength, 10) +
    digits(Date.now(), 15)
  );
}
