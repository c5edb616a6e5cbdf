/**
 * Hypercare issues as a joint duty (issue 13, item 2): an issue whose severity the hypercare
 * node gives times to (`issueSla`) must get a first response and a resolution by then; its own
 * ladder of durable timers reminds the responders before the resolution is due and escalates
 * past each date. The node's owners and the roles told of issues answer it.
 */
import { addDuration, subtractDuration } from '../model/duration';
import { issueResponderRoles, issueSlaOf, ownersOf } from '../model/duty';
import { severityName } from '../model/severity';
import { signerRoles } from '../model/signers';
import type { CommandOf, Deadline, Issue, NodeOf, RoleKey } from '../model';
import { type Step, refuse, when } from './context';

type HypercareNode = NodeOf<'hypercare'>;
type IssueDeadline = 'issue-respond' | 'issue-remind' | 'issue-resolve' | 'issue-escalate';

/** Starts the issue's clock when its node sets times for its severity. */
export function startIssueClock(step: Step, node: HypercareNode, issue: Issue): void {
  const sla = issueSlaOf(node, issue.severity);
  if (!sla) return;
  issue.respondBy = addDuration(step.now, sla.respond);
  issue.resolveBy = addDuration(step.now, sla.resolve);
  const at = (kind: IssueDeadline, when: number, index?: number): Deadline => ({
    id: `issue:${issue.id}:${kind}${index !== undefined ? `:${index}` : ''}`,
    at: when,
    kind,
    nodeId: node.id,
    issueId: issue.id,
    ...(index !== undefined && { index }),
  });
  step.schedule(at('issue-respond', issue.respondBy));
  sla.remind?.forEach((before, index) => {
    const remindAt = subtractDuration(issue.resolveBy!, before);
    if (remindAt > step.now) step.schedule(at('issue-remind', remindAt, index));
  });
  step.schedule(at('issue-resolve', issue.resolveBy));
  sla.escalate?.forEach((level, index) =>
    step.schedule(at('issue-escalate', addDuration(issue.resolveBy!, level.after), index)),
  );
}

/** The issue's timers go once it is resolved. */
export function stopIssueClock(step: Step, issue: Issue): void {
  step.cancelDeadlines((d) => d.issueId === issue.id);
}

/** The issue and its hypercare node, for an action of one of its responders. */
function answerable(step: Step, issueId: string): { issue: Issue; node: HypercareNode } {
  const issue = step.state.issues.find((i) => i.id === issueId);
  if (!issue) refuse('unknown_issue', `no issue "${issueId}"`, ['issueId']);
  if (issue.status === 'resolved') {
    refuse('already_resolved', `issue "${issue.title}" is already resolved`);
  }
  const node = step.node(issue.nodeId);
  if (node.type !== 'hypercare') refuse('unknown_issue', `no issue "${issueId}"`, ['issueId']);
  const roles = issueResponderRoles(step.template, node);
  if (!roles.some((r) => step.rolesOf(step.actor).includes(r))) {
    refuse(
      'not_responsible',
      `only the ${roles.map((r) => step.roleName(r)).join(', the ') || 'owners'} answer issues of "${node.name}"`,
    );
  }
  return { issue, node };
}

/** The first response: the issue is taken on, its response clock stops. */
function firstResponse(step: Step, issue: Issue): void {
  if (issue.acknowledgedAt !== undefined) return;
  issue.acknowledgedBy = step.actor;
  issue.acknowledgedAt = step.now;
  step.cancelDeadlines((d) => d.issueId === issue.id && d.kind === 'issue-respond');
}

export function acknowledgeIssue(
  step: Step,
  cmd: CommandOf<'acknowledgeIssue'>,
): { nodeId: string; id: string } {
  const { issue, node } = answerable(step, cmd.issueId);
  if (issue.acknowledgedAt !== undefined) {
    refuse('already_acknowledged', `issue "${issue.title}" was already taken on`);
  }
  firstResponse(step, issue);
  step.audit('issue.acknowledged', {
    nodeId: node.id,
    ...(cmd.note !== undefined && { reason: cmd.note }),
    detail: { issueId: issue.id, late: lateFor(issue.respondBy, step.now) },
  });
  step.notify(
    'message',
    { users: [issue.raisedBy] },
    `issue taken on: ${issue.title}`,
    `Your issue "${issue.title}" was taken on.` + (cmd.note ? `\n${cmd.note}` : ''),
    node.id,
  );
  return { nodeId: node.id, id: issue.id };
}

