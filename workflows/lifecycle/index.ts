/** The pure lifecycle interpreter (no Temporal, no I/O): shared by workflow and designer. */
export { decide, tick, startProject, nextDeadline, isClosed } from './machine';
export type { Machine, Effects, Decision } from './machine';
export { plannedVsActual, onTarget } from './monitor';
export { pendingActions, PENDING_ACTIONS, type PendingAction } from './pending';
