/**
 * What a user must act on in a project: the next actions the project waits for
 * (`nextActions` marks them `pending`). The approver's inbox and the designer's "your turn"
 * markers use this pure function.
 */
import type { ProjectStateData, Template } from '../model';
import { blocksExit } from '../model/severity';
import { nextActions, PENDING_ACTIONS } from './next';

export { PENDING_ACTIONS };

export interface PendingAction {
  projectId: string;
  projectName: string;
  nodeId: string;
  nodeName: string;
  action: (typeof PENDING_ACTIONS)[number];
  /** Roles of the user that make this theirs (their keys). */
  roles: string[];
  /** The same roles by the names the project's template gives them ("Operations lead"). */
  roleNames: string[];
  /** When it is due (SLA, condition or hypercare expiry), epoch ms. */
  dueAt?: number;
  /** The deliverable or condition concerned. */
  itemId?: string;
  detail?: string;
  /**
   * A hypercare issue to take on or resolve: its severity (1 = critical) and whether, while
   * open, it blocks the exit of its hypercare (the node's `blockingSeverity`).
   */
  issue?: { severity: number; blocksExit: boolean };
  /**
   * An `answer-feedback` item's kind and text (the API adds them from the audit trail: the
   * state keeps a text by its digest only).
   */
  feedback?: { kind: 'feedback' | 'lesson'; text: string };
  /** Delegation: the participant the caller would act for (the API adds it). */
  onBehalfOf?: { id: string; name: string };
}

/**
 * What a delegate may do for a participant: sign, and do an open KPI review (every other
 * action stays the participant's).
 */
export const DELEGABLE_ACTIONS: readonly PendingAction['action'][] = [
  'signoff',
  'accept-hypercare',
  'kpi-review',
];

const isPending = (action: string): action is PendingAction['action'] =>
  (PENDING_ACTIONS as readonly string[]).includes(action);

/** The actions whose item is a hypercare issue. */
const ON_ISSUE: readonly string[] = ['acknowledge-issue', 'resolve-issue'];

export function pendingActions(
  state: ProjectStateData,
  template: Template,
  userId: string,
): PendingAction[] {
  const out: PendingAction[] = [];
  for (const next of nextActions(state, template, userId)) {
    const node = template.nodes.find((n) => n.id === next.nodeId);
    if (!next.pending || !node || !isPending(next.action)) continue;
    const issue = ON_ISSUE.includes(next.action)
      ? state.issues.find((i) => i.id === next.itemId)
      : undefined;
    const blocking = node.type === 'hypercare' ? node.blockingSeverity : undefined;
    out.push({
      projectId: state.id,
      projectName: state.name,
      nodeId: node.id,
      nodeName: node.name,
      action: next.action,
      roles: next.roles,
      roleNames: next.roles.map((key) => template.roles.find((r) => r.key === key)?.name ?? key),
      ...(next.dueAt !== undefined && { dueAt: next.dueAt }),
      ...(next.itemId !== undefined && { itemId: next.itemId }),
      ...(next.detail !== undefined && { detail: next.detail }),
      ...(issue && {
        issue: { severity: issue.severity, blocksExit: blocksExit(issue.severity, blocking) },
      }),
    });
  }
  return signingLast(out);
}

/** The actions that decide a node (a sign-off, accepting hypercare's end). */
const SIGNING: readonly PendingAction['action'][] = ['signoff', 'accept-hypercare'];

/**
 * The same actions, with a node's sign-off moved after the node's other work listed after it
 * (its deliverables, conditions, readiness gaps): what a signer would do first when both are
 * due together. Everything else keeps its place.
 */
function signingLast(actions: PendingAction[]): PendingAction[] {
  const lastWork = new Map<string, number>();
  actions.forEach((a, i) => {
    if (!SIGNING.includes(a.action)) lastWork.set(a.nodeId, i);
  });
  const held = new Map<number, PendingAction[]>();
  const out: PendingAction[] = [];
  actions.forEach((a, i) => {
    const after = lastWork.get(a.nodeId);
    if (SIGNING.includes(a.action) && after !== undefined && after > i) {
      held.set(after, [...(held.get(after) ?? []), a]);
    } else {
      out.push(a, ...(held.get(i) ?? []));
    }
  });
  return out;
}
