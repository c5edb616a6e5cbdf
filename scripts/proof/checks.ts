/**
 * What the chaos run must leave behind, checked against the real parts: every project at its
 * end (the workflow closed, completed); every accepted action exactly once in the audit trail,
 * whose sequence numbers are contiguous; the read model equal to the workflow's state and each
 * participant's inbox equal to what that state asks of them; every notification delivered once
 * per channel to the real receivers; no 5xx but 503s while a part was down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import type { Kysely } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { emailMessageId } from '../../activities/format';
import { findKey, getProjectState, listAudit, type Database } from '../../db';
import { pendingActions, recordedState, type PendingAction } from '../../workflows/lifecycle';
import { projectWorkflowId, stateQuery } from '../../workflows/messages';
import type { AuditEntry, ProjectState } from '../../workflows/model';
import type { SmtpSink } from '../../test/support/smtp-sink';
import type { ReceivedRequest, WebhookSink } from '../../test/support/webhook-sink';
import { checkAnswers } from './answers';
import type { ProofClient } from './client';
import { readinessItem, type Cast, type ProjectRun } from './drive';
import { stuckDiagnosis } from './stuck';

export interface Tally {
  lost: number;
  duplicated: number;
  stuck: number;
  /** Everything else that is wrong, one line each. */
  failures: string[];
}

export interface CheckContext {
  runs: ProjectRun[];
  db: Kysely<Database>;
  temporal: Client;
  cast: Cast;
  client: ProofClient;
  webhook: WebhookSink;
  /** The workers' WEBHOOK_SECRET: every webhook that arrived must carry a valid signature. */
  webhookSecret: string;
  smtp: SmtpSink;
  /** [from, to] in ms: a part was down (a fault until its recovery), so 503s are expected. */
  downWindows: [number, number][];
  /**
   * [from, to] in ms of the faults that can cut a delivery between sending and recording it
   * (a worker killed, the database restarting): see {@link checkNotifications}.
   */
  cutWindows: [number, number][];
  /** The workers' process names: their logs' lines about a stuck project go in the report. */
  workers: string[];
  /** The log file of a process by name (an API's lines for a wrong answer go in the report). */
  logFile: (name: string) => string;
  say: (line: string) => void;
}

const SETTLE_MS = 90_000;
/** How long before a fault a delivery's first arrival may be and still have been cut by it. */
const CUT_SLACK_MS = 5_000;

export async function checkRun(ctx: CheckContext): Promise<Tally> {
  const tally: Tally = { lost: 0, duplicated: 0, stuck: 0, failures: [] };
  // The gravest findings last: a CI log is read from its tail, and a lost or stuck project's
  // lines must not scroll away behind a list of slow answers.
  checkAnswers(ctx, tally);
  await checkNotifications(ctx, tally);
  await checkProjects(ctx, tally);
  return tally;
}

async function checkProjects(ctx: CheckContext, tally: Tally): Promise<void> {
  const { db, runs, say } = ctx;
  for (const run of runs) {
    // A retried start the API did not recognise starts a second project of the same name.
    const named = await db
      .selectFrom('projects')
      .select('id')
      .where('name', '=', run.name)
      .execute();
    const extra = named.filter((p) => p.id !== run.id);
    if (extra.length > 0) {
      tally.duplicated += extra.length;
      tally.failures.push(
        `${run.name}: started ${named.length} times (${named.map((p) => p.id).join(', ')})`,
      );
      for (const p of extra) await cancelOrphan(ctx, p.id);
    }
    if (!run.id) {
      tally.stuck += 1;
      tally.failures.push(`${run.name}: never started (${run.error ?? 'no answer'})`);
      continue;
    }
    if (!named.some((p) => p.id === run.id)) {
      tally.lost += 1;
      tally.failures.push(
        `${run.name}: the API answered project ${run.id}, which the read model lacks`,
      );
      continue;
    }
    // A workflow whose tasks keep failing may not answer a query: that is the finding then.
    const state = await ctx.temporal.workflow
      .getHandle(projectWorkflowId(run.id))
      .query(stateQuery)
      .catch((error: unknown) => new Error(`its state query failed: ${String(error)}`));
    const unanswered = state instanceof Error;
    if (unanswered || !run.done || state.status !== 'completed') {
      tally.stuck += 1;
      const why = await stuckDiagnosis(
        ctx.temporal,
        run.id,
        ctx.workers.map((name) => ({ name, file: ctx.logFile(name) })),
      );
      const where = unanswered
        ? state.message
        : `${state.status} at ${state.current.join(', ') || '-'}`;
      tally.failures.push(
        `${run.name} (${run.id}): ${where}${run.error ? `: ${run.error}` : ''}` +
          why.map((line) => `\n    ${line}`).join(''),
      );
      if (unanswered) continue;
    }
    checkAudit(run, await fullAudit(db, run.id), tally);
    await checkReadModel(ctx, run.id, state, tally);
  }
  say(`checked ${runs.length} projects: state, audit trail, read model and inboxes`);
}

