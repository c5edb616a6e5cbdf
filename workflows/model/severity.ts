/**
 * Hypercare issue severity as incident practice has it (ITIL, PagerDuty, Atlassian): 1 is the
 * worst. A hypercare node's `blockingSeverity: n` blocks on severity n and every more severe
 * one; the designer, the interpreter and the simulation all ask `blocksExit`.
 */
export const SEVERITIES = [
  { level: 1, name: 'Critical' },
  { level: 2, name: 'Major' },
  { level: 3, name: 'Minor' },
] as const;

/** Critical and major issues block by default. */
export const DEFAULT_BLOCKING_SEVERITY = 2;

/** The name of a severity level ("Critical"), or the number itself when out of range. */
export function severityName(level: number): string {
  return SEVERITIES.find((s) => s.level === level)?.name ?? String(level);
}

/** Whether an open issue of `severity` blocks a hypercare node with `blockingSeverity`. */
export function blocksExit(severity: number, blockingSeverity?: number): boolean {
  return severity <= (blockingSeverity ?? DEFAULT_BLOCKING_SEVERITY);
}

/**
 * A severity (or blocking threshold) of the scale Gatehouse used before (1 = minor … 3 =
 * critical, blocking "at or above"), on today's scale. The default threshold, 2, stays 2, and
 * "at or above n" on the old scale is exactly "at most 4 - n" on this one.
 */
export function fromMinorFirst(level: number): number {
  return 4 - level;
}
