/**
 * Hypercare (SPEC §3): a timed period after handoff in which operations raise and resolve
 * issues. At expiry, blocking issues extend it automatically (escalating to the first level);
 * otherwise the exit signers are asked to accept while the escalation ladder fires.
 */
import { LIMITS } from '../model/commands';
import { addDuration } from '../model/duration';
import { hypercareStartRoles, issueNotifyRoles } from '../model/duty';
import { blocksExit, DEFAULT_BLOCKING_SEVERITY, severityName } from '../model/severity';
import { mention } from '../model/people';
import { signerRoles } from '../model/signers';
import type { CommandOf, Issue, NodeOf } from '../model';
import { type Step, refuse, when } from './context';
import { exitStanding } from './exit-standing';
import { startIssueClock, stopIssueClock } from './issues';

type HypercareNode = NodeOf<'hypercare'>;

export function blockingIssues(step: Step, node: HypercareNode): Issue[] {
  return step.state.issues.filter(
    (i) =>
      i.nodeId === node.id && i.status === 'open' && blocksExit(i.severity, node.blockingSeverity),
  );
}

function listIssues(issues: Issue[]): string {
  return issues.map((i) => `- [S${i.severity}] ${i.title} (${i.id})`).join('\n');
}

function opsRoles(step: Step): string[] {
  return step.template.roles.filter((r) => r.operations).map((r) => r.key);
}

export function startHypercare(step: Step, node: HypercareNode): void {
  const rec = step.record(node.id);
  const expiresAt = addDuration(step.now, node.duration);
  rec.hypercare = { expiresAt, extensions: 0, phase: 'running', escalated: [] };
  scheduleExpiry(step, node.id, rec.visits, expiresAt);
  step.notify(
    'action-required',
    { roles: hypercareStartRoles(step.template, node) },
    `hypercare "${node.name}" started`,
    `Hypercare runs until ${when(expiresAt)}. Raise issues as you find them; ` +
      blockingText(node.blockingSeverity ?? DEFAULT_BLOCKING_SEVERITY),
    node.id,
  );
}

function scheduleExpiry(step: Step, nodeId: string, visit: number, at: number): void {
  step.schedule({ id: `${nodeId}:${visit}:expiry`, at, kind: 'hypercare-expiry', nodeId });
}

/** The hypercare node currently running, or a refusal. */
export function activeHypercare(step: Step): HypercareNode {
  for (const id of step.state.current) {
    const node = step.node(id);
    if (node.type === 'hypercare' && step.peek(id)?.status === 'active') return node;
  }
  refuse('not_in_hypercare', 'the project is not in hypercare');
}

/** Which severities block, in words. */
function blockingText(threshold: number): string {
  return threshold === 1
    ? 'a critical issue (severity 1) blocks the exit.'
    : `severity 1 (critical) to ${threshold} (${severityName(threshold).toLowerCase()}) blocks the exit.`;
}

export function raiseIssue(
  step: Step,
  cmd: CommandOf<'raiseIssue'>,
  legacy = false,
): { nodeId: string; id: string } {
  const node = activeHypercare(step);
  if (!legacy && step.state.issues.length >= LIMITS.issuesPerProject) {
    refuse('limit_reached', `a project holds at most ${LIMITS.issuesPerProject} hypercare issues`, [
      'title',
    ]);
  }
  const id = `issue-${step.state.issues.length + 1}`;
  const issue: Issue = {
    id,
    nodeId: node.id,
    severity: cmd.severity,
    title: cmd.title,
    status: 'open',
    raisedBy: cmd.actor.userId,
    raisedAt: step.now,
  };
  step.state.issues.push(issue);
  startIssueClock(step, node, issue);
  step.audit('issue.raised', {
    nodeId: node.id,
    detail: { issueId: id, severity: cmd.severity, title: cmd.title },
  });
  step.notify(
    'action-required',
    { roles: issueNotifyRoles(step.template, node) },
    `hypercare issue S${cmd.severity}: ${cmd.title}`,
    `A severity ${cmd.severity} (${severityName(cmd.severity).toLowerCase()}) issue was raised in "${node.name}": ${cmd.title}` +
      (issue.resolveBy !== undefined
        ? `\nFirst response due ${when(issue.respondBy!)}, resolution due ${when(issue.resolveBy)}.`
        : ''),
    node.id,
  );
  return { nodeId: node.id, id };
}

/**
 * Resolves an issue. `tell`: whoever raised it and whoever took it on hear of it (patch
 * "issue-resolved-notice"; false replays an Update recorded before it as it was decided then).
 */
export function resolveIssue(
  step: Step,
  cmd: CommandOf<'resolveIssue'>,
  tell = true,
): { nodeId: string; id: string } {
  const issue = step.state.issues.find((i) => i.id === cmd.issueId);
  if (!issue) refuse('unknown_issue', `no issue "${cmd.issueId}"`, ['issueId']);
  if (issue.status === 'resolved')
    refuse('already_resolved', `issue "${issue.title}" is already resolved`);
  issue.status = 'resolved';
  issue.resolvedBy = cmd.actor.userId;
  issue.resolvedAt = step.now;
  stopIssueClock(step, issue);
  if (cmd.note !== undefined) issue.noteRef = step.storeText(cmd.note);
  step.audit('issue.resolved', {
    nodeId: issue.nodeId,
    ...(cmd.note !== undefined && { reason: cmd.note }),
    detail: { issueId: issue.id },
  });
  if (tell) tellResolved(step, issue, cmd.note);
  return { nodeId: issue.nodeId, id: issue.id };
}

