/**
 * Notification and audit activities (STYLE §5): built by a factory from injected ports so
 * tests hand in real local sinks. Each is idempotent by a key, because Temporal delivers
 * activities at least once: audit by (projectId, seq), inbox by (key, user), webhook and
 * e-mail by (key, channel) in the delivery log, written only after the channel accepted.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../db/audit';
import { collectChanges } from '../db/changes';
import { inTransaction } from '../db/database';
import { recordDelivery, wasDelivered, type DeliveryChannel } from '../db/deliveries';
import { insertInboxItems } from '../db/inbox';
import type { Database } from '../db/schema';
import { delegatesOf } from '../db/delegations';
import type { User } from '../db/records';
import { getUsersByIds } from '../db/users';
import { withPeopleNamed } from '../workflows/model/people';
import { AuditEntry, Notification, ProjectState } from '../workflows/model/state';
import { KeyRecord, StoredText } from '../workflows/model/results';
import { upsertProjectSnapshot } from '../db/projects';
import { publishedTemplates } from '../db/open-actions';
import { insertTexts } from '../db/texts';
import { insertKeys, keyPurge } from '../db/keys';
import { settleAppliedMigrations } from '../db/migration-settle';
import { insertDeadLetter } from '../db/dead-letters';
import { fenceRecords, type RecordAttempt } from '../db/fences';
import {
  ActivityErrorType,
  isPermanentHttpStatus,
  isPermanentSmtpError,
  isPermanentWriteError,
  messageOf,
  retryWrite,
  parseInput,
} from './errors';
import { emailMessage, linkOf, webhookBody, type WebhookFormat } from './format';
import { createFetchHttp, type HttpClient } from './http';
import { contextLogger, type ActivityLogger } from './log';
import type { Mailer } from './mailer';
import { createMigrationActivities, type MigrateProject } from './migration';
import { measured, type DeliveryOutcome, type NotificationMetrics } from './metrics';

/** What the activities need; channels left out are skipped. */
export interface ActivityDeps {
  db: Kysely<Database>;
  /** E-mail channel (see `createSmtpMailer`); without it e-mail is skipped. */
  mailer?: Mailer;
  /** Defaults to `fetch` with a timeout. */
  http?: HttpClient;
  /** Webhook channel; without it webhooks are skipped. */
  webhookUrl?: string;
  /** Sender of notification e-mails; defaults to the mailer's own. */
  mailFrom?: string;
  /**
   * The workspace's public base URL (`GATEHOUSE_PUBLIC_URL`): e-mails and webhooks link to
   * the exact place to act under it. Without it they carry no link.
   */
  publicUrl?: string;
  /** The webhook's payload: Slack-compatible blocks (default) or a Teams Adaptive Card. */
  webhookFormat?: WebhookFormat;
  log?: ActivityLogger;
  /** Counts and times each delivery attempt by channel and outcome (the worker's /metrics). */
  metrics?: NotificationMetrics;
  /** Sends a project's `migrate` Update (a bulk migration's activity); without it, none runs. */
  migrateProject?: MigrateProject;
}

/** What `recordEffects` answers: the outbound channels this worker has configured. */
export interface RecordedEffects {
  channels: ('webhook' | 'email')[];
}

/** Outcome of an outbound channel: `delivered` when this call sent it. */
export interface DeliveryResult {
  delivered: boolean;
  /** Why nothing was sent: channel not configured, already sent, or nobody to send it to. */
  skipped?: 'not-configured' | 'duplicate' | 'no-recipients';
}

const AuditEntries = z.array(AuditEntry);
const StoredTexts = z.array(StoredText);
/**
 * What a record write checks of the state its own workflow hands it: the version and what it
 * stores in columns. The rest is the interpreter's output, which the property tests hold to
 * `ProjectState` after every kind of action (test/db/open-actions-property.test.ts); parsing
 * all of it again on every write was a fifth of the write's CPU. A batch from anywhere else (a
 * dead letter written again by `records repair`) is parsed whole.
 */
const SnapshotColumns = ProjectState.pick({
  version: true,
  id: true,
  name: true,
  template: true,
  status: true,
  current: true,
  participants: true,
  startedBy: true,
  startedAt: true,
  updatedAt: true,
  endedAt: true,
  seq: true,
}).loose();
const KeyRecords = z.array(KeyRecord);
const Attempt = z.object({
  attempt: z.string().regex(/^\d{40}$/),
  from: z.object({ seq: z.number().int(), note: z.number().int() }),
});

