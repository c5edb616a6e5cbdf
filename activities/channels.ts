/**
 * The notification channels: the in-app inbox (also written by the record write, in its
 * transaction), the webhook and e-mail. Each delivery is idempotent per notification key (and
 * per recipient for e-mail), so Temporal's retries never send anything twice.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Kysely } from 'kysely';
import { recordDelivery, wasDelivered, type DeliveryChannel } from '../db/deliveries';
import { delegatesOf } from '../db/delegations';
import type { RecordAttempt } from '../db/fences';
import { insertInboxItems } from '../db/inbox';
import type { User } from '../db/records';
import type { Database } from '../db/schema';
import { getUsersByIds } from '../db/users';
import { withPeopleNamed } from '../workflows/model/people';
import { Notification } from '../workflows/model/state';
import {
  ActivityErrorType,
  isPermanentHttpStatus,
  isPermanentSmtpError,
  messageOf,
  parseInput,
  retryWrite,
  smtpReplyCode,
} from './errors';
import { emailMessage, linkOf, webhookBody, type WebhookFormat } from './format';
import type { HttpClient } from './http';
import { webhookSigner } from './webhook-signature';
import type { ActivityLogger } from './log';
import type { Mailer } from './mailer';

/** Outcome of an outbound channel: `delivered` when this call sent it. */
export interface DeliveryResult {
  delivered: boolean;
  /** Why nothing was sent: channel not configured, already sent, or nobody to send it to. */
  skipped?: 'not-configured' | 'duplicate' | 'no-recipients';
}

/** What the channels need: the activities' dependencies, with the HTTP client and log set. */
export interface ChannelDeps {
  db: Kysely<Database>;
  mailer: Mailer | undefined;
  webhookUrl: string | undefined;
  mailFrom: string | undefined;
  publicUrl: string | undefined;
  webhookFormat: WebhookFormat;
  /** Signs each webhook POST (./webhook-signature.ts); unset: unsigned. */
  webhookSecret?: string | undefined;
  http: HttpClient;
  log: ActivityLogger;
}

export function createChannels(deps: ChannelDeps) {
  const { db, mailer, webhookUrl, mailFrom, publicUrl, webhookFormat, http, log } = deps;
  const sign = deps.webhookSecret ? webhookSigner(deps.webhookSecret) : undefined;

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
      const body = JSON.stringify(payload);
      // Signed at each attempt: its timestamp is this attempt's, its id the notification's key.
      const headers = { 'idempotency-key': n.key, ...sign?.(n.key, body) };
      ({ status } = await http.post(webhookUrl, body, headers));
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
    // A recipient the server refuses, for good (5xx) or for now (4xx: mailbox busy, greylisted),
    // does not keep the others from their e-mail; the ones it put off are sent on the retry.
    const refused: string[] = [];
    const deferred: string[] = [];
    for (const user of users) {
      const key = `${n.key}:${user.id}`;
      if (await wasDelivered(db, key, 'email')) continue;
      const standingInFor = standIns.get(user.id);
      try {
        await mailer.send(emailMessage(n, user, mailFrom, link, standingInFor));
      } catch (error) {
        const message = `e-mail not sent: ${messageOf(error)}`;
        // No reply (server unreachable, connection lost): the next recipient would fare no better.
        if (smtpReplyCode(error) === undefined) throw new Error(message, { cause: error });
        (isPermanentSmtpError(error) ? refused : deferred).push(message);
        continue;
      }
      await recordSent(key, 'email');
      sent += 1;
    }
    if (deferred.length > 0) {
      throw new Error(`${deferred.length} of ${users.length} put off: ${deferred.join('; ')}`);
    }
    if (refused.length > 0) {
      const message = `${refused.length} of ${users.length} refused: ${refused.join('; ')}`;
      throw ApplicationFailure.nonRetryable(message, ActivityErrorType.mailRejected);
    }
    if (sent === 0) return { delivered: false, skipped: 'duplicate' };
    log.info('e-mail delivered', { projectId: n.projectId, key: n.key, recipients: sent });
    return { delivered: true };
  }

  return { deliverInbox, deliverWebhook, deliverEmail };
}
