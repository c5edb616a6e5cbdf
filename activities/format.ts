/**
 * What a notification looks like on the outbound channels (pure functions). Every message
 * carries the deep link to the exact place to act (workflows/model/links.ts) when the workspace's
 * public URL is known: a button in Slack and Teams, a line of its own in e-mail.
 */
import { createHash } from 'node:crypto';
import type { User } from '../db/records';
import { instantsInWords, utcInWords } from '../workflows/model/instants';
import { notificationUrl } from '../workflows/model/links';
import type { Notification } from '../workflows/model/state';
import type { MailMessage } from './mailer';

/** The webhook payload shapes a channel can ask for (`WEBHOOK_FORMAT`). */
export const WEBHOOK_FORMATS = ['slack', 'teams'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** The deep link of a notification, when the public URL of the workspace is configured. */
export function linkOf(n: Notification, publicUrl: string | undefined): string | undefined {
  return publicUrl === undefined ? undefined : notificationUrl(publicUrl, n);
}

/** What a link's button says: act on what needs action, else look. */
function buttonLabel(n: Notification): string {
  return n.kind === 'action-required' ? 'Act on it in Gatehouse' : 'Open in Gatehouse';
}

/**
 * The notification as its reader sees it: the moments its subject and text name in words (in
 * UTC: a channel does not know its reader's time zone), not as the ISO instants the workflow
 * wrote.
 */
function readable(n: Notification): Notification {
  const words = (text: string) => instantsInWords(text, utcInWords);
  return { ...n, subject: words(n.subject), text: words(n.text) };
}

/** A Slack block holds at most 3000 characters of text. */
const SLACK_TEXT_MAX = 3000;

/** The JSON body POSTed to a Slack-compatible webhook: `text` is the fallback, `blocks` the message. */
export interface WebhookPayload {
  text: string;
  blocks: SlackBlock[];
  /** The notification key: receivers can drop a redelivery after a lost acknowledgement. */
  key: string;
  kind: Notification['kind'];
  subject: string;
  project: { id: string; name: string };
  nodeId: string | null;
  recipients: { id: string; name: string | null; email: string | null }[];
  /** The deep link to act on it; null when no public URL is configured. */
  link: string | null;
  /** ISO 8601. */
  at: string;
}

type SlackText = { type: 'mrkdwn' | 'plain_text'; text: string };
export type SlackBlock =
  | { type: 'section'; text: SlackText }
  | { type: 'context'; elements: SlackText[] }
  | {
      type: 'actions';
      elements: { type: 'button'; text: SlackText; url: string; style?: 'primary' }[];
    };

/** Builds the Slack-compatible body; recipients that are not (or no longer) users keep just their id. */
export function webhookPayload(
  notification: Notification,
  users: readonly User[],
  link?: string,
): WebhookPayload {
  const n = readable(notification);
  const byId = new Map(users.map((user) => [user.id, user]));
  const message = `*[Gatehouse] ${escapeSlack(n.subject)}*\n${escapeSlack(n.text)}`;
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: clip(message, SLACK_TEXT_MAX) } },
    {
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `Project *${escapeSlack(n.projectName)}* · ${n.kind}` }],
    },
  ];
  if (link !== undefined) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: buttonLabel(n) },
          url: link,
          style: 'primary',
        },
      ],
    });
  }
  return {
    text: link === undefined ? message : `${message}\n<${link}|${buttonLabel(n)}>`,
    blocks,
    key: n.key,
    kind: n.kind,
    subject: n.subject,
    project: { id: n.projectId, name: n.projectName },
    nodeId: n.nodeId ?? null,
    recipients: n.recipients.map((id) => {
      const user = byId.get(id);
      return { id, name: user?.name ?? null, email: user?.email ?? null };
    }),
    link: link ?? null,
    at: new Date(n.at).toISOString(),
  };
}

/**
 * The body POSTed to a Microsoft Teams channel (an Incoming Webhook or a Workflows
 * "when a webhook request is received" flow): a message with one Adaptive Card, the deep link
 * as its action.
 */
export function teamsPayload(notification: Notification, link?: string) {
  const n = readable(notification);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          // Rich text runs, not TextBlocks or a FactSet: Teams reads those as Markdown, so a
          // project named "[Sign here](https://…)" would become a link in the card. A TextRun
          // is shown as it is written.
          body: [
            richText({ text: `[Gatehouse] ${n.subject}`, weight: 'Bolder', size: 'Medium' }),
            richText({ text: n.text }),
            ...[
              ['Project', n.projectName],
              ['Kind', n.kind],
              ['When', utcInWords(n.at)],
            ].map(([title, value]) =>
              richText({ text: `${title}: `, weight: 'Bolder' }, { text: value! }),
            ),
          ],
          ...(link !== undefined && {
            actions: [{ type: 'Action.OpenUrl', title: buttonLabel(n), url: link }],
          }),
        },
      },
    ],
  };
}
export type TeamsPayload = ReturnType<typeof teamsPayload>;

/** A run of text of an Adaptive Card: Markdown is not read in it (schema 1.2 and later). */
interface TextRun {
  text: string;
  weight?: 'Bolder';
  size?: 'Medium';
}

/** A paragraph of an Adaptive Card made of text runs, shown exactly as written. */
function richText(...runs: TextRun[]) {
  return { type: 'RichTextBlock', inlines: runs.map((run) => ({ type: 'TextRun', ...run })) };
}

/** The body for the configured format. */
export function webhookBody(
  format: WebhookFormat,
  n: Notification,
  users: readonly User[],
  link?: string,
): WebhookPayload | TeamsPayload {
  return format === 'teams' ? teamsPayload(n, link) : webhookPayload(n, users, link);
}

/**
 * The e-mail of a notification to one recipient, with the deep link on a line of its own
 * (mail clients make it clickable). Its Message-ID is stable per notification and recipient.
 * `standingInFor`: the recipient gets it as the delegate of that participant (out of office).
 */
export function emailMessage(
  notification: Notification,
  to: Pick<User, 'id' | 'name' | 'email'>,
  from?: string,
  link?: string,
  standingInFor?: Pick<User, 'name'>,
): MailMessage {
  const n = readable(notification);
  const action = link === undefined ? '' : `\n\n${buttonLabel(n)}:\n${link}`;
  const copy =
    standingInFor === undefined
      ? ''
      : `You stand in for ${standingInFor.name} (out of office), who was sent this:\n\n`;
  return {
    ...(from === undefined ? {} : { from }),
    to: [to.email],
    subject: `[Gatehouse] ${n.subject}${standingInFor ? ` (for ${standingInFor.name})` : ''}`,
    text: `Hello ${to.name},\n\n${copy}${n.text}${action}\n\n-- \nGatehouse · project ${n.projectName}\n`,
    messageId: emailMessageId(n.key, to.id),
  };
}

/** The Message-ID of a notification's e-mail to one recipient: stable, so a resend is known. */
export function emailMessageId(key: string, userId: string): string {
  return `<${createHash('sha256').update(`${key}\u0000${userId}`).digest('hex').slice(0, 32)}@gatehouse>`;
}

/** Slack mrkdwn treats &, < and > as markup; user-written text must not become links. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * `text` cut to `max` UTF-16 units, `…` included: never between the halves of a character (a
 * lone surrogate is not text) nor inside an escape of {@link escapeSlack} (Slack would show
 * `&am`).
 */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text
    .slice(0, max - 1)
    .replace(/[\uD800-\uDBFF]$/, '')
    .replace(/&[a-z]*$/, '')}…`;
}