async function fullAudit(db: Kysely<Database>, id: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (;;) {
    const page = await listAudit(db, id, {
      limit: 1000,
      ...(entries.length && { afterSeq: entries.at(-1)!.seq }),
    });
    entries.push(...page);
    if (page.length < 1000) return entries;
  }
}

/** What tells an audit entry from others of its action by the same actor on the same node. */
function itemOf(entry: AuditEntry): string | undefined {
  if (entry.action === 'readiness.recorded') return readinessItem(entry.detail ?? {});
  const id = entry.detail?.['deliverableId'];
  return typeof id === 'string' ? id : undefined;
}

function checkAudit(run: ProjectRun, entries: AuditEntry[], tally: Tally): void {
  entries.forEach((entry, i) => {
    if (i > 0 && entry.seq !== entries[i - 1]!.seq + 1) {
      tally.failures.push(
        `${run.name}: audit sequence jumps from ${entries[i - 1]!.seq} to ${entry.seq}`,
      );
    }
  });
  for (const action of run.accepted) {
    const matches = entries.filter(
      (e) =>
        e.action === action.action &&
        e.actor === action.actor &&
        (action.nodeId === undefined || e.nodeId === action.nodeId) &&
        (action.item === undefined || itemOf(e) === action.item),
    );
    const what = `${action.action} by ${action.actor}${action.nodeId ? ` on ${action.nodeId}` : ''}${action.item ? `/${action.item}` : ''}`;
    if (matches.length === 0) {
      tally.lost += 1;
      tally.failures.push(`${run.name}: accepted ${what} is not in the audit trail`);
    } else if (matches.length > 1) {
      tally.duplicated += matches.length - 1;
      tally.failures.push(
        `${run.name}: accepted ${what} is ${matches.length} times in the audit trail`,
      );
    }
  }
}

async function checkReadModel(
  ctx: CheckContext,
  id: string,
  state: ProjectState,
  tally: Tally,
): Promise<void> {
  const stored = await getProjectState(ctx.db, id);
  // The read model keeps the idempotency keys in their own table, not in the stored state.
  const difference = firstDifference(stored, recordedState(state), '');
  if (difference !== undefined) {
    tally.failures.push(
      `project ${id}: the read model differs from the workflow's state at ${difference}`,
    );
  }
  for (const scope of Object.keys(state.keys)) {
    if (!(await findKey(ctx.db, id, scope, 0))) {
      tally.failures.push(`project ${id}: idempotency key ${scope} is not in the read model`);
    }
  }
  for (const userId of new Set(Object.values(ctx.cast.participants).flat())) {
    // The inbox is paged: every page, then this project's items.
    const all: { projectId: string }[] = [];
    let cursor: string | undefined;
    do {
      const query = `?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const answer = await ctx.client.send(`inbox of ${userId}`, 'GET', `/api/inbox${query}`, {
        token: ctx.cast.tokens[userId]!,
      });
      const page = answer.body as { items?: { projectId: string }[]; nextCursor?: string };
      all.push(...(page.items ?? []));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    // A feedback item's kind and text are the API's addition from the audit trail (the
    // workflow's pending action names the item only): compared without them.
    const items = all
      .filter((i) => i.projectId === id)
      .map(({ feedback: _feedback, ...item }: { projectId: string; feedback?: unknown }) => item);
    const expected = inInboxOrder(pendingActions(state, ctx.cast.template, userId));
    if (JSON.stringify(items) !== JSON.stringify(expected)) {
      tally.failures.push(
        `project ${id}: ${userId}'s inbox shows ${items.length} items, the workflow ${expected.length}`,
      );
    }
  }
}

/**
 * A project's pending actions as the inbox orders them: due first (none last); at equal due
 * times hypercare issues first, most severe first; then as the interpreter lists them.
 */
function inInboxOrder(actions: PendingAction[]): PendingAction[] {
  const due = (a: PendingAction) => a.dueAt ?? Number.MAX_SAFE_INTEGER;
  const rank = (a: PendingAction) => a.issue?.severity ?? 9;
  return actions
    .map((action, position) => ({ action, position }))
    .sort(
      (x, y) =>
        due(x.action) - due(y.action) || rank(x.action) - rank(y.action) || x.position - y.position,
    )
    .map((x) => x.action);
}

