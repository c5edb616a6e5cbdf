/**
 * ISO 8601 durations ("P28D", "PT2H", "PT3S"). Parsing is delegated to `tinyduration`;
 * adding one to an instant uses UTC calendar arithmetic so "P1M" means "same day next month".
 * Pure and deterministic: safe inside the workflow sandbox.
 */
import { parse, type Duration as ParsedDuration } from 'tinyduration';

export type { ParsedDuration };

/** Parses a duration, or returns undefined when the text is not ISO 8601. */
export function parseDuration(text: string): ParsedDuration | undefined {
  try {
    return parse(text);
  } catch {
    // tinyduration signals bad input by throwing; for us that is simply "not a duration".
    return undefined;
  }
}

/** True when the duration is well-formed and not negative. */
export function isDuration(text: string): boolean {
  const d = parseDuration(text);
  return d !== undefined && !d.negative;
}

/** True when the duration is well-formed and strictly greater than zero. */
export function isPositiveDuration(text: string): boolean {
  const d = parseDuration(text);
  if (d === undefined || d.negative) return false;
  return [d.years, d.months, d.weeks, d.days, d.hours, d.minutes, d.seconds].some(
    (part) => (part ?? 0) > 0,
  );
}

/** The instant `duration` after `from` (epoch ms), in UTC calendar terms. */
export function addDuration(from: number, duration: string): number {
  const d = parseDuration(duration);
  if (d === undefined) throw new RangeError(`not an ISO 8601 duration: ${duration}`);
  const sign = d.negative ? -1 : 1;
  const at = new Date(from);
  if (d.years) at.setUTCFullYear(at.getUTCFullYear() + sign * d.years);
  if (d.months) at.setUTCMonth(at.getUTCMonth() + sign * d.months);
  const days = (d.weeks ?? 0) * 7 + (d.days ?? 0);
  if (days) at.setUTCDate(at.getUTCDate() + sign * days);
  const ms = ((d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0)) * 1000;
  return at.getTime() + sign * Math.round(ms);
}

/** The instant `duration` before `from`: used for SLA reminders ("remind P2D before due"). */
export function subtractDuration(from: number, duration: string): number {
  return from - (addDuration(from, duration) - from);
}
