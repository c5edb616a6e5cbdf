/**
 * Live updates, fanned out: one change feed per API process (db/changes.ts: LISTEN/NOTIFY on
 * PostgreSQL, one journal poller on SQLite) wakes only the event streams that care about a
 * change, so a thousand idle streams cost what one does. A stream subscribes to keys (a
 * project, a user's inbox) and re-reads when one of them changed. The sign-in of every open
 * stream is checked together, in a few queries every few seconds, by {@link SignInWatch}.
 */
import type { Kysely } from 'kysely';
import {
  delegatesChangedBetween,
  listenForChanges,
  nextDelegationBoundary,
  type ChangeSource,
  type Database,
  type Heard,
} from '../db';
import type { Principal } from './auth';

/** The key of a project's state. */
export const projectKey = (id: string) => `project:${id}`;
/** The key of what a user's inbox stream shows (their notifications and to-do list). */
export const userKey = (id: string) => `user:${id}`;

/** One stream's interest; `watch` replaces its keys, `close` ends it. */
export interface Subscription {
  watch(keys: readonly string[]): void;
  close(): void;
}

export interface ChangeHubOptions {
  /** How often the SQLite journal is read. */
  pollMs?: number;
  /** Failures of the feed (it keeps going: reconnects, polls again). */
  onError?: (error: unknown) => void;
}

/** The longest a timer waits for the next delegation boundary before asking again. */
const MAX_CLOCK_MS = 3_600_000;

/**
 * The process's change feed. Its source runs while a stream subscribes (the first one starts
 * it, the last one gone stops it): with no stream open it costs nothing.
 */
export class ChangeHub {
  private readonly subscribers = new Map<Subscriber, readonly string[]>();
  private readonly byKey = new Map<string, Set<Subscriber>>();
  private source: ChangeSource | undefined;
  private stopping: Promise<void> = Promise.resolve();
  private closed = false;
  /** A delegation starting or ending changes a to-do list without a write: a timer tells. */
  private clock: NodeJS.Timeout | undefined;
  private clockFrom = 0;
  private clockRun = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ChangeHubOptions = {},
  ) {}

  /** Calls `changed` whenever one of the keys it watches may have changed. */
  subscribe(changed: () => void): Subscription {
    const subscriber: Subscriber = { changed };
    this.subscribers.set(subscriber, []);
    if (this.subscribers.size === 1) this.start();
    return {
      watch: (keys) => {
        if (!this.subscribers.has(subscriber)) return;
        this.index(subscriber, keys);
      },
      close: () => {
        if (!this.subscribers.has(subscriber)) return;
        this.index(subscriber, []);
        this.subscribers.delete(subscriber);
        if (this.subscribers.size === 0) this.stop();
      },
    };
  }

  /** Stops the feed for good (shutdown): streams still open hear of no more changes. */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.stopping;
  }

  private index(subscriber: Subscriber, keys: readonly string[]): void {
    for (const key of this.subscribers.get(subscriber) ?? []) {
      const set = this.byKey.get(key);
      set?.delete(subscriber);
      if (set?.size === 0) this.byKey.delete(key);
    }
    const unique = [...new Set(keys)];
    this.subscribers.set(subscriber, unique);
    for (const key of unique) {
      let set = this.byKey.get(key);
      if (!set) this.byKey.set(key, (set = new Set()));
      set.add(subscriber);
    }
  }

  private start(): void {
    if (this.closed || this.source) return;
    const onError = this.options.onError ?? ((e) => console.error('gatehouse: live updates', e));
    // A source still closing meanwhile may wake a stream twice: harmless, it re-reads once more.
    this.source = listenForChanges(this.db, (heard) => this.heard(heard), {
      ...(this.options.pollMs !== undefined && { pollMs: this.options.pollMs }),
      onError,
    });
  }

  private stop(): void {
    const source = this.source;
    this.source = undefined;
    clearTimeout(this.clock);
    this.clock = undefined;
    this.clockRun += 1;
    this.clockFrom = 0;
    if (source) this.stopping = this.stopping.then(() => source.close());
  }

  private heard(heard: Heard): void {
    if (heard === 'all' || heard.delegations) this.setClock();
    if (heard === 'all' || heard.users === 'all') {
      for (const subscriber of this.subscribers.keys()) subscriber.changed();
      return;
    }
    const keys = [
      ...(heard.project === undefined ? [] : [projectKey(heard.project)]),
      ...(heard.users ?? []).map(userKey),
    ];
    this.wake(keys);
  }

  private wake(keys: readonly string[]): void {
    const woken = new Set<Subscriber>();
    for (const key of keys) for (const s of this.byKey.get(key) ?? []) woken.add(s);
    for (const subscriber of woken) subscriber.changed();
  }

  /** Sets the timer for the next time a delegation starts or ends (one query). */
  private setClock(): void {
    clearTimeout(this.clock);
    const run = ++this.clockRun;
    if (this.clockFrom === 0) this.clockFrom = Date.now();
    nextDelegationBoundary(this.db, this.clockFrom).then(
      (next) => {
        if (run !== this.clockRun || !this.source) return;
        const wait = next === undefined ? MAX_CLOCK_MS : Math.min(next - Date.now(), MAX_CLOCK_MS);
        this.clock = setTimeout(() => this.tick(run), Math.max(0, wait) + 5);
        this.clock.unref();
      },
      (error: unknown) => this.options.onError?.(error),
    );
  }

  private tick(run: number): void {
    const from = this.clockFrom;
    const to = Date.now();
    delegatesChangedBetween(this.db, from, to).then(
      (delegates) => {
        if (run !== this.clockRun) return;
        this.clockFrom = to;
        this.wake(delegates.map(userKey));
        this.setClock();
      },
      (error: unknown) => {
        this.options.onError?.(error);
        if (run === this.clockRun) this.setClock();
      },
    );
  }
}

interface Subscriber {
  changed: () => void;
}

/**
 * Whether the callers of open streams are still signed in (revoked, expired, deactivated…),
 * asked for all of them together every `everyMs` (a few queries whatever their number).
 */
export class SignInWatch {
  private readonly watched = new Map<object, { principal: Principal; signedOut: () => void }>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly check: (principals: readonly Principal[]) => Promise<boolean[]>,
    private readonly everyMs: number,
    private readonly onError: (error: unknown) => void = (e) =>
      console.error('gatehouse: stream sign-in check', e),
  ) {}

  /** Calls `signedOut` once `principal` is signed in no more; the answer stops watching. */
  watch(principal: Principal, signedOut: () => void): () => void {
    const token = {};
    this.watched.set(token, { principal, signedOut });
    if (!this.timer) {
      this.timer = setInterval(() => void this.run(), this.everyMs);
      this.timer.unref();
    }
    return () => {
      this.watched.delete(token);
      if (this.watched.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  private async run(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const entries = [...this.watched.entries()];
      const valid = await this.check(entries.map(([, w]) => w.principal));
      entries.forEach(([token, w], i) => {
        if (valid[i] || !this.watched.has(token)) return;
        this.watched.delete(token);
        w.signedOut();
      });
    } catch (error) {
      // The database not answering signs nobody out; the next round asks again.
      this.onError(error);
    } finally {
      this.checking = false;
    }
  }
}