/** The path of the first value that differs (key order aside), or undefined when equal. */
function firstDifference(a: unknown, b: unknown, at: string): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${at || '/'} (${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)})`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${at || '/'} (array vs object)`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const found = firstDifference(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${at}/${key}`,
    );
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A duplicate's workflow would run on: cancel it (as the PMO) so the run ends clean. */
async function cancelOrphan(ctx: CheckContext, id: string): Promise<void> {
  await ctx.client.send(`cancel duplicate ${id}`, 'POST', `/api/projects/${id}/cancel`, {
    token: ctx.cast.pmo.token,
    body: { reason: 'proof: duplicate of a retried start' },
  });
}

/**
 * Every notification the inbox holds for the run's projects must reach the webhook receiver
 * once (by its idempotency-key header) and the SMTP receiver once per recipient with an
 * address (by the Message-ID activities/format.ts gives each recipient's e-mail). Deliveries
 * retry with backoff after an outage, so this waits for them to settle.
 */
/**
 * As a receiver checks a webhook when it arrives: its signature is the secret's over its id,
 * timestamp and body as received, and its timestamp is this attempt's (within a minute before
 * it arrived; the library's own check compares with now, minutes after most arrived).
 */
export function signedAtArrival(request: ReceivedRequest, secret: string): boolean {
  const header = (name: string) => String(request.headers[name] ?? '');
  const seconds = Number(header('webhook-timestamp'));
  if (!Number.isSafeInteger(seconds)) return false;
  const fresh = request.at / 1000 - seconds <= 60 && seconds - request.at / 1000 <= 5;
  const expected = new Webhook(secret).sign(
    header('webhook-id'),
    new Date(seconds * 1000),
    request.raw,
  );
  return (
    fresh &&
    header('webhook-id') !== '' &&
    header('webhook-signature').split(' ').includes(expected)
  );
}

async function checkNotifications(ctx: CheckContext, tally: Tally): Promise<void> {
  const ids = ctx.runs.flatMap((r) => (r.id ? [r.id] : []));
  const rows =
    ids.length === 0
      ? []
      : await ctx.db
          .selectFrom('inbox_items as i')
          .innerJoin('users as u', 'u.id', 'i.user_id')
          .select(['i.notification_key as key', 'i.user_id as userId', 'u.email as email'])
          .where('i.project_id', 'in', ids)
          .execute();
  const keys = [...new Set(rows.map((r) => r.key))];
  const mailsOf = new Map<string, string[]>();
  for (const row of rows) {
    if (row.email === '') continue;
    mailsOf.set(row.key, [...(mailsOf.get(row.key) ?? []), emailMessageId(row.key, row.userId)]);
  }
  const count = () => {
    const webhooks = arrivals(
      ctx.webhook.received.map((r) => [String(r.headers['idempotency-key'] ?? ''), r.at]),
    );
    const mails = arrivals(ctx.smtp.received.map((m) => [m.headers.get('message-id') ?? '', m.at]));
    const missing = keys.filter(
      (k) => !webhooks.has(k) || (mailsOf.get(k) ?? []).some((id) => !mails.has(id)),
    );
    return { webhooks, mails, missing };
  };
  const deadline = Date.now() + SETTLE_MS;
  let seen = count();
  while (seen.missing.length > 0 && Date.now() < deadline) {
    await sleep(1_000);
    seen = count();
  }
  for (const key of seen.missing) {
    const mailed = (mailsOf.get(key) ?? []).filter((id) => seen.mails.has(id)).length;
    tally.lost += 1;
    tally.failures.push(
      `notification ${key}: webhook ${seen.webhooks.get(key)?.length ?? 0}, e-mail to ${mailed} of ${mailsOf.get(key)?.length ?? 0} recipients`,
    );
  }
  // A channel's delivery is recorded right after the receiver took it (db/deliveries.ts): a
  // worker killed, or the database gone, in between leaves it unrecorded, and the retry sends
  // it again with the same key (Idempotency-Key, Message-ID) for the receiver to drop. That is
  // at-least-once, reported as redelivered; any other repeat is a duplicate.
  const cut = (at: number) =>
    ctx.cutWindows.some(([from, to]) => at >= from - CUT_SLACK_MS && at <= to);
  let duplicates = 0;
  let redelivered = 0;
  for (const key of keys) {
    for (const times of [
      seen.webhooks.get(key) ?? [],
      ...(mailsOf.get(key) ?? []).map((id) => seen.mails.get(id) ?? []),
    ]) {
      if (times.length < 2) continue;
      if (times.length === 2 && cut(times[0]!)) redelivered += 1;
      else duplicates += times.length - 1;
    }
  }
  if (duplicates > 0) {
    tally.duplicated += duplicates;
    tally.failures.push(`${duplicates} notifications delivered more than once on a channel`);
  }
  const unsigned = ctx.webhook.received.filter((r) => !signedAtArrival(r, ctx.webhookSecret));
  if (unsigned.length > 0) {
    tally.failures.push(
      `${unsigned.length} webhooks arrived without a valid, fresh Standard Webhooks signature`,
    );
  }
  ctx.say(
    `notifications: ${keys.length} sent, webhook ${ctx.webhook.received.length} received ` +
      `(${ctx.webhook.received.length - unsigned.length} signed and verified), ` +
      `e-mail ${ctx.smtp.received.length} received (${[...mailsOf.values()].flat().length} expected), ` +
      `${seen.missing.length} missing, ${duplicates} duplicated, ${redelivered} redelivered with ` +
      'the same key after a fault cut them between sending and recording',
  );
}

/** Arrival times (sorted) per key. */
function arrivals(values: [string, number][]): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const [key, at] of values) times.set(key, [...(times.get(key) ?? []), at]);
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}
