/**
 * ISO 8601 durations ("P28D", "PT2H", "PT3S"). Parsing is delegated to `tinyduration`;
 * adding one to an instant uses UTC calendar arithmetic so "P1M" means "same day next month",
 * clamped to the month's last day (Jan 31 + P1M = Feb 28/29), as java.time and Temporal do.
 * Pure and deterministic: safe inside the workflow sandbox.
 */
import { parse, type Duration as ParsedDuration } from 'tinyduration';

export type { ParsedDuration };

const DAY_MS = 86_400_000;

const NUMBER = String.raw`\d+(?:[.,]\d+)?`;
/**
 * The whole text must be one ISO 8601 duration: tinyduration's own pattern is unanchored and
 * takes signed parts, so it reads "P1D2H" as P1D, "P-1D" as minus a day and "P1DT" as P1D.
 */
const ISO_DURATION = new RegExp(
  `^-?P(?!$)(?:${NUMBER}Y)?(?:${NUMBER}M)?(?:${NUMBER}W)?(?:${NUMBER}D)?` +
    `(?:T(?=\\d)(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?$`,
);

/** Parses a duration, or returns undefined when the text is not ISO 8601. */
export function parseDuration(text: string): ParsedDuration | undefined {
  if (!ISO_DURATION.test(text)) return undefined;
  try {
    return parse(text);
  } catch {
    // tinyduration signals bad input by throwing; for us that is simply "not a duration".
    return undefined;
  }
}

/**
 * True when the duration is well-formed, not negative, has whole years and months (a fraction
 * of a calendar month has no fixed length; "P1.5D" and "PT0.5S" are fine) and fits in a date.
 */
export function isDuration(text: string): boolean {
  return span(text) !== undefined;
}

/** True when the duration is valid and moves an instant forward by at least a millisecond. */
export function isPositiveDuration(text: string): boolean {
  // Measured, not read off the fields: "PT0.0001S" rounds to no time at all, and a timer
  // adding nothing would fire at once or, repeated, loop.
  return (span(text) ?? 0) > 0;
}

/** How far a valid, non-negative duration moves the epoch, in ms; undefined when invalid. */
function span(text: string): number | undefined {
  const d = parseDuration(text);
  if (d === undefined || d.negative || !wholeMonths(d)) return undefined;
  const ms = addMonths(0, months(d)) + fixedMs(d);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The instant `duration` after `from` (epoch ms), in UTC calendar terms. */
export function addDuration(from: number, duration: string): number {
  return shift(from, duration, 1);
}

/** The instant `duration` before `from`: used for SLA reminders ("remind P2D before due"). */
export function subtractDuration(from: number, duration: string): number {
  return shift(from, duration, -1);
}

/**
 * The instant `times` × `duration` after `from`, counted from `from` rather than step by step:
 * monthly from Jan 31 gives Feb 28, Mar 31, Apr 30 (chained, it would stay on the 28th).
 */
export function addDurationTimes(from: number, duration: string, times: number): number {
  if (!Number.isInteger(times) || times < 0) {
    throw new RangeError(`not a whole number of periods: ${times}`);
  }
  return shift(from, duration, times);
}

/** Calendar months first (clamping the day), then the fixed-length part, like Temporal. */
function shift(from: number, duration: string, factor: number): number {
  const d = parseDuration(duration);
  if (d === undefined || !wholeMonths(d)) {
    throw new RangeError(`not an ISO 8601 duration with whole months: ${duration}`);
  }
  const sign = factor * (d.negative ? -1 : 1);
  return addMonths(from, sign * months(d)) + sign * fixedMs(d);
}

function wholeMonths(d: ParsedDuration): boolean {
  return Number.isInteger(d.years ?? 0) && Number.isInteger(d.months ?? 0);
}

function months(d: ParsedDuration): number {
  return (d.years ?? 0) * 12 + (d.months ?? 0);
}

/** Weeks, days and time in milliseconds: in UTC a day is always 24 hours. */
function fixedMs(d: ParsedDuration): number {
  const days = (d.weeks ?? 0) * 7 + (d.days ?? 0);
  const seconds = (d.hours ?? 0) * 3600 + (d.minutes ?? 0) * 60 + (d.seconds ?? 0);
  return Math.round(days * DAY_MS + seconds * 1000);
}

function addMonths(from: number, count: number): number {
  if (count === 0) return from;
  const at = new Date(from);
  const day = at.getUTCDate();
  // Move to the 1st first so that setUTCMonth cannot overflow into the following month.
  at.setUTCDate(1);
  at.setUTCMonth(at.getUTCMonth() + count);
  const lastDay = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 0)).getUTCDate();
  at.setUTCDate(Math.min(day, lastDay));
  return at.getTime();
}

const UNITS = [
  ['years', 'year'],
  ['months', 'month'],
  ['weeks', 'week'],
  ['days', 'day'],
  ['hours', 'hour'],
  ['minutes', 'minute'],
  ['seconds', 'second'],
] as const;

/**
 * A template's ISO 8601 duration as people say it: "P7D" is "7 days", "P1M" "1 month",
 * "PT1H30M" "1 hour 30 minutes", "PT0S" "no time"; text that is no duration stays as it is.
 * The web app's words and the workflow's notices (exit-standing.ts) alike.
 */
export function durationInWords(iso: string): string {
  const parsed = parseDuration(iso);
  if (!parsed) return iso;
  const parts = UNITS.flatMap(([field, word]) => {
    const n = parsed[field] ?? 0;
    return n === 0 ? [] : [`${n} ${word}${n === 1 ? '' : 's'}`];
  });
  return parts.length === 0 ? 'no time' : parts.join(' ');
}
