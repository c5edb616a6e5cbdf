/**
 * The columns the portfolio filters, sorts and counts by (0022_portfolio_views), derived from
 * a project's list summary and its status. Every statement that writes `progress` or `status`
 * writes them too (the record write, the catch-up of an upgrade, marking a project ended
 * outside Gatehouse), so they never disagree with what the row shows.
 */
import type { Generated } from 'kysely';
import type { ProgressSummary } from '../workflows/model/progress';
import type { Flag } from './schema';

/** The derived columns of a `projects` row. */
export interface ListKeys {
  /** The node an open (active or held) project is in; null once it ended. */
  stage: string | null;
  /** When it entered that node (its start when the state does not say). */
  stage_since: number | null;
  /** When the hypercare it is in ends, or ended (awaiting exit); null outside hypercare. */
  hypercare_due: number | null;
  /** Its actual cost is over its budget (the summary's `cost`). */
  over_budget: Flag;
}

/** The `projects` columns (0022_portfolio_views): written by the statements above, never else. */
export type ListKeyColumns = { [K in keyof ListKeys]: Generated<ListKeys[K]> };

const OPEN: readonly string[] = ['active', 'on_hold'];

/** How soon a hypercare's end makes a project need attention: 7 days. */
export const HYPERCARE_SOON_MS = 7 * 24 * 60 * 60 * 1000;

/** The list keys of a project in `status` whose summary is `progress` (null: unreadable). */
export function listKeys(
  progress: ProgressSummary | null,
  status: string,
  startedAt: number,
): ListKeys {
  const open = OPEN.includes(status);
  // A project is in one node at a time; should a state hold more, the first is its stage.
  const node = open ? progress?.current[0] : undefined;
  return {
    stage: node?.id ?? null,
    stage_since: node ? (node.since ?? startedAt) : null,
    // Awaiting exit: `expiresAt` has passed, so the project is due from then on.
    hypercare_due: open && progress?.hypercare ? progress.hypercare.expiresAt : null,
    over_budget: progress?.cost?.cost === 'over' ? 1 : 0,
  };
}
