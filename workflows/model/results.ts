/**
 * What actions answer: an accepted action's result (and the compact part an idempotency key
 * keeps, in the state and the app database), long texts kept beside the audit trail, and the
 * reasons an action is refused with the HTTP status each calls for.
 */
import { z } from 'zod';
import { NodeRecord } from './node-record';
import { CompactResult, KeyEntry } from './state';

/** What an accepted action answers: the project's status and the node it touched. */
export const ActionResult = CompactResult.extend({
  /** The node's record as it is now. */
  node: NodeRecord.optional(),
  /** True when this is the first answer to the same request again (idempotency key). */
  replayed: z.boolean().optional(),
});
export type ActionResult = z.infer<typeof ActionResult>;

/** A key as the app database keeps it: per project and scope. */
export const KeyRecord = KeyEntry.extend({ projectId: z.string(), scope: z.string() });
export type KeyRecord = z.infer<typeof KeyRecord>;

/** A long text written to the app database beside the audit entries (see TextRef). */
export const StoredText = z.object({ projectId: z.string(), sha256: z.string(), text: z.string() });
export type StoredText = z.infer<typeof StoredText>;

/** Why an action was refused, with the HTTP status the API answers. */
export const REJECTIONS = {
  not_participant: 403,
  not_signer: 403,
  not_owner: 403,
  not_allowed: 403,
  not_responsible: 403,
  unknown_node: 404,
  unknown_issue: 404,
  unknown_condition: 404,
  unknown_feedback: 404,
  unknown_deliverable: 404,
  unknown_action: 404,
  not_active: 409,
  on_hold: 409,
  already_signed: 409,
  already_resolved: 409,
  already_met: 409,
  already_done: 409,
  already_acknowledged: 409,
  feedback_closed: 409,
  not_in_hypercare: 409,
  no_extensions_left: 409,
  not_on_hold: 409,
  not_monitoring: 409,
  project_closed: 409,
  incompatible_version: 409,
  migration_expired: 409,
  metrics_locked: 409,
  already_agreed: 409,
  metrics_changed: 409,
  cost_locked: 409,
  no_review_open: 409,
  missing_deliverable: 422,
  unmet_criterion: 422,
  missing_score: 422,
  unknown_criterion: 422,
  score_below_pass: 422,
  decision_not_allowed: 422,
  conditions_not_allowed: 422,
  unknown_role: 422,
  unknown_metric: 422,
  blocking_issues_open: 422,
  invalid_input: 422,
  idempotency_key_reused: 422,
  invalid_participants: 422,
  limit_reached: 422,
  out_of_range: 422,
  in_the_future: 422,
  metrics_not_agreed: 422,
  actions_required: 422,
  not_ready: 422,
} as const;
export type RejectionCode = keyof typeof REJECTIONS;
export const RejectionCode = z.enum(Object.keys(REJECTIONS) as [RejectionCode, ...RejectionCode[]]);

export const Rejection = z.object({
  code: RejectionCode,
  message: z.string(),
  /** JSON path of the input at fault, when one is. */
  path: z.array(z.union([z.string(), z.number()])).optional(),
  /** Every problem, when there are several (e.g. each participant shortfall). */
  errors: z
    .array(
      z.object({
        path: z.array(z.union([z.string(), z.number()])),
        code: z.string(),
        message: z.string(),
      }),
    )
    .optional(),
});
export type Rejection = z.infer<typeof Rejection>;
