/** What a notification looks like on the outbound channels (pure functions). */
import { createHash } from 'node:crypto';
import type { User } from '../db/records';
import type { Notification } from '../workflows/model/state';
import type { MailMessage } from './mailer';

/** The JSON body POSTed to the webhook; `text` is what Slack-compatible receivers show. */
export interface WebhookPayload {
  text: string;
  /** The notification key: receivers can drop a redelivery after a lost acknowledgement. */
  key: string;
  kind: Notification['kind'];
  subject: string;
  project: { id: string; name: string };
  nodeId: string | null;
  recipients: { id: string; name: string | null; email: string | null }[];
  /** ISO 8601. */
  at: string;
}

/** Builds the webhook body; recipients that are not (or no longer) users keep just their id. */
export function webhookPayload(n: Notification, users: readonly User[]): WebhookPayload {
  const byId = new Map(users.map((user) => [user.id, user]));
  return {
    text: `*[Gatehouse] ${escapeSlack(n.subject)}*\n${escapeSlack(n.text)}`,
    key: n.key,
    kind: n.kind,
    subject: n.subject,
    project: { id: n.projectId, name: n.projectName },
    nodeId: n.nodeId ?? null,
    recipients: n.recipients.map((id) => {
      const user = byId.get(id);
      return { id, name: user?.name ?? null, email: user?.email ?? null };
    }),
    at: new Date(n.at).toISOString(),
  };
}

/** Builds the one e-mail of a notification, addressed to every recipient. */
export function emailMessage(n: Notification, to: string[], from?: string): MailMessage {
  return {
    ...(from === undefined ? {} : { from }),
    to,
    subject: `[Gatehouse] ${n.subject}`,
    text: `${n.text}\n\n-- \nGatehouse · project ${n.projectName}\n`,
    messageId: `<${createHash('sha256').update(n.key).digest('hex').slice(0, 32)}@gatehouse>`,
  };
}

/** Slack mrkdwn treats &, < and > as markup; user-written text must not become links. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
