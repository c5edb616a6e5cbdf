/** Time for people: countdowns, "3 days ago", days spent in a node. Pure; `now` is passed in. */
// Said the same way by the workflow's notices: one function, in the model.
export { durationInWords } from '../../../../workflows/model';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span as its two largest units: "3d 4h", "2h 5m", "4m 10s", "12s". */
export function formatSpan(ms: number): string {
  const abs = Math.max(0, Math.abs(ms));
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  const m = Math.floor((abs % HOUR) / MINUTE);
  const s = Math.floor((abs % MINUTE) / 1000);
  if (d > 0) return h > 0 ? `${d}d ${h}h` : `${d}d`;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return s > 0 ? `${m}m ${s}s` : `${m}m`;
  return `${s}s`;
}

/** "in 3d 4h" before `at`, "2h 5m ago" after it. */
export function formatCountdown(at: number, now: number): string {
  return at >= now ? `in ${formatSpan(at - now)}` : `${formatSpan(now - at)} ago`;
}

/**
 * A span in words, rounded to its largest unit as people round it: "2 days", "1 hour",
 * "12 minutes" (a ten-day deadline set a moment ago is "10 days" away, not 9).
 */
export function spanInWords(ms: number): string {
  const abs = Math.abs(ms);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (Math.round(abs / DAY) >= 1) return unit(Math.round(abs / DAY), 'day');
  if (Math.round(abs / HOUR) >= 1) return unit(Math.round(abs / HOUR), 'hour');
  if (Math.round(abs / MINUTE) >= 1) return unit(Math.round(abs / MINUTE), 'minute');
  return 'less than a minute';
}

/**
 * A due date for people: "in 2 days", "in 5 hours", "3 days overdue"; as a `phrase` after what
 * is due ("response due in 5 hours", "response 3 days overdue"), with its "due".
 */
export function formatDue(at: number, now: number, phrase = false): string {
  if (at < now) return `${spanInWords(now - at)} overdue`;
  return `${phrase ? 'due ' : ''}in ${spanInWords(at - now)}`;
}

/** A compact local date-time: "12 Mar 2025, 14:05". */
export function formatDateTime(at: number): string {
  return new Date(at).toLocaleString(undefined, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** A compact local date: "12 Mar". */
export function formatShortDate(at: number): string {
  return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short' });
}