/** What the workflow asks `recordEffects` to write, in one transaction. */
export interface RecordedBatch {
  audits: AuditEntry[];
  notifications: Notification[];
  texts?: StoredText[];
  keys?: KeyRecord[];
  project?: ProjectState;
  /**
   * The workflow task attempt that sends the batch (workflows/outbox.ts: grows with every
   * attempt) and where the batch begins; absent in batches of older workflow code, which
   * are written unfenced. See db/fences.ts.
   */
  attempt?: string;
  from?: RecordAttempt['from'];
}

/** Builds the activities; register the result with the worker (`activities: …`). */
export function createActivities(deps: ActivityDeps) {
  const { db, mailer, webhookUrl, mailFrom, publicUrl, webhookFormat = 'slack' } = deps;
  const http = deps.http ?? createFetchHttp();
  const log = deps.log ?? contextLogger;
  // The snapshots' open actions need the project's published version: read once per version.
  const templates = publishedTemplates();
  const purgeExpiredKeys = keyPurge();

  /** Appends entries to the audit trail; entries already stored are skipped. */
  async function recordAudit(
    entries: AuditEntry[],
    into: Kysely<Database> = db,
    attempt?: string,
  ): Promise<void> {
    await appendAudit(into, parseInput(AuditEntries, entries, 'audit entries'), attempt);
  }

  /** Puts the notification into each recipient's in-app inbox, once per recipient. */
  async function deliverInbox(
    notification: Notification,
    into: Kysely<Database> = db,
    at?: RecordAttempt,
  ): Promise<DeliveryResult> {
    const n = parseInput(Notification, notification, 'notification');
    const users = await getUsersByIds(into, n.recipients);
    if (users.length < new Set(n.recipients).size) {
      // An inbox belongs to a user row; a recipient without one would fail every retry.
      const known = new Set(users.map((user) => user.id));
      const unknown = n.recipients.filter((id) => !known.has(id));
      log.warn('inbox: recipients that are not users were skipped', {
        projectId: n.projectId,
        key: n.key,
        unknown,
      });
    }
    const userIds = users.map((user) => user.id);
    await insertInboxItems(into, n, userIds, at);
    return userIds.length > 0
      ? { delivered: true }
      : { delivered: false, skipped: 'no-recipients' };
  }

  /**
   * Records that `key` went out on `channel`. The message has left: failing the activity now
   * would send it again on the retry, so a write that may pass (the database restarting, its
   * connections all taken) is tried again here first, for about 15 s.
   */
  async function recordSent(key: string, channel: DeliveryChannel): Promise<void> {
    await retryWrite(
      () => recordDelivery(db, key, channel),
      [500, 1_000, 2_000, 4_000, 8_000],
      (error, wait) =>
        log.warn(`${channel} sent but not yet recorded; trying again in ${wait} ms`, {
          key,
          error: messageOf(error),
        }),
    );
  }

  /** `n` with the people it mentions by name (workflows/model/people.ts). */
  async function named(n: Notification): Promise<Notification> {
    if (!n.people?.length) return n;
    const names = new Map((await getUsersByIds(db, n.people)).map((u) => [u.id, u.name]));
    return withPeopleNamed(n, (id) => names.get(id));
  }

  /** POSTs the notification to the webhook; throws on failure so Temporal retries. */
  async function deliverWebhook(notification: Notification): Promise<DeliveryResult> {
    const n = await named(parseInput(Notification, notification, 'notification'));
    if (webhookUrl === undefined || webhookUrl === '') {
      return { delivered: false, skipped: 'not-configured' };
    }
    if (await wasDelivered(db, n.key, 'webhook')) return { delivered: false, skipped: 'duplicate' };
    const users = webhookFormat === 'slack' ? await getUsersByIds(db, n.recipients) : [];
    const payload = webhookBody(webhookFormat, n, users, linkOf(n, publicUrl));
    // Messages never include the URL: webhook URLs (Slack's) are secrets.
    let status: number;
    try {
      ({ status } = await http.post(webhookUrl, payload, { 'idempotency-key': n.key }));
    } catch (error) {
      // A cancelled activity must end as cancelled, not as a failed (and retried) delivery.
      if (error instanceof CancelledFailure) throw error;
      throw new Error(`webhook unreachable: ${messageOf(error)}`, { cause: error });
    }
    if (status < 200 || status >= 300) {
      const message = `webhook answered HTTP ${status}`;
      if (isPermanentHttpStatus(status)) {
        throw ApplicationFailure.nonRetryable(message, ActivityErrorType.webhookRejected);
      }
      throw new Error(message);
    }
    await recordSent(n.key, 'webhook');
    log.info('webhook delivered', { projectId: n.projectId, key: n.key, status });
    return { delivered: true };
  }

  /**
   * Sends each recipient with an address an e-mail of their own, with the link to act. Each
   * one is recorded as sent when the server took it, so a retry after a failure part-way
   * sends only the rest; throws on SMTP failure.
   */
  async function deliverEmail(notification: Notification): Promise<DeliveryResult> {
    const n = await named(parseInput(Notification, notification, 'notification'));
    if (mailer === undefined) return { delivered: false, skipped: 'not-configured' };
    // Whoever stands in for a recipient (out of office) gets a copy, as in the in-app inbox:
    // an away approver's escalations reach someone who reads their e-mail.
    const copies = await delegatesOf(db, n.recipients, n.projectId, n.at);
    const people = await getUsersByIds(db, [
      ...n.recipients,
      ...copies.flatMap((c) => [c.delegateId, c.delegatorId]),
    ]);
    const byId = new Map(people.map((user) => [user.id, user]));
    const standIns = new Map(copies.map((c) => [c.delegateId, byId.get(c.delegatorId)]));
    const users = [...new Set([...n.recipients, ...standIns.keys()])]
      .map((id) => byId.get(id))
      .filter((user): user is User => user !== undefined && user.email !== '');
    if (users.length === 0) return { delivered: false, skipped: 'no-recipients' };
    const link = linkOf(n, publicUrl);
    let sent = 0;
    // A recipient the server refuses for good does not keep the others from their e-mail.
    const refused: string[] = [];
    for (const user of users) {
      const key = `${n.key}:${user.id}`;
      if (await wasDelivered(db, key, 'email')) continue;
      const standingInFor = standIns.get(user.id);
      try {
        await mailer.send(emailMessage(n, user, mailFrom, link, standingInFor));
      } catch (error) {
        const message = `e-mail not sent: ${messageOf(error)}`;
        if (!isPermanentSmtpError(error)) throw new Error(message, { cause: error });
        refused.push(message);
        continue;
      }
      await recordSent(key, 'email');
      sent += 1;
    }
    if (refused.length > 0) {
      const message = `${refused.length} of ${users.length} refused: ${refused.join('; ')}`;
      throw ApplicationFailure.nonRetryable(message, ActivityErrorType.mailRejected);
    }
    if (sent === 0) return { delivered: false, skipped: 'duplicate' };
    log.info('e-mail delivered', { projectId: n.projectId, key: n.key, recipients: sent });
    return { delivered: true };
  }

  /**
   * Writes a batch in the transaction `trx`; throws on any failure (nothing stays written).
   * A batch of an attempt is fenced first (db/fences.ts): a stale one writes nothing.
   */
  async function writeBatch(
    effects: RecordedBatch,
    trx: Kysely<Database>,
    source: 'workflow' | 'stored',
  ): Promise<void> {
    // The batch's notifications and snapshot wake the event streams with one change record.
    await collectChanges(trx, () => writeBatchParts(effects, trx, source));
  }

  async function writeBatchParts(
    effects: RecordedBatch,
    trx: Kysely<Database>,
    source: 'workflow' | 'stored',
  ): Promise<void> {
    const at =
      effects.attempt === undefined && effects.from === undefined
        ? undefined
        : parseInput(Attempt, { attempt: effects.attempt, from: effects.from }, 'record attempt');
    if (at) {
      const projectId = projectOf(effects);
      if ((await fenceRecords(trx, projectId, at)) === 'stale') {
        (log.debug ?? log.info).call(log, 'record write of an older attempt skipped', {
          projectId,
          attempt: at.attempt,
          audits: effects.audits.map((a) => a.seq),
        });
        return;
      }
    }
    if (effects.audits.length > 0) await recordAudit(effects.audits, trx, at?.attempt);
    if (effects.texts?.length)
      await insertTexts(trx, parseInput(StoredTexts, effects.texts, 'texts'));
    if (effects.keys?.length) {
      const keys = parseInput(KeyRecords, effects.keys, 'idempotency keys');
      await insertKeys(trx, keys, at);
      await purgeExpiredKeys(trx);
      // A bulk migration's Update may land after its job gave the project up: its key says so.
      await settleAppliedMigrations(trx, keys, at);
    }
    for (const n of effects.notifications) await inbox(n, trx, at);
    if (effects.project !== undefined) {
      const state =
        source === 'workflow'
          ? (parseInput(SnapshotColumns, effects.project, 'project state') as ProjectState)
          : parseInput(ProjectState, effects.project, 'project state');
      await upsertProjectSnapshot(trx, state, { ...(at && { attempt: at.attempt }), templates });
    }
  }

  /**
   * One local-activity round trip per workflow change, in one transaction: the audit entries
   * in order, the long texts and idempotency keys, each notification into its recipients'
   * inboxes, then the project's read-model snapshot. A failure rolls all of it back; a
   * transient one is retried. One that retrying cannot fix (see isPermanentWriteError) goes
   * to the dead-letter table instead, counted, and the lifecycle goes on: a project must
   * never stop because one of its records cannot be stored.
   */
  async function recordEffects(effects: RecordedBatch): Promise<RecordedEffects> {
    const nothing =
      effects.audits.length === 0 &&
      effects.notifications.length === 0 &&
      !effects.texts?.length &&
      !effects.keys?.length &&
      effects.project === undefined;
    if (!nothing) {
      try {
        await inTransaction(db, (trx) => writeBatch(effects, trx, 'workflow'));
      } catch (error) {
        if (!isPermanentWriteError(error)) throw error;
        const projectId = projectOf(effects);
        await insertDeadLetter(db, { projectId, entry: effects, error: messageOf(error) });
        deps.metrics?.deadLetter?.();
        (log.error ?? log.warn).call(log, 'record write failed for good: kept as a dead letter', {
          projectId,
          error: messageOf(error),
          audits: effects.audits.map((a) => a.seq),
        });
      }
    }
    // Tells the workflow which outbound channels exist, so it schedules no activity that
    // could only answer "not configured".
    return {
      channels: [
        ...(webhookUrl !== undefined && webhookUrl !== '' ? (['webhook'] as const) : []),
        ...(mailer !== undefined ? (['email'] as const) : []),
      ],
    };
  }

  // Each delivery attempt is measured, whether Temporal or recordEffects runs it.
  const outcome = (result: DeliveryResult): DeliveryOutcome =>
    result.delivered ? 'delivered' : 'skipped';
  const inbox = (n: Notification, into?: Kysely<Database>, at?: RecordAttempt) =>
    measured(deps.metrics, 'inbox', outcome, () => deliverInbox(n, into, at));
  const webhook = (n: Notification) =>
    measured(deps.metrics, 'webhook', outcome, () => deliverWebhook(n));
  const email = (n: Notification) =>
    measured(deps.metrics, 'email', outcome, () => deliverEmail(n));

  return {
    /** Writes a batch again (`gatehouse records repair` settling a dead letter). */
    writeBatch: (effects: RecordedBatch) =>
      inTransaction(db, (trx) => writeBatch(effects, trx, 'stored')),
    recordAudit: (entries: AuditEntry[]) => recordAudit(entries),
    deliverInbox: (n: Notification) => inbox(n),
    deliverWebhook: webhook,
    deliverEmail: email,
    recordEffects,
    ...createMigrationActivities({ db, migrateProject: deps.migrateProject }),
  };
}

/** The project a batch belongs to, whatever part of it is there. */
function projectOf(effects: RecordedBatch): string {
  const id =
    effects.project?.id ??
    effects.audits[0]?.projectId ??
    effects.notifications[0]?.projectId ??
    effects.texts?.[0]?.projectId ??
    effects.keys?.[0]?.projectId;
  return typeof id === 'string' ? id : 'unknown';
}

/** The activity interface: `proxyActivities<Activities>()` in workflow code (`import type`). */
export type Activities = ReturnType<typeof createActivities>;
export type { MigrateProject } from './migration';

export { ActivityErrorType, retryWrite } from './errors';
export type { HttpClient } from './http';
export { createFetchHttp } from './http';
export type { ActivityLogger } from './log';
export type { Channel, DeliveryOutcome, NotificationMetrics } from './metrics';
export { CHANNELS, DELIVERY_OUTCOMES } from './metrics';
export type { MailMessage, Mailer } from './mailer';
export { WEBHOOK_FORMATS, type WebhookFormat } from './format';
export { createSmtpMailer } from './mailer';