export function respondToIssue(
  step: Step,
  cmd: CommandOf<'respondToIssue'>,
): { nodeId: string; id: string } {
  const { issue, node } = answerable(step, cmd.issueId);
  const first = issue.acknowledgedAt === undefined;
  firstResponse(step, issue);
  issue.responseRef = step.storeText(cmd.text);
  issue.respondedBy = step.actor;
  issue.respondedAt = step.now;
  step.audit('issue.responded', {
    nodeId: node.id,
    detail: {
      issueId: issue.id,
      text: cmd.text,
      ...(first && { late: lateFor(issue.respondBy, step.now) }),
    },
  });
  step.notify(
    'message',
    { users: [issue.raisedBy] },
    `response to your issue: ${issue.title}`,
    cmd.text,
    node.id,
  );
  return { nodeId: node.id, id: issue.id };
}

function lateFor(dueAt: number | undefined, now: number): boolean {
  return dueAt !== undefined && now > dueAt;
}

/** Escalations go up: to the node's owners (its exit signers when it names none) and the PMO. */
function ownersOrSigners(node: HypercareNode): RoleKey[] {
  const owners = ownersOf(node);
  return owners.length > 0 ? owners : signerRoles(node);
}

/** One step of an issue's ladder fired; an issue resolved or gone by then is left alone. */
export function onIssueDeadline(
  step: Step,
  kind: IssueDeadline,
  issueId: string,
  index: number,
): void {
  const issue = step.state.issues.find((i) => i.id === issueId);
  if (!issue || issue.status !== 'open') return;
  const node = step.node(issue.nodeId);
  if (node.type !== 'hypercare') return;
  const label = `S${issue.severity} "${issue.title}"`;
  const what = `A severity ${issue.severity} (${severityName(issue.severity).toLowerCase()}) issue in "${node.name}"`;
  const mark = (rung: string) => (issue.overdue = [...(issue.overdue ?? []), rung]);
  const audit = (action: string, detail: Record<string, unknown>) =>
    step.audit(action, { nodeId: node.id, actor: 'system', detail: { issueId, ...detail } });
  switch (kind) {
    case 'issue-respond':
      if (issue.acknowledgedAt !== undefined) return;
      mark('respond');
      audit('issue.response-overdue', { respondBy: issue.respondBy });
      step.notify(
        'escalation',
        { roles: ownersOrSigners(node), pmo: true },
        `no response to issue ${label}`,
        `${what} has had no response; one was due ${when(issue.respondBy ?? step.now)}.`,
        node.id,
      );
      return;
    case 'issue-remind':
      audit('issue.reminder', { index, resolveBy: issue.resolveBy });
      step.notify(
        'reminder',
        { roles: issueResponderRoles(step.template, node) },
        `issue ${label} is due ${when(issue.resolveBy ?? step.now)}`,
        `Reminder: ${what} is to be resolved by ${when(issue.resolveBy ?? step.now)}.`,
        node.id,
      );
      return;
    case 'issue-resolve':
      mark('resolve');
      audit('issue.overdue', { resolveBy: issue.resolveBy });
      step.notify(
        'escalation',
        { roles: ownersOrSigners(node), pmo: true },
        `issue ${label} is past its resolution time`,
        `${what} was due to be resolved ${when(issue.resolveBy ?? step.now)} and is still open.`,
        node.id,
      );
      return;
    case 'issue-escalate': {
      const level = issueSlaOf(node, issue.severity)?.escalate?.[index];
      if (!level) return;
      mark(`escalate:${index}`);
      audit('issue.escalated', { level: index + 1, notify: level.notify });
      step.notify(
        'escalation',
        { roles: level.notify },
        `escalation ${index + 1}: issue ${label} unresolved`,
        `${what} was due to be resolved ${when(issue.resolveBy ?? step.now)} and is still open.`,
        node.id,
      );
      return;
    }
  }
}
