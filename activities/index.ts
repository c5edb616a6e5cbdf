/**
 * Notification and audit activities (STYLE §5): built by a factory from injected ports so
 * tests hand in real local sinks. Each is idempotent by a key, because Temporal delivers
 * activities at least once: audit by (projectId, seq), inbox by (key, user), webhook and
 * e-mail by (key, channel) in the delivery log, written only after the channel accepted.
 * Here: the record write (one transaction per workflow change) and the wiring; the channels
 * themselves are in ./channels.ts, bulk migration's activity in ./migration.ts.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { appendAudit } from '../db/audit';
import { collectChanges } from '../db/changes';
import { inTransaction } from '../db/database';
import type { Database } from '../db/schema';
import { AuditEntry, Notification, ProjectState } from '../workflows/model/state';
import { KeyRecord, StoredText } from '../workflows/model/results';
import { upsertProjectSnapshot } from '../db/projects';
import { publishedTemplates } from '../db/open-actions';
import { insertTexts } from '../db/texts';
import { insertKeys, keyPurge } from '../db/keys';
import { settleAppliedMigrations } from '../db/migration-settle';
import { insertDeadLetter } from '../db/dead-letters';
import { fenceRecords, type RecordAttempt } from '../db/fences';
import { isPermanentWriteError, messageOf, parseInput } from './errors';
import { createChannels, type DeliveryResult } from './channels';
import type { WebhookFormat } from './format';
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
  /** Signs each webhook POST (Standard Webhooks, ./webhook-signature.ts); unset: unsigned. */
  webhookSecret?: string;
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
  const { db, mailer, webhookUrl } = deps;
  const log = deps.log ?? contextLogger;
  const { deliverInbox, deliverWebhook, deliverEmail } = createChannels({
    db,
    mailer,
    webhookUrl,
    mailFrom: deps.mailFrom,
    publicUrl: deps.publicUrl,
    webhookFormat: deps.webhookFormat ?? 'slack',
    webhookSecret: deps.webhookSecret,
    http: deps.http ?? createFetchHttp(),
    log,
  });
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
export type { DeliveryResult } from './channels';

export { ActivityErrorType, retryWrite } from './errors';
export type { HttpClient } from './http';
export { createFetchHttp } from './http';
export type { ActivityLogger } from './log';
export type { Channel, DeliveryOutcome, NotificationMetrics } from './metrics';
export { CHANNELS, DELIVERY_OUTCOMES } from './metrics';
export type { MailMessage, Mailer } from './mailer';
export { WEBHOOK_FORMATS, type WebhookFormat } from './format';
export { createSmtpMailer } from './mailer';
