/**
 * The schemas of the project state's older shapes, for reading a state from outside the
 * workflow (the read model's snapshots). The version number and the migrations themselves are
 * in state-migrations.ts, which the workflow runs without these schemas.
 */
import { z } from 'zod';
import { CompactResult, ProjectState } from './state';
import { migrateState, STATE_VERSION } from './state-migrations';

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
export type StoredProjectState = ProjectStateV0 | ProjectState;

/**
 * A state read from outside the workflow (a snapshot of the read model): parsed by the schema
 * of its own version, then migrated. Throws the schema's error on a state no version wrote.
 */
export function readState(value: unknown): ProjectState {
  const version = (value as { version?: unknown } | null)?.version;
  return version === STATE_VERSION
    ? ProjectState.parse(value)
    : migrateState(ProjectStateV0.parse(value));
}
