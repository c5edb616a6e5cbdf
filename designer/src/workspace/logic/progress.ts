/**
 * What the portfolio shows of a project beyond its name and status: current node names, the
 * time spent in the current node and the hypercare countdown. Pure: from the summary the list answers
 * (`progress`, kept by the record write), or from a full state and (when loaded) the pinned
 * template through the same derivation (workflows/model/progress.ts).
 */
import { progressSummary, type ProgressSummary, type Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { spanInWords } from './time';

export interface ProjectProgress {
  current: { id: string; name: string }[];
  /** When the project entered the node it has been in longest among its current ones. */
  enteredAt?: number;
  /** The time since `enteredAt` as people say it: "3 hours", "2 days", "less than a minute". */
  inNode?: string;
  hypercare?: { nodeName: string; expiresAt: number; phase: 'running' | 'awaiting_exit' };
}

/** What a list row shows at `now` of the summary the list answered. */
export function progressShown(summary: ProgressSummary, now: number): ProjectProgress {
  const progress: ProjectProgress = {
    current: summary.current.map(({ id, name }) => ({ id, name })),
  };
  const entered = summary.current
    .map((c) => c.since)
    .filter((at): at is number => at !== undefined);
  if (entered.length > 0) {
    progress.enteredAt = Math.min(...entered);
    progress.inNode = spanInWords(Math.max(0, now - progress.enteredAt));
  }
  if (summary.hypercare) {
    const { nodeName, expiresAt, phase } = summary.hypercare;
    progress.hypercare = { nodeName, expiresAt, phase };
  }
  return progress;
}

/** The same from a full state, with its open hypercare issues. */
export function projectProgress(
  state: Pick<ProjectStateView, 'current' | 'nodes' | 'issues' | 'metrics' | 'actualCost'>,
  template: Template | undefined,
  now: number,
): ProjectProgress & { openIssues: number } {
  return {
    ...progressShown(progressSummary(state, template), now),
    openIssues: state.issues.filter((i) => i.status === 'open').length,
  };
}
