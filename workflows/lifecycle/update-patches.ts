/**
 * The patches projectLifecycle asks per Update, and of which Updates: one rule for the
 * workflow, which asks Temporal's `patched`, and for the impact analysis, which reads the
 * markers its history recorded (server/impact/history.ts). Each patch is asked only by the
 * Updates it changes, so a project already running gets it from its next such Update.
 */
import type { ActionInput, ActionName } from '../model';
import { OVER_BUDGET_ALERT } from './budget';
import type { DecideOptions } from './decide-options';

/**
 * Patch id: feedback and follow-up actions go with a reassigned participant, and posting or
 * giving feedback tells whoever must act (DecideOptions.feedbackHandover).
 */
export const FEEDBACK_HANDOVER = 'feedback-handover';
const HANDOVER_ACTIONS: readonly ActionName[] = ['feedback', 'setFeedbackStatus', 'reassign'];

/**
 * Patch id: a `migrate` Update whose `notAfter` has passed is refused (`migration_expired`), so
 * a bulk migration's Update admitted before its attempt ran out of time cannot move the
 * project after its job settled it `failed`. Asked only by Updates carrying `notAfter`.
 */
export const MIGRATION_DEADLINE = 'migration-deadline';

/**
 * Patch id: an `agreeMetrics` Update naming the metrics version its approver saw
 * (`metricsChangedAt`) is refused (`metrics_changed`) once the metrics changed since. Code
 * before it stripped the unknown field and agreed, so a history may hold such an Update
 * applied; asked only by Updates carrying the field.
 */
export const METRICS_AS_SEEN = 'metrics-as-seen';

/**
 * Patch id: a KPI value (`recordKpi`, a `kpiReview`'s values) outside its metric's allowed
 * range is refused (`out_of_range`). Code before it recorded any finite value, so a history
 * may hold such an Update applied.
 */
export const KPI_IN_RANGE = 'kpi-in-range';
const KPI_ACTIONS: readonly ActionName[] = ['recordKpi', 'kpiReview'];

/**
 * Patch id: resolving a hypercare issue tells whoever raised it and whoever took it on. Code
 * before it told nobody: an extra notification is an extra delivery per channel.
 */
export const ISSUE_RESOLVED_NOTICE = 'issue-resolved-notice';

/**
 * Patch id: a `recordKpi` dated after now (`at`, beyond a few minutes of clock skew) is refused
 * (`in_the_future`). Code before it recorded it, and it counted as the metric's latest value;
 * asked only by Updates carrying `at`.
 */
export const KPI_NOT_FUTURE = 'kpi-not-future';

/**
 * Patch id: a `kpiReview` naming `onBehalfOf` is a delegate's review for that reviewer. Code
 * before it stripped the unknown field and decided it as the sender's own review, so a history
 * may hold such an Update applied; asked only by Updates carrying the field.
 */
export const KPI_REVIEW_DELEGATION = 'kpi-review-delegation';

/** Updates that may take the cost over the budget: patch OVER_BUDGET_ALERT (./budget.ts). */
const BUDGET_ACTIONS: readonly ActionName[] = ['setMetrics', 'recordCost'];

export type UpdatePatchOptions = Required<
  Pick<
    DecideOptions,
    | 'feedbackHandover'
    | 'migrationDeadline'
    | 'metricsAsSeen'
    | 'overBudgetAlert'
    | 'kpiInRange'
    | 'issueResolvedNotice'
    | 'kpiNotFuture'
    | 'kpiReviewDelegation'
  >
>;

/**
 * The options Update `name` is decided with, `patched` asked once at most and only for a
 * patch this Update changes (in this order: which marker a live Update records is part of
 * its history). An Update a patch does not concern gets false (true for the deadline, the
 * metrics version and the KPI range: those patches only refuse).
 */
export function updatePatches(
  name: ActionName,
  args: ActionInput,
  patched: (id: string) => boolean,
): UpdatePatchOptions {
  const feedbackHandover = HANDOVER_ACTIONS.includes(name) && patched(FEEDBACK_HANDOVER);
  const migrationDeadline =
    name === 'migrate' && 'notAfter' in args && args.notAfter !== undefined
      ? patched(MIGRATION_DEADLINE)
      : true;
  const metricsAsSeen =
    name === 'agreeMetrics' && 'metricsChangedAt' in args && args.metricsChangedAt !== undefined
      ? patched(METRICS_AS_SEEN)
      : true;
  const overBudgetAlert = BUDGET_ACTIONS.includes(name) && patched(OVER_BUDGET_ALERT);
  const kpiInRange = KPI_ACTIONS.includes(name) ? patched(KPI_IN_RANGE) : true;
  const issueResolvedNotice = name === 'resolveIssue' && patched(ISSUE_RESOLVED_NOTICE);
  const kpiNotFuture =
    name === 'recordKpi' && 'at' in args && args.at !== undefined ? patched(KPI_NOT_FUTURE) : true;
  const kpiReviewDelegation =
    name === 'kpiReview' && 'onBehalfOf' in args && args.onBehalfOf !== undefined
      ? patched(KPI_REVIEW_DELEGATION)
      : true;
  return {
    feedbackHandover,
    migrationDeadline,
    metricsAsSeen,
    overBudgetAlert,
    kpiInRange,
    issueResolvedNotice,
    kpiNotFuture,
    kpiReviewDelegation,
  };
}
