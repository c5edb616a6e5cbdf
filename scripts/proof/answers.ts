/**
 * The proof's judgement of the answers its client got (README, "The proof"): 503s and lost
 * connections while a part was down are expected, a few slow actions are counted apart, and so
 * are actions Temporal itself held up (its own log says so); anything else fails the run, with
 * the API's log lines for the request.
 */
import { readFileSync } from 'node:fs';
import type { Attempt } from './client';
import type { CheckContext, Tally } from './checks';

/**
 * Slowness is not failure, up to a point: an action that takes longer than ACTION_TIMEOUT
 * with nothing down is answered 503 `project_timeout` with Retry-After, and the client's retry
 * with the same key finds it applied once. A few (the machine's own hiccups: a burst of timers,
 * a garbage collection) are allowed and counted; more than {@link SLOW_SHARE} of the requests,
 * or one action timing out more than {@link SLOW_REPEATS} times, is a failure: the system is
 * saturated or a project stalls.
 */
const SLOW_SHARE = 0.01;
const SLOW_REPEATS = 2;
/** Wrong answers shown one by one (with the API's lines); the rest are counted. */
const WRONG_SHOWN = 8;
/** Temporal's warnings named in a saturation failure, the most frequent. */
const TEMPORAL_MESSAGES = 5;

/**
 * 5xx other than 503 never; 503 and no answer only while a part was down (or its projects
 * resumed), apart from a few slow actions (see {@link SLOW_SHARE}).
 */
export function checkAnswers(
  ctx: Pick<CheckContext, 'client' | 'downWindows' | 'logFile' | 'say'>,
  tally: Tally,
): void {
  const attempts = ctx.client.attempts;
  // A request in flight when the part went down fails too: overlapping the window counts.
  const during = (a: Attempt) =>
    ctx.downWindows.some(([from, to]) => a.endedAt >= from && a.at <= to);
  const unexplained = attempts.filter(
    (a) =>
      (a.status >= 500 && a.status !== 503) || ((a.status === 503 || a.status === 0) && !during(a)),
  );
  const timedOut = unexplained.filter((a) => a.status === 503 && a.problem === 'project_timeout');
  const logs = logReader(ctx);
  // Temporal's own stalls are explained by its log, not judged as the system's slowness.
  const stalledBy = temporalStalls(logs);
  const stalled = timedOut.filter(stalledBy);
  const slow = timedOut.filter((a) => !stalled.includes(a));
  const repeats = new Map<string, number>();
  for (const a of slow) repeats.set(a.what, (repeats.get(a.what) ?? 0) + 1);
  const slowAllowed =
    slow.length <= Math.max(3, Math.floor(attempts.length * SLOW_SHARE)) &&
    [...repeats.values()].every((n) => n <= SLOW_REPEATS);
  const wrong = unexplained.filter(
    (a) => !stalled.includes(a) && !(slowAllowed && slow.includes(a)),
  );
  if (!slowAllowed) {
    tally.failures.push(
      `${slow.length} actions answered 503 project_timeout with nothing down (at most ` +
        `${Math.max(3, Math.floor(attempts.length * SLOW_SHARE))}, none more than ${SLOW_REPEATS} ` +
        `times): the system was saturated or a project stalled; ${slowSpan(logs, slow)}`,
    );
  }
  const retried = attempts.filter((a) => a.status === 503 || a.status === 0).length;
  // Rate limits are policy, not failure: the client waited as Retry-After asked.
  const throttled = attempts.filter((a) => a.status === 429).length;
  for (const a of wrong.slice(0, WRONG_SHOWN)) {
    const answer = a.status ? `${a.status} ${a.problem ?? ''}`.trimEnd() : a.error;
    const took = ((a.endedAt - a.at) / 1000).toFixed(1);
    tally.failures.push(
      `${a.what} on ${a.endpoint}: ${answer} after ${took} s at ${new Date(a.at).toISOString()}` +
        `${during(a) ? '' : ' (nothing was down)'}` +
        loggedLines(logs, a)
          .map((line) => `\n    ${a.endpoint}.log: ${line}`)
          .join(''),
    );
  }
  if (wrong.length > WRONG_SHOWN)
    tally.failures.push(`… and ${wrong.length - WRONG_SHOWN} more such answers`);
  ctx.say(
    `HTTP: ${attempts.length} requests, ${retried - timedOut.length} answered 503 or not at all ` +
      `while a part was down (retried), ${slow.length} slow (503 project_timeout with nothing ` +
      `down, retried), ${stalled.length} stalled by Temporal (its log: the project's workflow ` +
      `task not handed to matching in time; retried), ${throttled} throttled (429, retried after Retry-After), ${wrong.length} wrong`,
  );
}

