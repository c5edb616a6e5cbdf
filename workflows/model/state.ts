/**
 * A project's runtime state (what the state Query and `GET /api/projects/:id` return), the
 * effects the interpreter asks for (notifications, audit records) and its rejection reasons.
 * The state is plain JSON: it crosses continue-as-new and the wire unchanged.
 */
import { z } from 'zod';
import { NodeId, RoleKey } from './template';
import { DeliveryMeasures, Participants } from './commands';
import { NodeRecord } from './node-record';
import { TextRef } from './text';
import { STATE_VERSION } from './state-migrations';

/**
 * `terminated`: the project's workflow was ended outside Gatehouse (terminated, timed out or
 * failed in Temporal) before the lifecycle closed it; only the read model holds that status.
 */
export const PROJECT_STATUSES = [
  'active',
  'on_hold',
  'completed',
  'killed',
  'cancelled',
  'terminated',
] as const;
export const ProjectStatus = z.enum(PROJECT_STATUSES);
export type ProjectStatus = z.infer<typeof ProjectStatus>;

export const Issue = z.object({
  id: z.string(),
  nodeId: NodeId,
  severity: z.number().int(),
  title: z.string(),
  status: z.enum(['open', 'resolved']),
  raisedBy: z.string(),
  raisedAt: z.number(),
  resolvedBy: z.string().optional(),
  resolvedAt: z.number().optional(),
  note: z.string().optional(),
  noteRef: TextRef.optional(),
  /** When a first response is due (the node's `issueSla` for this severity); absent: none. */
  respondBy: z.number().optional(),
  /** When the resolution is due; absent when the node sets no time for this severity. */
  resolveBy: z.number().optional(),
  /** Who took the issue on, and when (the first response). */
  acknowledgedBy: z.string().optional(),
  acknowledgedAt: z.number().optional(),
  /** The latest response to the raiser (the audit trail keeps each one); `response` hydrated. */
  response: z.string().optional(),
  responseRef: TextRef.optional(),
  respondedBy: z.string().optional(),
  respondedAt: z.number().optional(),
  /** Steps of the issue's ladder already fired: `respond`, `resolve`, `escalate:<n>`. */
  overdue: z.array(z.string()).optional(),
});
export type Issue = z.infer<typeof Issue>;

export const Obligation = z.object({
  id: z.string(),
  nodeId: NodeId,
  text: z.string(),
  due: z.string(),
  dueAt: z.number(),
  owner: RoleKey,
  setBy: z.string(),
  status: z.enum(['open', 'met', 'missed']),
  metAt: z.number().optional(),
  metBy: z.string().optional(),
  note: z.string().optional(),
  noteRef: TextRef.optional(),
  /** True once the missed-due-date escalation went out (it still may be met late). */
  escalated: z.boolean(),
  /** The participant who owns it (an action given to a person); absent: whoever holds `owner`. */
  assignee: z.string().optional(),
  /**
   * `review-action`: a follow-up action a post-implementation review set (done by its owner,
   * reminded half-way to its due date); absent: a Conditional Go condition or a KPI follow-up.
   */
  kind: z.enum(['review-action']).optional(),
});
export type Obligation = z.infer<typeof Obligation>;

export const KpiReading = z.object({
  metric: z.string(),
  value: z.number(),
  at: z.number(),
  by: z.string(),
});
export type KpiReading = z.infer<typeof KpiReading>;

/**
 * The metrics a project co-created: its own baseline and target per metric (absent: the
 * template's), its delivery measures, and operations' agreement to them as they stand.
 */
export const ProjectMetrics = z.object({
  values: z.record(
    z.string(),
    z.object({ baseline: z.number().optional(), target: z.number().optional() }),
  ),
  delivery: DeliveryMeasures.optional(),
  changedAt: z.number(),
  changedBy: z.string(),
  /** Operations' agreement; any later change withdraws it. */
  agreed: z.object({ by: z.string(), role: z.string(), at: z.number() }).optional(),
});
export type ProjectMetrics = z.infer<typeof ProjectMetrics>;
/** The project's actual cost as last recorded: cost to date, final once the PIR passed. */
export const ActualCost = z.object({
  spent: z.number(),
  /** ISO 4217 code: the budget's, when the project set one. */
  currency: z.string(),
  at: z.number(),
  by: z.string(),
});
export type ActualCost = z.infer<typeof ActualCost>;
/** Where a feedback item stands: absent is `open`; `acted_on` and `declined` close it. */
export const FEEDBACK_STATUSES = ['open', 'acknowledged', 'acted_on', 'declined'] as const;
export const FeedbackStatus = z.enum(FEEDBACK_STATUSES);
export type FeedbackStatus = z.infer<typeof FeedbackStatus>;

export const FeedbackEntry = z.object({
  id: z.string(),
  kind: z.enum(['feedback', 'lesson']),
  /** Inline in older entries, else hydrated by the API from `textRef`. */
  text: z.string().optional(),
  textRef: TextRef.optional(),
  by: z.string(),
  at: z.number(),
  nodeId: NodeId.optional(),
  /** Absent: open. */
  status: FeedbackStatus.optional(),
  /** The participant (user id) who owns what happens next. */
  owner: z.string().optional(),
  /** What was done about it, or why not; `response` hydrated by the API from `responseRef`. */
  response: z.string().optional(),
  responseRef: TextRef.optional(),
  statusBy: z.string().optional(),
  statusAt: z.number().optional(),
});
export type FeedbackEntry = z.infer<typeof FeedbackEntry>;

