/**
 * Kysely table types of the to-do inbox's derived rows (db/open-actions.ts), mirroring
 * `0013_open_actions` and `0023_open_action_words`; part of `Database` (db/schema.ts).
 */

/** One action a user can take now (db/open-actions.ts): the to-do inbox's rows. */
export interface OpenActionsTable {
  project_id: string;
  user_id: string;
  /** Its place in `pendingActions(state, template, user)`. */
  position: number;
  /** `due_at`, or NO_DUE (after every date) when there is none. */
  due_order: number;
  /** Unique tie-breaker of the inbox order. */
  tie: string;
  project_name: string;
  node_id: string;
  node_name: string;
  action: string;
  /** JSON array of role keys. */
  roles: string;
  /** JSON array of the same roles' names in the pinned template; null from an older build. */
  role_names: string | null;
  due_at: number | null;
  item_id: string | null;
  detail: string | null;
  /** A hypercare issue's severity (1 = critical); null for every other action. */
  issue_severity: number | null;
  /** 1 when that issue blocks the exit of its hypercare, else 0; null with `issue_severity`. */
  issue_blocks_exit: number | null;
}

/** Which derivation a derived table holds (`open_actions`: OPEN_ACTIONS_REV). */
export interface ReadModelRevsTable {
  name: string;
  rev: number;
}
