/**
 * How `decide` reads a command: the options a workflow passes as its history requires, each
 * keeping Updates recorded before a change (an input revision, a patch) decided as they were.
 */

/** How `decide` reads a command. */
export interface DecideOptions {
  /**
   * The command comes from an Update recorded before INPUT_REVISION (no `rev`): its key is
   * matched the way it was then (by key and action only). The workflow converts such inputs
   * (see ./legacy.ts) before it asks.
   */
  legacy?: boolean;
  /**
   * Feedback and follow-up actions go with a reassigned participant to their successor, and
   * posting or giving feedback tells whoever must act (patch "feedback-handover"). Default
   * true; false replays an Update recorded before the patch as it was decided then.
   */
  feedbackHandover?: boolean;
  /**
   * The run began before patch `kpi-follow-up-visits` (workflows/project-lifecycle.ts): a
   * monitor entered again names its KPI follow-ups as on its first visit, as that run always
   * has (see kpi-review.ts).
   */
  reusedFollowUpIds?: boolean;
  /**
   * The run began before patch `revisit-counts` (workflows/project-lifecycle.ts): a node
   * entered again counts as that run always has (see Step.revisitCounts).
   */
  legacyRevisitCounts?: boolean;
  /**
   * The run began before patch `hypercare-exit-notices` (workflows/project-lifecycle.ts): an
   * escalation of an unaccepted hypercare exit is worded as that run always has (./exit-standing.ts).
   */
  legacyExitNotices?: boolean;
  /**
   * A `migrate` past its `notAfter` is refused (patch "migration-deadline"). Default true;
   * false replays an Update recorded before the patch as it was decided then.
   */
  migrationDeadline?: boolean;
  /**
   * An `agreeMetrics` naming a `metricsChangedAt` the project's metrics no longer have is
   * refused (patch "metrics-as-seen"). Default true; false replays an Update recorded before
   * the patch as it was decided then.
   */
  metricsAsSeen?: boolean;
  /**
   * Setting the metrics or recording the cost alerts when the cost goes over the budget (patch
   * "over-budget-alert", ./budget.ts). Default true; false replays an Update recorded before
   * the patch as it was decided then.
   */
  overBudgetAlert?: boolean;
  /**
   * A KPI value outside its metric's allowed range (`min`, `max`) is refused (patch
   * "kpi-in-range"). Default true; false replays an Update recorded before the patch as it
   * was decided then.
   */
  kpiInRange?: boolean;
  /**
   * Resolving a hypercare issue tells its raiser and whoever took it on (patch
   * "issue-resolved-notice"). Default true; false replays an Update recorded before the patch
   * as it was decided then.
   */
  issueResolvedNotice?: boolean;
  /**
   * A KPI reading dated after now (beyond a few minutes of clock skew) is refused (patch
   * "kpi-not-future"). Default true; false replays an Update recorded before the patch as it
   * was decided then.
   */
  kpiNotFuture?: boolean;
  /**
   * A `kpiReview` naming `onBehalfOf` is done by a delegate for that reviewer (patch
   * "kpi-review-delegation"). Default true; false replays an Update recorded before the patch
   * (its field stripped then) as it was decided then.
   */
  kpiReviewDelegation?: boolean;
}
