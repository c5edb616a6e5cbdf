/**
 * Feedback with a loop (issue 13, item 6): a feedback item or lesson is acknowledged (with an
 * owner), then closed as acted on or declined with a response saying what was done or why
 * not. The stewards of the node it was posted at (its owners, else its signers), the item's
 * owner and the PMO answer it; its poster hears the answer. With patch "feedback-handover" the
 * stewards hear of a new item, an owner hears when it is given to them, and an owner who
 * leaves the project hands their open items to whoever takes their place.
 */
import { feedbackStewardRoles } from '../model/duty';
import type { CommandOf, FeedbackEntry, FeedbackStatus } from '../model';
import { type Step, refuse } from './context';

/** Feedback entries the state keeps (the audit trail, and so the API, has every one). */
export const FEEDBACK_KEPT = 20;

export const isClosed = (status: FeedbackStatus | undefined) =>
  status === 'acted_on' || status === 'declined';

/**
 * Drops the oldest entries beyond FEEDBACK_KEPT, closed ones first: an item still open stays
 * answerable as long as fewer than FEEDBACK_KEPT newer items are open too.
 */
export function pruneFeedback(entries: FeedbackEntry[]): void {
  while (entries.length > FEEDBACK_KEPT) {
    const closed = entries.findIndex((f) => isClosed(f.status));
    entries.splice(closed >= 0 ? closed : 0, 1);
  }
}

/** Who may answer `entry`: a steward of its node, its owner or the PMO. */
export function mayAnswer(step: Step, entry: FeedbackEntry, userId: string, pmo: boolean): boolean {
  if (pmo || entry.owner === userId) return true;
  const held = step.rolesOf(userId);
  return feedbackStewardRoles(step.template, entry.nodeId).some((r) => held.includes(r));
}

/**
 * Tells who must answer a new item: its node's stewards (the poster aside), else the PMO, who
 * answers items no steward is expected to. The link opens the project's feedback.
 */
export function noticeFeedback(step: Step, entry: FeedbackEntry, text: string): void {
  const roles = feedbackStewardRoles(step.template, entry.nodeId);
  const stewards = roles.flatMap((r) => step.state.participants[r] ?? []);
  const users = stewards.filter((u) => u !== entry.by);
  if (roles.length > 0 && users.length === 0) return;
  const node = step.template.nodes.find((n) => n.id === entry.nodeId);
  const at = node ? ` at "${node.name}"` : '';
  step.notify(
    'feedback',
    users.length > 0 ? { users } : { pmo: true },
    `new ${entry.kind} to answer`,
    `${entry.by} posted ${entry.kind} ${entry.id}${at}: ${text}\n` +
      'Acknowledge it, or close it as acted on or declined with a response.',
    entry.nodeId,
  );
}

/**
 * `reassign` took `from`'s place in `role` for `to`: when `from` no longer takes part, their
 * open items are `to`'s, each with an audit entry, and `to` hears of them. An owner still
 * holding another role keeps their items: they can still answer them.
 */
export function handOverFeedback(step: Step, cmd: CommandOf<'reassign'>): void {
  if (step.isParticipant(cmd.from)) return;
  const moved: FeedbackEntry[] = [];
  for (const entry of step.state.feedback) {
    if (entry.owner !== cmd.from || isClosed(entry.status)) continue;
    entry.owner = cmd.to;
    moved.push(entry);
    step.audit('feedback.handed-over', {
      ...(entry.nodeId !== undefined && { nodeId: entry.nodeId }),
      ...(cmd.reason !== undefined && { reason: cmd.reason }),
      detail: { id: entry.id, role: cmd.role, from: cmd.from, to: cmd.to },
    });
  }
  if (moved.length === 0) return;
  step.notify(
    'feedback',
    { users: [cmd.to] },
    'feedback handed over to you',
    `The PMO gave you what ${cmd.from} owned as ${step.roleName(cmd.role)}: ` +
      `${moved.map((f) => `${f.kind} ${f.id}`).join(', ')}. ` +
      'Close each as acted on or declined, with a response.',
  );
}

export function feedbackStatus(
  step: Step,
  cmd: CommandOf<'feedbackStatus'>,
  handover = true,
): string {
  const { userId, pmo = false } = cmd.actor;
  if (!pmo && !step.isParticipant(userId)) {
    refuse('not_participant', 'you are not a participant of this project');
  }
  const entry = step.state.feedback.find((f) => f.id === cmd.feedbackId);
  if (!entry) {
    refuse(
      'unknown_feedback',
      `no feedback "${cmd.feedbackId}" to answer here (the latest ${FEEDBACK_KEPT} items are kept, open ones first)`,
      ['feedbackId'],
    );
  }
  if (!mayAnswer(step, entry, userId, pmo)) {
    const roles = feedbackStewardRoles(step.template, entry.nodeId).map((r) => step.roleName(r));
    refuse(
      'not_responsible',
      `only ${roles.length ? `the ${roles.join(', the ')}, ` : ''}the item's owner or the PMO answer this ${entry.kind}`,
    );
  }
  if (isClosed(entry.status)) {
    refuse('feedback_closed', `this ${entry.kind} was already closed as ${entry.status}`);
  }
  if (cmd.status === 'acknowledged' && entry.status === 'acknowledged') {
    refuse('already_acknowledged', `this ${entry.kind} was already acknowledged`);
  }
  if (cmd.status !== 'acknowledged' && cmd.response === undefined) {
    refuse(
      'invalid_input',
      cmd.status === 'acted_on' ? 'say what was done about it' : 'say why it is declined',
      ['response'],
    );
  }
  const owner = cmd.owner ?? entry.owner ?? userId;
  const given = owner !== entry.owner && owner !== userId && cmd.status === 'acknowledged';
  if (cmd.owner !== undefined && !step.isParticipant(cmd.owner)) {
    refuse('invalid_participants', `${cmd.owner} is not a participant of this project`, ['owner']);
  }
  entry.status = cmd.status;
  entry.owner = owner;
  entry.statusBy = userId;
  entry.statusAt = step.now;
  if (cmd.response !== undefined) entry.responseRef = step.storeText(cmd.response);
  step.audit('feedback.status', {
    ...(entry.nodeId !== undefined && { nodeId: entry.nodeId }),
    detail: {
      id: entry.id,
      status: cmd.status,
      owner,
      ...(cmd.response !== undefined && { response: cmd.response }),
    },
  });
  const said = cmd.status === 'acknowledged' ? 'acknowledged' : cmd.status.replace('_', ' ');
  if (handover && given) {
    step.notify(
      'feedback',
      { users: [owner] },
      `${entry.kind} given to you`,
      `${userId} gave you ${entry.kind} ${entry.id} (posted by ${entry.by}) to act on or ` +
        'decline, with a response.' +
        (cmd.response ? `\n${cmd.response}` : ''),
      entry.nodeId,
    );
  }
  // The poster's answer opens the feedback too (patch "feedback-handover"; before, the step).
  step.notify(
    handover ? 'feedback' : 'message',
    { users: [entry.by] },
    `your ${entry.kind} was ${said}`,
    `Your ${entry.kind} was ${said}.` + (cmd.response ? `\n${cmd.response}` : ''),
    entry.nodeId,
  );
  return entry.id;
}