export const DEADLINE_KINDS = [
  'sla-remind',
  'sla-due',
  'sla-escalate',
  'hypercare-expiry',
  'hypercare-escalate',
  'condition-due',
  'condition-remind',
  'monitor-review',
  'kpi-review-due',
  'issue-respond',
  'issue-remind',
  'issue-resolve',
  'issue-escalate',
] as const;
/** A durable timer, kept in state so it survives continue-as-new. */
export const Deadline = z.object({
  id: z.string(),
  at: z.number(),
  kind: z.enum(DEADLINE_KINDS),
  nodeId: NodeId.optional(),
  /** Reminder or escalation level index. */
  index: z.number().int().optional(),
  conditionId: z.string().optional(),
  issueId: z.string().optional(),
});
export type Deadline = z.infer<typeof Deadline>;

/** One line of the append-only audit trail: who, when, what, why. */
export const AuditEntry = z.object({
  projectId: z.string(),
  seq: z.number().int(),
  at: z.number(),
  /** A user id, or "system" for timers. */
  actor: z.string(),
  action: z.string(),
  nodeId: NodeId.optional(),
  reason: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export { NOTIFICATION_KINDS, Notification } from './notification';

export const TimelineEntry = AuditEntry.omit({ projectId: true });
export type TimelineEntry = z.infer<typeof TimelineEntry>;

/**
 * The part of an action's answer an idempotency key keeps (never the node record): the
 * project's status and current nodes, the node it touched, what it created, its audit seq.
 */
export const CompactResult = z.object({
  status: ProjectStatus,
  current: z.array(NodeId),
  nodeId: NodeId.optional(),
  /** Id of what the action created (issue, feedback entry). */
  id: z.string().optional(),
  /** Audit sequence of the action's last entry. */
  seq: z.number().int().optional(),
});
export type CompactResult = z.infer<typeof CompactResult>;

/** One remembered idempotency key (see model/idempotency.ts). */
export const KeyEntry = z.object({
  /** Fingerprint of the request's body. */
  fp: z.string(),
  at: z.number(),
  result: CompactResult,
});
export type KeyEntry = z.infer<typeof KeyEntry>;

/**
 * A key of an Update sent without a `rev` (model/commands.ts), matched by key and action type
 * alone: `k:<key>` → the action type and its compact answer. Such Updates exist only in
 * histories recorded before keys were scoped, and their replay must answer as it did.
 */
export const LegacyKeyEntry = z.object({ type: z.string(), result: CompactResult });
export type LegacyKeyEntry = z.infer<typeof LegacyKeyEntry>;

export const ProjectState = z.object({
  /** Shape version of this state (STATE_VERSION, see model/state-migrations.ts). */
  version: z.literal(STATE_VERSION),
  id: z.string(),
  name: z.string(),
  template: z.object({ key: z.string(), version: z.number().int() }),
  status: ProjectStatus,
  current: z.array(NodeId),
  participants: Participants,
  startedBy: z.string(),
  startedAt: z.number(),
  updatedAt: z.number(),
  endedAt: z.number().optional(),
  nodes: z.record(NodeId, NodeRecord),
  issues: z.array(Issue),
  conditions: z.array(Obligation),
  kpis: z.array(KpiReading),
  /** The project's own metrics (absent: the template's, nothing agreed yet). */
  metrics: ProjectMetrics.optional(),
  /** The actual cost its responsible roles recorded (absent: none yet). */
  actualCost: ActualCost.optional(),
  /** When the alert that the cost went over the budget went out; cleared when back within. */
  overBudgetAlertedAt: z.number().optional(),
  feedback: z.array(FeedbackEntry),
  deadlines: z.array(Deadline),
  /** The latest audit entries, long texts shortened (the full trail is in the database). */
  timeline: z.array(TimelineEntry),
  /** Next audit sequence number. */
  seq: z.number().int(),
  /** Notifications emitted so far: makes each notification key unique. */
  notified: z.number().int(),
  /** Idempotency keys by scope (see model/idempotency.ts), oldest first. */
  keys: z.record(z.string(), KeyEntry),
  /** Keys of Updates without a `rev` (see LegacyKeyEntry); a new run starts with none. */
  idempotency: z.record(z.string(), LegacyKeyEntry),
  /** Feedback entries ever posted (the state keeps the latest; the API lists them all). */
  feedbackCount: z.number().int(),
  /** Monitor reviews done in this run, for continue-as-new. */
  reviewsThisRun: z.number().int(),
});
export type ProjectState = z.infer<typeof ProjectState>;
/**
 * A state without the workflow's idempotency bookkeeping (`keys`, `idempotency`): the project's
 * own data, which the API shows (server/contract-responses.ts `ProjectStateView`) and which is
 * all that reads of the state outside the workflow's decisions need.
 */
export type ProjectStateData = Omit<ProjectState, 'keys' | 'idempotency'>;
