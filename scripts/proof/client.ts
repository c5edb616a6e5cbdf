/**
 * The proof's HTTP client, behaving as a real client behind a load balancer: each request goes
 * to one of the API processes the balancer has in rotation; a connection error, a timeout or a
 * 5xx is retried (on any API) with the same body and idempotency key, with backoff, until an
 * answer comes; a 429 is retried after the Retry-After it names, as a well-behaved client does. Every answer is recorded, so the checks can tell 503s while a part was down
 * from errors that should not happen.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Rng } from './rng';

const REQUEST_TIMEOUT_MS = 30_000;
const GIVE_UP_MS = 5 * 60_000;

export interface Endpoint {
  name: string;
  url: string;
  /** In the balancer's rotation (taken out while a rolling upgrade replaces it). */
  inRotation: boolean;
}

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * A request the client stopped retrying: its message names every kind of error it got (how
 * often, from which API, the last request ids), so a run that ends on it says why.
 */
export class GaveUp extends Error {
  constructor(what: string, afterMs: number, attempts: readonly Attempt[]) {
    const kinds = new Map<string, number>();
    for (const a of attempts) {
      const answer = a.status
        ? `${a.status} ${a.problem ?? ''}`.trimEnd()
        : (a.error ?? 'no answer');
      const key = `${answer} from ${a.endpoint}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    const seen = [...kinds].map(([key, n]) => `${key} ×${n}`).join(', ');
    const ids = attempts.flatMap((a) => (a.requestId ? [a.requestId] : [])).slice(-3);
    const first = attempts[0] ? new Date(attempts[0].at).toISOString() : '-';
    super(
      `${what}: no answer but errors for ${afterMs / 1000} s from ${first} ` +
        `(${attempts.length} attempts: ${seen}${ids.length ? `; last request ids ${ids.join(' ')}` : ''})`,
    );
    this.name = 'GaveUp';
  }
}

/** One attempt's outcome, for the checks. */
export interface Attempt {
  /** When it was sent and when it ended (answered or failed), epoch ms. */
  at: number;
  endedAt: number;
  endpoint: string;
  what: string;
  /** HTTP status, or 0 when no answer came (connection refused or reset, timeout). */
  status: number;
  error?: string;
  /** A 5xx's problem `code`, and the request id the API logged it under. */
  problem?: string;
  requestId?: string;
}

export class ProofClient {
  readonly attempts: Attempt[] = [];

  constructor(
    readonly endpoints: Endpoint[],
    private readonly rng: Rng,
    /** How long a request is retried before the client gives up on it. */
    private readonly giveUpMs = GIVE_UP_MS,
  ) {}

  /** Sends until an answer that is neither 5xx nor 429 (or gives up); `what` names it in the record. */
  async send(
    what: string,
    method: string,
    path: string,
    options: { token: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      // Backoff with jitter: 250 ms doubling to 4 s, unless the server named its wait.
      let wait = Math.min(4_000, 250 * 2 ** Math.min(attempt, 4)) * (0.5 + this.rng.next());
      const endpoint = this.pick();
      const at = Date.now();
      try {
        const response = await fetch(`${endpoint.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            ...(options.body !== undefined && { 'content-type': 'application/json' }),
            ...options.headers,
          },
          ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await response.text();
        this.attempts.push({
          at,
          endedAt: Date.now(),
          endpoint: endpoint.name,
          what,
          status: response.status,
          ...(response.status >= 500 && {
            problem: problemCode(text),
            requestId: response.headers.get('x-request-id') ?? undefined,
          }),
        });
        if (response.status === 429) {
          wait = retryAfterMs(response.headers.get('retry-after')) * (1 + this.rng.next());
        } else if (response.status < 500) {
          return {
            status: response.status,
            body: text === '' ? undefined : (JSON.parse(text) as unknown),
          };
        }
      } catch (error) {
        this.attempts.push({
          at,
          endedAt: Date.now(),
          endpoint: endpoint.name,
          what,
          status: 0,
          error: describe(error),
        });
      }
      if (Date.now() - started > this.giveUpMs) {
        throw new GaveUp(
          what,
          this.giveUpMs,
          this.attempts.filter((a) => a.what === what),
        );
      }
      await sleep(wait);
    }
  }

  private pick(): Endpoint {
    const live = this.endpoints.filter((e) => e.inRotation);
    const from = live.length > 0 ? live : this.endpoints;
    return from[Math.floor(this.rng.next() * from.length)]!;
  }
}

/** What a Retry-After header asks for, in ms (seconds or an HTTP date); 1 s when absent. */
function retryAfterMs(header: string | null): number {
  if (header === null) return 1_000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1_000 : Math.max(0, at - Date.now());
}

/** The `code` of a problem document, or what the body starts with when it is not one. */
function problemCode(text: string): string {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  } catch {
    // Not JSON (a proxy's page, a cut body): the start of it says more than nothing.
  }
  return JSON.stringify(text.slice(0, 80));
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause =
    error.cause instanceof Error
      ? `: ${(error.cause as NodeJS.ErrnoException).code ?? error.cause.message}`
      : '';
  return `${error.name}${cause}`;
}
