/**
 * Versions of the project state's shape. A state travels in workflow inputs (continue-as-new)
 * and in the read model's snapshots, so a state written by older code is read back by today's:
 * each change of shape is one migration from version n to n + 1, each tested, and readers
 * only ever see the current shape (`migrateState`, run where a state is read).
 *
 * Migrations are pure and deterministic (they run inside the workflow): they fill in what the
 * new shape requires from what the state already holds, and never change what the
 * interpreter decides from it.
 */
import { z } from 'zod';
import { CompactResult, ProjectState, STATE_VERSION, type ProjectState as State } from './state';

/**
 * Version 0: no `version`; `keys` (scoped idempotency keys) and `feedbackCount` may be
 * missing; entries of `idempotency` may keep a whole action answer (node record included).
 */
export const ProjectStateV0 = ProjectState.omit({
  version: true,
  keys: true,
  feedbackCount: true,
  idempotency: true,
}).extend({
  version: z.literal(0).optional(),
  keys: ProjectState.shape.keys.optional(),
  feedbackCount: z.number().int().optional(),
  idempotency: z.record(z.string(), z.object({ type: z.string(), result: CompactResult.loose() })),
});
export type ProjectStateV0 = z.infer<typeof ProjectStateV0>;

/** A state as some version of Gatehouse wrote it. */
export type StoredProjectState = ProjectStateV0 | State;

/** 0 → 1: `version`, every key map and the feedback count present; legacy answers compact. */
export function migrateV0(state: ProjectStateV0): State {
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
export function migrateState(state: StoredProjectState): State {
  return state.version === STATE_VERSION ? state : migrateV0(state);
}

/**
 * A state read from outside the workflow (a snapshot of the read model): parsed by the schema
 * of its own version, then migrated. Throws the schema's error on a state no version wrote.
 */
export function readState(value: unknown): State {
  const version = (value as { version?: unknown } | null)?.version;
  return version === STATE_VERSION
    ? ProjectState.parse(value)
    : migrateState(ProjectStateV0.parse(value));
}