/**
 * When the slow answers came, from how many projects, and what Temporal's own log complained of
 * meanwhile (its warnings and errors by message, the most frequent first): on CI the report is
 * all there is to read.
 */
function slowSpan(logs: Logs, slow: Attempt[]): string {
  const from = Math.min(...slow.map((a) => a.at));
  const to = Math.max(...slow.map((a) => a.endedAt));
  const projects = new Set(slow.map((a) => a.what.split(' ')[0])).size;
  const said = new Map<string, number>();
  for (const line of temporalLog(logs)) {
    const at = Date.parse(/"ts":"([^"]+)"/.exec(line)?.[1] ?? '');
    const msg = /"level":"(?:warn|error|fatal)".*?"msg":"([^"]+)"/.exec(line)?.[1];
    if (msg !== undefined && at >= from && at <= to) said.set(msg, (said.get(msg) ?? 0) + 1);
  }
  const top = [...said].sort((a, b) => b[1] - a[1]).slice(0, TEMPORAL_MESSAGES);
  return (
    `from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}, ${projects} ` +
    `project${projects === 1 ? '' : 's'}; Temporal's log meanwhile: ${top.map(([msg, n]) => `${n}× ${msg}`).join(', ') || 'no warning'}`
  );
}

/** A process's log lines by its name, each file read once per judgement; an Error if it cannot be. */
type Logs = (name: string) => string[] | Error;

function logReader(ctx: Pick<CheckContext, 'logFile'>): Logs {
  const read = new Map<string, string[] | Error>();
  return (name) => {
    let lines = read.get(name);
    if (lines === undefined) {
      try {
        lines = readFileSync(ctx.logFile(name), 'utf8').split('\n');
      } catch (error) {
        lines = error instanceof Error ? error : new Error(String(error));
      }
      read.set(name, lines);
    }
    return lines;
  };
}

/** Temporal's log lines; none when it cannot be read (then nothing explains a wait). */
function temporalLog(logs: Logs): string[] {
  const lines = logs('temporal');
  return lines instanceof Error ? [] : lines;
}

/** Temporal's own lines saying it could not hand a workflow's task to matching in time. */
const TEMPORAL_STALL =
  /Unable to add WorkflowTask directly to matching|"msg":"Fail to process task".*DeadlineExceeded/;

/** A stall logged this long before an action was sent still holds it up (retries follow). */
const STALL_LEAD_MS = 30_000;

/**
 * Whether a timed-out action waited on Temporal itself: while it waited (or just before), the
 * Temporal server logged that it could not hand that project's workflow task to matching (its
 * persistence timed out). The project is found from the API's line for the request.
 */
function temporalStalls(logs: Logs): (attempt: Attempt) => boolean {
  return (attempt) => {
    const project = loggedLines(logs, attempt)
      .map((line) => /"projectId":"([^"]+)"/.exec(line)?.[1])
      .find((id) => id !== undefined);
    if (project === undefined) return false;
    return temporalLog(logs).some((line) => {
      if (!line.includes(`project-${project}`) || !TEMPORAL_STALL.test(line)) return false;
      const at = Date.parse(/"ts":"([^"]+)"/.exec(line)?.[1] ?? '');
      return at >= attempt.at - STALL_LEAD_MS && at <= attempt.endedAt;
    });
  };
}

/** What the API logged under a wrong answer's request id: the cause, in the report itself. */
function loggedLines(logs: Logs, attempt: Attempt): string[] {
  if (attempt.requestId === undefined) return [];
  const log = logs(attempt.endpoint);
  if (log instanceof Error) return [`(its log cannot be read: ${String(log)})`];
  return log
    .filter((line) => line.includes(attempt.requestId!))
    .slice(0, 5)
    .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line));
}
