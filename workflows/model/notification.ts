/**
 * A message the interpreter asks to deliver on every channel (the in-app inbox, webhooks,
 * e-mail), and its kinds: each kind says where its link takes the reader (./links.ts).
 */
import { z } from 'zod';
import { NodeId } from './template';

export const NOTIFICATION_KINDS = [
  'action-required',
  'reminder',
  'escalation',
  'celebration',
  'kpi-review',
  'kpi-alert',
  'condition-missed',
  'message',
  'project-closed',
  /** About a feedback item or lesson: posted, given to someone, handed over; links to the feedback. */
  'feedback',
  /** The actual cost went over the budget; links to the benefits tab that shows the standing. */
  'budget-alert',
] as const;
/** A message to deliver on every channel (inbox, webhook, e-mail). */
export const Notification = z.object({
  /** Idempotency key: the same key is delivered at most once per channel. */
  key: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  nodeId: NodeId.optional(),
  /** Resolved recipients (user ids), deduplicated. */
  recipients: z.array(z.string()),
  subject: z.string(),
  /** Plain text; sent as Slack-compatible `text` to webhooks. */
  text: z.string(),
  /** The people subject and text name (`@{<id>}`, ./people.ts), shown by name. */
  people: z.array(z.string()).optional(),
  at: z.number(),
});
export type Notification = z.infer<typeof Notification>;
