/**
 * One durable timer for the project's earliest deadline, kept while that deadline stays the
 * same. Restarting a timer on every Update cost a start and a cancel event each time; most
 * Updates (votes, deliverables, KPIs) do not move the earliest deadline at all.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

export class DeadlineTimer {
  private armed: { at: number; scope: CancellationScope; fired: boolean } | undefined;

  /** Points the timer at `at` (epoch ms); a different instant replaces the running timer. */
  arm(at: number | undefined): void {
    if (this.armed && this.armed.at === at && !this.armed.fired) return;
    if (this.armed && !this.armed.fired) this.armed.scope.cancel();
    this.armed = undefined;
    if (at === undefined) return;
    const scope = new CancellationScope();
    const armed = { at, scope, fired: false };
    this.armed = armed;
    scope
      .run(() => sleep(Math.max(at - Date.now(), 1)))
      .then(
        () => {
          armed.fired = true;
        },
        (error: unknown) => {
          // Cancelled because the deadline moved: expected. Anything else fails the task.
          if (!isCancellation(error)) throw error;
        },
      );
  }

  /** True once the armed deadline has been reached. */
  fired(): boolean {
    return this.armed?.fired === true;
  }
}
