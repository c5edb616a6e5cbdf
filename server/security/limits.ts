/**
 * Abuse limits (README "Limits"): requests per client address and per user, failed
 * authentications per address and per presented token's prefix (a guesser is slowed down
 * whichever addresses they use), and open event streams per user. Counters live in this
 * process (rate-limiter-flexible's memory store): with several API processes, each enforces
 * its limits on the requests it serves. A refusal is 429 problem+json with Retry-After.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Rate } from '../../config/variables';
import { HttpProblem } from '../problem';
import type { Limits } from './options';

/** Characters of a presented token that key its throttle: as many as a token list shows. */
export const THROTTLED_PREFIX_LENGTH = 8;

const limiter = (rate: Rate | undefined) =>
  rate && new RateLimiterMemory({ points: rate.points, duration: Math.ceil(rate.windowMs / 1000) });

export class RequestLimits {
  private readonly perAddress;
  private readonly perUser;
  private readonly failuresByAddress;
  private readonly failuresByPrefix;
  private readonly streams = new Map<string, number>();

  constructor(private readonly limits: Limits = {}) {
    this.perAddress = limiter(limits.perAddress);
    this.perUser = limiter(limits.perUser);
    this.failuresByAddress = limiter(limits.authFailures);
    this.failuresByPrefix = limiter(limits.authFailures);
  }

  /** Counts a request from `address`; 429 past the limit. */
  async request(address: string): Promise<void> {
    await consume(this.perAddress, address, 'too many requests from your address');
  }

  /** Counts a request of a signed-in user; 429 past the limit. */
  async user(userId: string): Promise<void> {
    await consume(this.perUser, userId, 'too many requests from your account');
  }

  /**
   * 429 while `address`, or the prefix of the token presented, has failed to authenticate too
   * often: the credential is not even checked then.
   */
  async assertMayAuthenticate(address: string, token: string | undefined): Promise<void> {
    for (const [store, key] of this.failureKeys(address, token)) {
      const state = await store.get(key);
      if (state && state.consumedPoints >= this.limits.authFailures!.points) {
        throw tooMany('too many failed sign-ins; wait before trying again', state.msBeforeNext);
      }
    }
  }

  /** Records a failed authentication from `address` with `token`. */
  async authenticationFailed(address: string, token: string | undefined): Promise<void> {
    for (const [store, key] of this.failureKeys(address, token)) await store.penalty(key, 1);
  }

  /**
   * Holds one of the user's event streams; 429 when they hold as many as allowed. Call the
   * returned function when the stream ends.
   */
  openStream(userId: string): () => void {
    const open = this.streams.get(userId) ?? 0;
    const cap = this.limits.streamsPerUser;
    if (cap !== undefined && open >= cap) {
      const seconds = 5;
      throw new HttpProblem(
        429,
        'too_many_streams',
        `you have ${open} event streams open already (at most ${cap}); close one first`,
        [],
        { 'Retry-After': String(seconds) },
      );
    }
    this.streams.set(userId, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.streams.get(userId) ?? 1) - 1;
      if (now <= 0) this.streams.delete(userId);
      else this.streams.set(userId, now);
    };
  }

  private failureKeys(address: string, token: string | undefined): [RateLimiterMemory, string][] {
    const keys: [RateLimiterMemory | undefined, string][] = [[this.failuresByAddress, address]];
    // A JWT's first characters are its header, the same for every token of an issuer.
    if (token !== undefined && !token.startsWith('eyJ')) {
      keys.push([this.failuresByPrefix, token.slice(0, THROTTLED_PREFIX_LENGTH)]);
    }
    return keys.filter((k): k is [RateLimiterMemory, string] => k[0] !== undefined);
  }
}

async function consume(
  store: RateLimiterMemory | undefined,
  key: string,
  message: string,
): Promise<void> {
  if (!store) return;
  try {
    await store.consume(key);
  } catch (rejection) {
    const wait = (rejection as { msBeforeNext?: unknown }).msBeforeNext;
    if (typeof wait !== 'number') throw rejection;
    throw tooMany(message, wait);
  }
}

/** 429 problem+json; Retry-After in whole seconds, at least 1. */
export function tooMany(message: string, msBeforeNext: number): HttpProblem {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new HttpProblem(429, 'too_many_requests', message, [], { 'Retry-After': String(seconds) });
}
