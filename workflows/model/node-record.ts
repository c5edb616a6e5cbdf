/**
 * What a project keeps per node of its template (`ProjectState.nodes`): its status and visits,
 * the sign-offs and deliverables of the current visit, its decided visits, and what a
 * hypercare, monitor, review or gate with a readiness checklist records besides.
 */
import { z } from 'zod';
import { KpiDecision } from './commands';
import { AdkarStage } from './readiness';
import { Decision, Outcome, RoleKey } from './template';
import { TextRef } from './text';

export const NodeStatus = z.enum(['pending', 'active', 'on_hold', 'done']);
export type NodeStatus = z.infer<typeof NodeStatus>;

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
  /** The reviewer a delegate (`by`) did it for, while that reviewer was out of office. */
  onBehalfOf: z.string().optional(),
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

/** What the participants recorded against a gate's checklist (kept across its visits). */
export const ReadinessRecord = z.object({
  /** Per affected group: the stage it reached, who said so and when. */
  adkar: z.record(z.string(), z.object({ stage: AdkarStage, by: z.string(), at: z.number() })),
  /** Per trained role: people trained of the people in the role, as counted by `by`. */
  training: z.record(
    z.string(),
    z.object({
      trained: z.number().int(),
      total: z.number().int(),
      by: z.string(),
      at: z.number(),
    }),
  ),
  /** Whether the support model is in place, confirmed by an operations participant. */
  supportModel: z
    .object({ inPlace: z.boolean(), by: z.string(), role: z.string(), at: z.number() })
    .optional(),
});
export type ReadinessRecord = z.infer<typeof ReadinessRecord>;

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
