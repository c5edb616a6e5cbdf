/**
 * Who owns a node, who answers a hypercare issue and who records a review (issue 13): pure answers that the
 * interpreter, the staffing check, the designer, the simulation and the tests all ask.
 */
import { signerRoles } from './signers';
import type { Issue } from './state';
import type { IssueSla, Node, NodeOf, RoleKey, Template } from './template';

/** The roles that own `node` jointly: `owner` first, then `owners`; empty when none is named. */
export function ownersOf(node: Node): RoleKey[] {
  return [...new Set([...(node.owner !== undefined ? [node.owner] : []), ...(node.owners ?? [])])];
}

/** Who records a review's decisions and sets its follow-up actions: its signers and owners. */
export function reviewerRoles(node: NodeOf<'review'>): RoleKey[] {
  return unique([...signerRoles(node), ...ownersOf(node)]);
}

/** The operations-side roles of `template`. */
export function operationsRoles(template: Template): RoleKey[] {
  return template.roles.filter((r) => r.operations).map((r) => r.key);
}

/** Who is told that hypercare started: `notifyStart`, else operations and the exit signers. */
export function hypercareStartRoles(template: Template, node: NodeOf<'hypercare'>): RoleKey[] {
  return unique(node.notifyStart ?? [...operationsRoles(template), ...signerRoles(node)]);
}

/** Who is told of each raised issue: `notifyIssues`, else the operations roles. */
export function issueNotifyRoles(template: Template, node: NodeOf<'hypercare'>): RoleKey[] {
  return unique(node.notifyIssues ?? operationsRoles(template));
}

/**
 * Who answers a hypercare issue (acknowledges, responds, is reminded of and owns it in the
 * inbox): the node's owners and the roles told of issues.
 */
export function issueResponderRoles(template: Template, node: NodeOf<'hypercare'>): RoleKey[] {
  return unique([...ownersOf(node), ...issueNotifyRoles(template, node)]);
}

/** The response and resolution times of issues of `severity`, if the node sets them. */
export function issueSlaOf(node: NodeOf<'hypercare'>, severity: number): IssueSla | undefined {
  return node.issueSla?.find((s) => s.severity === severity);
}

function unique(roles: readonly RoleKey[]): RoleKey[] {
  return [...new Set(roles)];
}

/** Where a hypercare issue stands at `now`: its age and whether its times were kept. */
export interface IssueStanding {
  id: string;
  nodeId: string;
  severity: number;
  title: string;
  status: Issue['status'];
  raisedAt: number;
  /** Open: time since it was raised; resolved: time it took (ms). */
  ageMs: number;
  respondBy?: number;
  resolveBy?: number;
  acknowledgedAt?: number;
  /** The first response came (or is still missing) after its due time. */
  responseLate: boolean;
  /** The resolution came (or is still missing) after its due time. */
  resolutionLate: boolean;
}

/** Every hypercare issue of `issues` with its age at `now`, oldest open first, then resolved. */
export function issueStandings(issues: readonly Issue[], now: number): IssueStanding[] {
  const rows = issues.map((i): IssueStanding => {
    const responded = i.acknowledgedAt ?? (i.status === 'resolved' ? i.resolvedAt : undefined);
    const ended = i.status === 'resolved' ? (i.resolvedAt ?? now) : now;
    return {
      id: i.id,
      nodeId: i.nodeId,
      severity: i.severity,
      title: i.title,
      status: i.status,
      raisedAt: i.raisedAt,
      ageMs: Math.max(0, ended - i.raisedAt),
      ...(i.respondBy !== undefined && { respondBy: i.respondBy }),
      ...(i.resolveBy !== undefined && { resolveBy: i.resolveBy }),
      ...(i.acknowledgedAt !== undefined && { acknowledgedAt: i.acknowledgedAt }),
      responseLate: i.respondBy !== undefined && (responded ?? now) > i.respondBy,
      resolutionLate: i.resolveBy !== undefined && ended > i.resolveBy,
    };
  });
  const open = rows.filter((r) => r.status === 'open').sort((a, b) => a.raisedAt - b.raisedAt);
  return [...open, ...rows.filter((r) => r.status !== 'open')];
}

/**
 * Who answers a feedback item posted at `nodeId` (acknowledges it, closes it as acted on or
 * declined): that node's owners, else its signers. The item's owner and the PMO may too.
 */
export function feedbackStewardRoles(template: Template, nodeId: string | undefined): RoleKey[] {
  const node = template.nodes.find((n) => n.id === nodeId);
  if (!node) return [];
  const owners = ownersOf(node);
  return owners.length > 0 ? owners : unique(signerRoles(node));
}