/** The raiser and whoever took the issue on hear that it was resolved, unless they did it. */
function tellResolved(step: Step, issue: Issue, note: string | undefined): void {
  const resolver = issue.resolvedBy!;
  const told = [issue.raisedBy, issue.acknowledgedBy].filter(
    (u): u is string => u !== undefined && u !== resolver,
  );
  step.notify(
    'message',
    { users: told },
    `issue resolved: ${issue.title}`,
    `The severity ${issue.severity} (${severityName(issue.severity).toLowerCase()}) issue ` +
      `"${issue.title}" raised by ${mention(issue.raisedBy)} was resolved by ${mention(resolver)}.` +
      (note ? `\n${note}` : ''),
    issue.nodeId,
    [issue.raisedBy, resolver],
  );
}

/** Extends hypercare by `extendBy`; counts against `maxExtensions`. */
function extend(step: Step, node: HypercareNode, reason: string, auto: boolean): void {
  const rec = step.record(node.id);
  const hc = rec.hypercare!;
  const extendBy = node.extendBy!;
  const from = hc.phase === 'running' ? hc.expiresAt : step.now;
  hc.expiresAt = addDuration(from, extendBy);
  hc.extensions += 1;
  hc.phase = 'running';
  delete hc.expiredAt;
  hc.escalated = [];
  step.cancelDeadlines((d) => d.nodeId === node.id && d.kind === 'hypercare-escalate');
  scheduleExpiry(step, node.id, rec.visits, hc.expiresAt);
  step.audit('hypercare.extended', {
    nodeId: node.id,
    reason,
    ...(auto && { actor: 'system' }),
    detail: { until: hc.expiresAt, extensions: hc.extensions, auto },
  });
}

export function extendManually(step: Step, cmd: CommandOf<'extendHypercare'>): string {
  const node = activeHypercare(step);
  const held = step.rolesOf(cmd.actor.userId);
  if (!signerRoles(node).some((r) => held.includes(r))) {
    refuse('not_signer', `only an exit signer of "${node.name}" may extend it`);
  }
  const hc = step.record(node.id).hypercare!;
  if (!node.extendBy)
    refuse('no_extensions_left', `"${node.name}" cannot be extended (no extendBy)`);
  if (hc.extensions >= (node.maxExtensions ?? 0)) {
    refuse(
      'no_extensions_left',
      `"${node.name}" was already extended ${hc.extensions} time(s), the maximum`,
    );
  }
  extend(step, node, cmd.reason, false);
  step.notify(
    'message',
    { roles: [...opsRoles(step), ...signerRoles(node)] },
    `hypercare extended to ${when(hc.expiresAt)}`,
    `"${node.name}" was extended to ${when(hc.expiresAt)}: ${cmd.reason}`,
    node.id,
  );
  return node.id;
}

export function onExpiry(step: Step, nodeId: string): void {
  const node = step.node(nodeId);
  if (node.type !== 'hypercare') return;
  const rec = step.record(nodeId);
  const hc = rec.hypercare;
  if (!hc || rec.status !== 'active') return;
  const blocking = blockingIssues(step, node);
  const canExtend = node.extendBy !== undefined && hc.extensions < (node.maxExtensions ?? 0);
  if (blocking.length > 0 && canExtend) {
    extend(step, node, `${blocking.length} blocking issue(s) open at expiry`, true);
    const first = node.escalation[0];
    step.notify(
      'escalation',
      { roles: first?.notify ?? signerRoles(node), pmo: true },
      `hypercare extended: ${blocking.length} blocking issue(s) open`,
      `"${node.name}" expired with blocking issues open and was extended to ${when(hc.expiresAt)} ` +
        `(extension ${hc.extensions} of ${node.maxExtensions ?? 0}):\n${listIssues(blocking)}`,
      nodeId,
    );
    return;
  }
  hc.phase = 'awaiting_exit';
  hc.expiredAt = step.now;
  step.audit('hypercare.expired', {
    nodeId,
    actor: 'system',
    detail: { openBlocking: blocking.map((i) => i.id) },
  });
  step.notify(
    'action-required',
    { roles: signerRoles(node) },
    `accept the end of hypercare "${node.name}"`,
    `Hypercare "${node.name}" has expired. Exit signers: accept the handover by signing it off.` +
      (blocking.length ? `\nStill open:\n${listIssues(blocking)}` : ''),
    nodeId,
  );
  node.escalation.forEach((level, index) => {
    step.schedule({
      id: `${nodeId}:${rec.visits}:escalate:${index}`,
      at: addDuration(step.now, level.after),
      kind: 'hypercare-escalate',
      nodeId,
      index,
    });
  });
}

/**
 * An escalation level fired while the exit is not accepted. `standing`: it names whose
 * acceptance is missing and what the reader can do (patch "hypercare-exit-notices", ./exit-standing.ts).
 */
export function onEscalate(step: Step, nodeId: string, index: number, standing = true): void {
  const node = step.node(nodeId);
  if (node.type !== 'hypercare') return;
  const rec = step.record(nodeId);
  const hc = rec.hypercare;
  const level = node.escalation[index];
  if (!hc || hc.phase !== 'awaiting_exit' || !level || rec.status !== 'active') return;
  hc.escalated.push(index);
  const open = step.state.issues.filter((i) => i.nodeId === nodeId && i.status === 'open');
  step.audit('hypercare.escalated', {
    nodeId,
    actor: 'system',
    detail: { level: index + 1, notify: level.notify },
  });
  const told = standing ? exitStanding(step, node) : undefined;
  step.notify(
    'escalation',
    { roles: level.notify },
    `escalation ${index + 1}: hypercare "${node.name}" not accepted`,
    `Hypercare "${node.name}" expired ${when(hc.expiredAt ?? step.now)} and its exit is not yet accepted.` +
      (told?.text ?? '') +
      (open.length ? `\nOpen issues:\n${listIssues(open)}` : ''),
    nodeId,
    told?.people,
  );
}
