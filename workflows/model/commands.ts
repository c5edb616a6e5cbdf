/**
 * Inputs of every project action (SPEC §3/§4). The API parses request bodies with these
 * (minus `actor`, which it derives from the caller) and sends them as workflow Updates.
 */
import { z } from 'zod';
import { Decision, Duration, NodeId, RoleKey, Slug, Template } from './template';

/** Who acts. The API authenticates; the workflow decides what that user may do here. */
export const Actor = z.object({
  userId: z.string().min(1).max(200),
  /** The caller has the PMO flag (may resume, cancel, migrate, retire). */
  pmo: z.boolean().optional(),
});
export type Actor = z.infer<typeof Actor>;

/** Replays the first successful result of an action sent again with the same key. */
export const IdempotencyKey = z.string().min(1).max(200);

const text = (max: number) => z.string().trim().min(1).max(max);

export const ConditionInput = z.object({
  text: text(2000),
  due: Duration,
  owner: RoleKey,
});
export type ConditionInput = z.infer<typeof ConditionInput>;

/** Criterion answers: `must` criteria as booleans, `should` criteria scored 0..10. */
export const CriteriaAnswers = z.record(
  z.string(),
  z.union([z.boolean(), z.number().min(0).max(10)]),
);

export const SignoffBody = z.object({
  decision: Decision,
  /** Which of the signer's roles this vote counts for; chosen automatically when absent. */
  role: RoleKey.optional(),
  comment: z.string().max(4000).optional(),
  criteria: CriteriaAnswers.optional(),
  /** Conditional Go: obligations that start when the gate passes. */
  conditions: z.array(ConditionInput).max(20).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
/** A link people will open: only http(s) (never `javascript:`, `data:`, `file:` …). */
export const WebUrl = z
  .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
  .max(2000);
export const DeliverableBody = z
  .object({
    url: WebUrl.optional(),
    text: z.string().max(20000).optional(),
    idempotencyKey: IdempotencyKey.optional(),
  })
  .refine((b) => b.url !== undefined || b.text !== undefined, {
    message: 'give a url or a text',
    path: ['url'],
  });
export const CompleteBody = z.object({ idempotencyKey: IdempotencyKey.optional() });
export const RaiseIssueBody = z.object({
  severity: z.number().int().min(1).max(3),
  title: text(500),
  idempotencyKey: IdempotencyKey.optional(),
});
export const ResolveIssueBody = z.object({
  note: z.string().max(4000).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export const ReasonBody = z.object({
  reason: text(4000),
  idempotencyKey: IdempotencyKey.optional(),
});
export const KpiBody = z.object({
  metric: Slug,
  value: z.number().finite(),
  /** When the value was measured (ISO 8601); defaults to now. */
  at: z.iso.datetime({ offset: true }).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export const FeedbackBody = z.object({
  kind: z.enum(['feedback', 'lesson']),
  text: text(4000),
  idempotencyKey: IdempotencyKey.optional(),
});
export const ConditionMetBody = z.object({
  note: z.string().max(4000).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export const MigrateBody = z.object({
  version: z.number().int().min(1),
  idempotencyKey: IdempotencyKey.optional(),
});

const withActor = <T extends z.ZodRawShape>(shape: T) => z.object({ actor: Actor, ...shape });

export const SignoffInput = withActor({ nodeId: NodeId, ...SignoffBody.shape });
export type SignoffInput = z.infer<typeof SignoffInput>;
export const DeliverableInput = withActor({
  nodeId: NodeId,
  deliverableId: Slug,
  url: z.string().max(2000).optional(),
  text: z.string().max(20000).optional(),
  idempotencyKey: IdempotencyKey.optional(),
});
export type DeliverableInput = z.infer<typeof DeliverableInput>;
export const CompleteStageInput = withActor({ nodeId: NodeId, ...CompleteBody.shape });
export type CompleteStageInput = z.infer<typeof CompleteStageInput>;
export const RaiseIssueInput = withActor(RaiseIssueBody.shape);
export type RaiseIssueInput = z.infer<typeof RaiseIssueInput>;
export const ResolveIssueInput = withActor({
  issueId: z.string().min(1),
  ...ResolveIssueBody.shape,
});
export type ResolveIssueInput = z.infer<typeof ResolveIssueInput>;
export const ExtendHypercareInput = withActor(ReasonBody.shape);
export type ExtendHypercareInput = z.infer<typeof ExtendHypercareInput>;
export const RecordKpiInput = withActor(KpiBody.shape);
export type RecordKpiInput = z.infer<typeof RecordKpiInput>;
export const FeedbackInput = withActor(FeedbackBody.shape);
export type FeedbackInput = z.infer<typeof FeedbackInput>;
export const ConditionMetInput = withActor({
  conditionId: z.string().min(1),
  ...ConditionMetBody.shape,
});
export type ConditionMetInput = z.infer<typeof ConditionMetInput>;
export const ReasonInput = withActor(ReasonBody.shape);
export type ReasonInput = z.infer<typeof ReasonInput>;
export const MigrateInput = withActor({
  version: z.number().int().min(1),
  /** The published template of that version; the API loads it, the workflow checks it. */
  template: Template,
  idempotencyKey: IdempotencyKey.optional(),
});
export type MigrateInput = z.infer<typeof MigrateInput>;

/** Every command the lifecycle interpreter understands, tagged by `type`. */
export type Command =
  | ({ type: 'signoff' } & SignoffInput)
  | ({ type: 'deliverable' } & DeliverableInput)
  | ({ type: 'complete' } & CompleteStageInput)
  | ({ type: 'raiseIssue' } & RaiseIssueInput)
  | ({ type: 'resolveIssue' } & ResolveIssueInput)
  | ({ type: 'extendHypercare' } & ExtendHypercareInput)
  | ({ type: 'recordKpi' } & RecordKpiInput)
  | ({ type: 'feedback' } & FeedbackInput)
  | ({ type: 'conditionMet' } & ConditionMetInput)
  | ({ type: 'resume' } & ReasonInput)
  | ({ type: 'retire' } & ReasonInput)
  | ({ type: 'cancel' } & ReasonInput)
  | ({ type: 'migrate' } & MigrateInput);
export type CommandType = Command['type'];

/** Participants of a project: user ids per role key. */
export const Participants = z.record(RoleKey, z.array(z.string().min(1).max(200)).max(100));
export type Participants = z.infer<typeof Participants>;

/** Input of the `projectLifecycle` workflow: the template version is pinned here. */
export const ProjectInput = z.object({
  projectId: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  template: Template,
  version: z.number().int().min(1),
  participants: Participants,
  /** The PMO user who started the project; receives PMO notifications. */
  startedBy: z.string().min(1),
  options: z
    .object({
      /** Continue-as-new after this many monitor reviews (bounded history). */
      reviewsPerRun: z.number().int().min(1).optional(),
    })
    .optional(),
});
export type ProjectInput = z.infer<typeof ProjectInput>;
