/**
 * What the portfolio shows of a project beyond its summary: current node names, days in the
 * current node and the hypercare countdown. Pure, from the full state and (when loaded) the
 * pinned template.
 */
import type { Template } from '../../../../workflows/model';
import type { ProjectStateView } from '../types';
import { daysSince } from './time';

export interface ProjectProgress {
  current: { id: string; name: string }[];
  /** When the project entered the node it has been in longest among its current ones. */
  enteredAt?: number;
  daysInNode?: number;
  hypercare?: { nodeName: string; expiresAt: number; phase: 'running' | 'awaiting_exit' };
  openIssues: number;
}

export function projectProgress(
  state: Pick<ProjectStateView, 'current' | 'nodes' | 'issues' | 'status'>,
  template: Template | undefined,
  now: number,
): ProjectProgress {
  const nameOf = (id: string) => template?.nodes.find((n) => n.id === id)?.name ?? id;
  const progress: ProjectProgress = {
    current: state.current.map((id) => ({ id, name: nameOf(id) })),
    openIssues: state.issues.filter((i) => i.status === 'open').length,
  };
  const entered = state.current
    .map((id) => state.nodes[id]?.enteredAt)
    .filter((at): at is number => at !== undefined);
  if (entered.length > 0) {
    progress.enteredAt = Math.min(...entered);
    progress.daysInNode = daysSince(progress.enteredAt, now);
  }
  for (const id of state.current) {
    const hc = state.nodes[id]?.hypercare;
    if (hc) progress.hypercare = { nodeName: nameOf(id), expiresAt: hc.expiresAt, phase: hc.phase };
  }
  return progress;
}
