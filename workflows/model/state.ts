/**
 * A project's runtime state (what the state Query and `GET /api/projects/:id` return), the
 * effects the interpreter asks for (notifications, audit records) and its rejection reasons.
 * The state is plain JSON: it crosses continue-as-new and the wire unchanged.
 */
import { z } from 'zod';
import { Decision, NodeId, Outcome, RoleKey } from './template';
import { DeliveryMeasures, KpiDecision, Participants } from './commands';
import { ReadinessRecord } from './readiness';

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

export const NodeStatus = z.enum(['pending', 'active', 'on_hold', 'done']);
export type NodeStatus = z.infer<typeof NodeStatus>;

/**
 * A text kept in the app database (written with the action's audit entries), named in the
 * state by its length and digest: the state keeps what decisions need, `GET` hydrates the text.
 */
export const TextRef = z.object({ length: z.number().int(), sha256: z.string() });
export type TextRef = z.infer<typeof TextRef>;

export const Vote = z.object({
  /** Whose vote it is (the participant, also when a delegate cast it for them). */
  userId: z.string(),
  /** The delegate who cast it for `userId`. */
  by: z.string().optional(),
  role: RoleKey,
  decision: Decision,
  /** Inline in votes recorded before texts moved to the database; hydrated by the API. */
  comment: z.string().optional(),
  commentRef: TextRef.optional(),
  criteria: z.record(z.string(), z.union([z.boolean(), z.number()])).optional(),
  /** Weighted `should` score of this signer, 0..1. */
  score: z.number().optional(),
  conditions: z.array(z.object({ text: z.string(), due: z.string(), owner: RoleKey })).optional(),
  at: z.number(),
});
export type Vote = z.infer<typeof Vote>;

export const Submission = z.object({
  by: z.string(),
  at: z.number(),
  /** `url`/`text`: inline in older records, else hydrated by the API from the refs. */
  url: z.string().optional(),
  text: z.string().optional(),
  urlRef: TextRef.optional(),
  textRef: TextRef.optional(),
});
export type Submission = z.infer<typeof Submission>;

export const HypercareRecord = z.object({
  expiresAt: z.number(),
  extensions: z.number().int(),
  /** `running` until expiry; then `awaiting_exit` while the exit signers are asked. */
  phase: z.enum(['running', 'awaiting_exit']),
  expiredAt: z.number().optional(),
  /** Indexes of escalation levels already fired since expiry. */
  escalated: z.array(z.number().int()),
});
/** A KPI review awaiting its reviewers (monitors with `reviewWithin`). */
export const OpenKpiReview = z.object({
  /** The review's number (the monitor's `reviews` when it opened). */
  number: z.number().int(),
  /** The period it reviews: from (exclusive of earlier readings) until it opened. */
  from: z.number(),
  to: z.number(),
  dueAt: z.number(),
  /** True once the overdue escalation went out (it may still be done late). */
  escalated: z.boolean(),
});
export type OpenKpiReview = z.infer<typeof OpenKpiReview>;

/** A KPI review closed: done by a reviewer, or missed (the next period ended first). */
export const KpiReviewRecord = z.object({
  number: z.number().int(),
  from: z.number(),
  to: z.number(),
  status: z.enum(['done', 'missed']),
  /** Who did it and when (absent when missed). */
  by: z.string().optional(),
  at: z.number(),
  decision: KpiDecision.optional(),
  commentRef: TextRef.optional(),
  /** Per metric: the period's latest value (absent: unrecorded, a miss) against its target. */
  results: z.array(
    z.object({
      metric: z.string(),
      value: z.number().optional(),
      target: z.number(),
      met: z.boolean(),
    }),
  ),
  /** Ids of the follow-up obligations it set. */
  actions: z.array(z.string()),
});
export type KpiReviewRecord = z.infer<typeof KpiReviewRecord>;

export const MonitorRecord = z.object({
  reviews: z.number().int(),
  lastReviewAt: z.number().optional(),
  nextReviewAt: z.number(),
  /**
   * When monitoring started, and which period `nextReviewAt` ends: the review after it is due
   * at `startedAt` + (period + 1) × `every`. Absent in records from before reviews were
   * counted from the start, which go on adding one period to the previous review.
   */
  startedAt: z.number().optional(),
  period: z.number().int().optional(),
  /** Consecutive off-target reviews per metric key. */
  misses: z.record(z.string(), z.number().int()),
  /** The review awaiting its reviewers (monitors with `reviewWithin`). */
  open: OpenKpiReview.optional(),
  /** The latest closed reviews, oldest first (the audit trail keeps all). */
  done: z.array(KpiReviewRecord).optional(),
});
export type MonitorRecord = z.infer<typeof MonitorRecord>;

/** A decision a post-implementation review recorded ("extend the rollout to region B"). */
export const ReviewDecisionRecord = z.object({
  id: z.string(),
  text: z.string(),
  by: z.string(),
  at: z.number(),
  /** The node's visit it was taken in. */
  visit: z.number().int(),
});
export type ReviewDecisionRecord = z.infer<typeof ReviewDecisionRecord>;

export const NodeRecord = z.object({
  status: NodeStatus,
  /** How often the node was entered (a recycled gate is visited again). */
  visits: z.number().int(),
  enteredAt: z.number().optional(),
  leftAt: z.number().optional(),
  outcome: Outcome.optional(),
  dueAt: z.number().optional(),
  deliverables: z.record(z.string(), Submission),
  /** Sign-offs of the current visit. */
  votes: z.array(Vote),
  /** Decided visits, oldest first (the latest 50; the audit trail keeps all). */
  decisions: z.array(z.object({ visit: z.number().int(), outcome: Outcome, at: z.number() })),
  hypercare: HypercareRecord.optional(),
  monitor: MonitorRecord.optional(),
  /** A review's recorded decisions, oldest first (its follow-up actions are obligations). */
  review: z.object({ decisions: z.array(ReviewDecisionRecord) }).optional(),
  /** What was recorded against a gate's readiness checklist (kept across visits). */
  readiness: ReadinessRecord.optional(),
});
export type NodeRecord = z.infer<typeof NodeRecord>;

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

/** The shape version of ProjectState (model/state-versions.ts migrates older ones). */
export const STATE_VERSION = 1;

export const ProjectState = z.object({
  /** Shape version of this state (see STATE_VERSION). */
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
