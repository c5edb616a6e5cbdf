/**
 * How every Gatehouse process stops: the API (`server/main.ts`), a worker (`worker/main.ts`) and
 * the embedded default (`scripts/start.ts`). Each part registers its stop step as soon as it
 * exists; on the first stop signal the steps run last-registered first (the API before the
 * worker before Temporal before the database), each once, and a failing step does not skip the
 * rest. A part that stops on its own (a crashed worker) is a failure the process reports.
 */

export type StopStep = () => unknown;

/** Stop steps, run newest first, each once. */
export class Shutdown {
  private readonly steps: { name: string; run: StopStep }[] = [];
  private running: Promise<boolean> | undefined;

  /** `report` hears of each step that fails (it is not thrown: the other steps still run). */
  constructor(private readonly report: (message: string, error: unknown) => void) {}

  /** Registers how to stop `name`; after `run` has begun, the step runs at once. */
  add(name: string, run: StopStep): void {
    if (this.running) {
      void this.running.then(() => this.step({ name, run }));
      return;
    }
    this.steps.push({ name, run });
  }

  /** Runs every step once, newest first; resolves false when any failed. Idempotent. */
  run(): Promise<boolean> {
    this.running ??= (async () => {
      let ok = true;
      for (const step of this.steps.splice(0).reverse()) ok = (await this.step(step)) && ok;
      return ok;
    })();
    return this.running;
  }

  private async step(step: { name: string; run: StopStep }): Promise<boolean> {
    try {
      await step.run();
      return true;
    } catch (error) {
      this.report(`stopping ${step.name} failed`, error);
      return false;
    }
  }
}

export interface StopSignalOptions {
  /** Default SIGINT and SIGTERM; the embedded default adds SIGHUP (a closed terminal). */
  signals?: readonly NodeJS.Signals[];
  /**
   * Called for the same signal again later than `repeatAfterMs` after the first (an impatient
   * second Ctrl-C); sooner it is taken for the same request relayed twice (npm, a terminal).
   * Without it a repeat changes nothing: the stop is already bounded by its grace periods.
   */
  onRepeat?: (signal: NodeJS.Signals) => void;
  repeatAfterMs?: number;
}

/**
 * Resolves with the first stop signal. Listening starts at once: call it first thing, as a
 * signal that finds no listener kills the process before any part could stop cleanly.
 */
export function stopSignal(options: StopSignalOptions = {}): Promise<NodeJS.Signals> {
  const { signals = ['SIGINT', 'SIGTERM'], onRepeat, repeatAfterMs = 1_000 } = options;
  let firstAt: number | undefined;
  return new Promise((resolve) => {
    const listener = (signal: NodeJS.Signals) => {
      if (firstAt === undefined) {
        firstAt = Date.now();
        resolve(signal);
      } else if (onRepeat && Date.now() - firstAt > repeatAfterMs) {
        onRepeat(signal);
      }
    };
    for (const name of signals) process.on(name, listener);
  });
}
