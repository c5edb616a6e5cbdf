/**
 * The pure lifecycle interpreter (no Temporal, no I/O): shared by workflow and designer. The
 * workflow takes values from the modules themselves, so its bundle evaluates only what it runs
 * (docs/architecture.md).
 */
export {
  decide,
  tick,
  startProject,
  nextDeadline,
  isClosed,
  NO_EFFECTS,
  INPUT_START_TIME,
} from './machine';
export type { Machine, Effects, Decision, DecideOptions } from './machine';
export { plannedVsActual, onTarget } from './monitor';
export { KPI_FOLLOW_UP_VISITS } from './kpi-review';
export { REVISIT_COUNTS } from './context';
export { HYPERCARE_EXIT_NOTICES } from './exit-standing';
export { OVER_BUDGET_ALERT } from './budget';
export {
  FEEDBACK_HANDOVER,
  ISSUE_RESOLVED_NOTICE,
  KPI_NOT_FUTURE,
  KPI_REVIEW_DELEGATION,
  METRICS_AS_SEEN,
  MIGRATION_DEADLINE,
  updatePatches,
} from './update-patches';
export { reviewActionVisit } from './review';
export { pendingActions, DELEGABLE_ACTIONS, PENDING_ACTIONS, type PendingAction } from './pending';
export {
  nextActions,
  NEXT_ACTIONS,
  type NextAction,
  type NextActionKind,
  type NextOptions,
} from './next';
export { commandOf, fromLegacy, legacyCommand, legacyState, legacyTemplate } from './legacy';
export {
  recordedState,
  splitEffects,
  RECORD_BATCH_BYTES,
  SNAPSHOT_WITH_PART_BYTES,
} from './effects';
export {
  analyseProject,
  replayProject,
  summarise,
  type Candidate,
  type HistoryInput,
  type HistoryRun,
  type ProjectHistory,
  type RecordedOptions,
  type RunOptions,
  type StartInput,
} from './impact';
