/**
 * The live state drawn on the template graph: per node a display status (done, active, on
 * hold, blocked, pending), the vote tally per sign-off rule, deliverables submitted and the
 * hypercare clock. Pure: the project view, the portfolio and the tests share it.
 */
import {
  blocksExit,
  deliverablesOf,
  missingDeliverables,
  ruleTallies,
  type Edge,
  type Node,
  type Outcome,
  type RuleTally as Tally,
  type Template,
} from '../../../../workflows/model';
import type { ProjectStateView } from '../types';

export const OVERLAY_STATUSES = ['done', 'active', 'on_hold', 'blocked', 'pending'] as const;
export type OverlayStatus = (typeof OVERLAY_STATUSES)[number];

/** A rule's tally (distinct `go` signers of this visit holding its role), as displayed. */
export interface RuleTally extends Tally {
  roleName: string;
  /** "ops-lead 1/2". */
  label: string;
}

export interface NodeOverlay {
  nodeId: string;
  status: OverlayStatus;
  /** The project is in this node now. */
  current: boolean;
  visits: number;
  /** How the last visit ended. */
  outcome?: Outcome;
  tallies: RuleTally[];
  /** Votes of this visit other than `go` (a recycle, hold or kill decides at once). */
  otherVotes: { decision: string; count: number }[];
  deliverables?: { submitted: number; total: number; requiredMissing: number };
  openIssues: number;
  blockingIssues: number;
  dueAt?: number;
  overdue: boolean;
  hypercare?: {
    expiresAt: number;
    phase: 'running' | 'awaiting_exit';
    extensions: number;
    maxExtensions?: number;
    escalated: number[];
  };
}

/** Open hypercare issues of `nodeId` that block its exit (1 = critical; default 1 and 2). */
export function blockingIssueCount(node: Node, state: ProjectStateView): number {
  if (node.type !== 'hypercare') return 0;
  return state.issues.filter(
    (i) =>
      i.nodeId === node.id && i.status === 'open' && blocksExit(i.severity, node.blockingSeverity),
  ).length;
}

export function nodeOverlay(
  node: Node,
  state: ProjectStateView,
  template: Template,
  now: number,
): NodeOverlay {
  const rec = state.nodes[node.id];
  const current = state.current.includes(node.id);
  const blocking = blockingIssueCount(node, state);
  const openIssues = state.issues.filter((i) => i.nodeId === node.id && i.status === 'open').length;
  const roleName = (key: string) => template.roles.find((r) => r.key === key)?.name ?? key;
  const votes = rec?.votes ?? [];
  const tallies = ruleTallies(node, votes).map((tally): RuleTally => ({
    ...tally,
    roleName: roleName(tally.role),
    label: `${tally.role} ${tally.go}/${tally.min}`,
  }));
  const others = new Map<string, number>();
  for (const v of votes) {
    if (v.decision !== 'go') others.set(v.decision, (others.get(v.decision) ?? 0) + 1);
  }
  const list = deliverablesOf(node);
  const overlay: NodeOverlay = {
    nodeId: node.id,
    status: statusOf(rec?.status, current && state.status === 'on_hold', blocking > 0),
    current,
    visits: rec?.visits ?? 0,
    tallies,
    otherVotes: [...others].map(([decision, count]) => ({ decision, count })),
    openIssues,
    blockingIssues: blocking,
    overdue: current && rec?.dueAt !== undefined && rec.dueAt < now,
  };
  if (rec?.outcome !== undefined) overlay.outcome = rec.outcome;
  if (rec?.dueAt !== undefined && rec.status === 'active') overlay.dueAt = rec.dueAt;
  if (list.length > 0) {
    overlay.deliverables = {
      submitted: list.length - missingDeliverables(node, rec, 'all').length,
      total: list.length,
      requiredMissing: missingDeliverables(node, rec).length,
    };
  }
  if (rec?.hypercare && node.type === 'hypercare') {
    overlay.hypercare = {
      expiresAt: rec.hypercare.expiresAt,
      phase: rec.hypercare.phase,
      extensions: rec.hypercare.extensions,
      escalated: rec.hypercare.escalated,
      ...(node.maxExtensions !== undefined && { maxExtensions: node.maxExtensions }),
    };
  }
  return overlay;
}

function statusOf(
  status: string | undefined,
  projectHeld: boolean,
  blocked: boolean,
): OverlayStatus {
  if (status === 'on_hold' || (status === 'active' && projectHeld)) return 'on_hold';
  if (status === 'active') return blocked ? 'blocked' : 'active';
  if (status === 'done') return 'done';
  return 'pending';
}

/** Overlays of every node of the template, by node id. */
export function overlays(
  template: Template,
  state: ProjectStateView,
  now: number,
): Record<string, NodeOverlay> {
  return Object.fromEntries(
    template.nodes.map((n) => [n.id, nodeOverlay(n, state, template, now)]),
  );
}

/** True when the project has left `edge.from` by `edge.on` at least once. */
export function edgeTaken(edge: Edge, state: ProjectStateView): boolean {
  return state.nodes[edge.from]?.decisions.some((d) => d.outcome === edge.on) ?? false;
}
