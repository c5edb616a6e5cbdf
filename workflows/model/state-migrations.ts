/**
 * The project state's shape version, and the migrations that bring a state of an older shape to
 * it. A state travels in workflow inputs (continue-as-new) and in the read model's snapshots,
 * so a state written by older code is read back by today's: each change of shape is one
 * migration from version n to n + 1, each tested, and readers only ever see the current shape
 * (`migrateState`, run where a state is read).
 *
 * Migrations are pure and deterministic (they run inside the workflow): they fill in what the
 * new shape requires from what the state already holds, and never change what the
 * interpreter decides from it. They know the schemas by type only: the workflow evaluates its
 * modules afresh for every run, and never parses a state, so it builds no state schema. The
 * schemas of older shapes, for reading a state from outside the workflow, are in
 * state-versions.ts.
 */
import type { CompactResult, ProjectState } from './state';
import type { ProjectStateV0, StoredProjectState } from './state-versions';

/** The shape version of ProjectState. */
export const STATE_VERSION = 1;

/** 0 → 1: `version`, every key map and the feedback count present; legacy answers compact. */
export function migrateV0(state: ProjectStateV0): ProjectState {
  const { version: _absent, ...rest } = state;
  return {
    ...rest,
    version: 1,
    keys: state.keys ?? {},
    feedbackCount: state.feedbackCount ?? state.feedback.length,
    idempotency: Object.fromEntries(
      Object.entries(state.idempotency).map(([key, entry]) => [
        key,
        { type: entry.type, result: compactResult(entry.result) },
      ]),
    ),
  };
}

/** The compact part of an answer (what a key entry keeps): no node record. */
export function compactResult(result: CompactResult): CompactResult {
  const { status, current, nodeId, id, seq } = result;
  return {
    status,
    // A copy: the result may hold the state's own list, which later decisions change.
    current: [...current],
    ...(nodeId !== undefined && { nodeId }),
    ...(id !== undefined && { id }),
    ...(seq !== undefined && { seq }),
  };
}

/** A state of any version in today's shape (a current one is returned as it is). */
export function migrateState(state: StoredProjectState): ProjectState {
  return state.version === STATE_VERSION ? state : migrateV0(state);
}
