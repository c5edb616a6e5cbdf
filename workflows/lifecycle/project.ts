/** Project-wide actions: feedback and lessons, cancel, migrate, reassign. */
import { signerRoles } from '../model/signers';
import { checkParticipants } from '../model/staffing';
import { validateTemplate } from '../model/validate';
import type { CommandOf } from '../model';
import { type Step, refuse } from './context';
import { handOverFeedback, noticeFeedback, pruneFeedback } from './feedback';
import { announceActionHandover, handOverActions } from './review';
import { finish } from './navigation';

/** `handover`: the stewards hear of it (patch "feedback-handover"). */
export function feedback(step: Step, cmd: CommandOf<'feedback'>, handover = true): string {
  const count = step.state.feedbackCount + 1;
  const id = `${cmd.kind}-${count}`;
  const nodeId = step.state.current[0];
  step.state.feedbackCount = count;
  const entry = {
    id,
    kind: cmd.kind,
    textRef: step.storeText(cmd.text),
    by: cmd.actor.userId,
    at: step.now,
    ...(nodeId !== undefined && { nodeId }),
  };
  step.state.feedback.push(entry);
  pruneFeedback(step.state.feedback);
  step.audit(cmd.kind === 'lesson' ? 'lesson.recorded' : 'feedback.recorded', {
    ...(nodeId !== undefined && { nodeId }),
    detail: { id, text: cmd.text },
  });
  if (handover) noticeFeedback(step, entry, cmd.text);
  return id;
}

export function cancel(step: Step, userId: string, pmo: boolean, reason: string): void {
  const signs = step.state.current.some((id) => {
    const node = step.node(id);
    // A hypercare exit signer is not a signer of "the current gate".
    if (node.type === 'hypercare') return false;
    return signerRoles(node).some((r) => step.rolesOf(userId).includes(r));
  });
  if (!pmo && !signs)
    refuse('not_allowed', 'only the PMO or a signer of the current gate may cancel');
  step.audit('project.cancelled', { reason });
  finish(step, 'cancelled', undefined, reason);
}

/**
 * Moves the project to another published version when every node it is in exists there and
 * its participants can staff every rule of that version, and not after the command's
 * `notAfter` (a bulk migration's attempt that has run out of time). `legacy`: an Update
 * recorded before the staffing check, replayed as it was decided then. `deadline` false: an
 * Update recorded before patch "migration-deadline", applied whatever its `notAfter`.
 */
export function migrate(
  step: Step,
  cmd: CommandOf<'migrate'>,
  legacy = false,
  deadline = true,
): void {
  if (!cmd.actor.pmo) refuse('not_allowed', 'only the PMO migrates projects');
  if (deadline && cmd.notAfter !== undefined && step.now > Date.parse(cmd.notAfter)) {
    refuse(
      'migration_expired',
      `cannot migrate: this migration had to be applied by ${cmd.notAfter}`,
      ['notAfter'],
    );
  }
  const next = cmd.template;
  const reasons: string[] = [];
  if (next.key !== step.template.key)
    reasons.push(`template "${next.key}" is not "${step.template.key}"`);
  if (cmd.version === step.state.template.version)
    reasons.push(`the project already runs version ${cmd.version}`);
  const validation = validateTemplate(next);
  if (!validation.valid) reasons.push(`version ${cmd.version} is not a valid template`);
  for (const id of step.state.current) {
    const there = next.nodes.find((n) => n.id === id);
    const here = step.node(id);
    if (!there) reasons.push(`current node "${id}" does not exist in version ${cmd.version}`);
    else if (there.type !== here.type)
      reasons.push(
        `current node "${id}" is a ${there.type} in version ${cmd.version}, not a ${here.type}`,
      );
  }
  if (reasons.length > 0)
    refuse('incompatible_version', `cannot migrate: ${reasons.join('; ')}`, ['version']);
  if (!legacy) {
    const open = step.state.conditions.filter((c) => c.status !== 'met').map((c) => c.owner);
    const shortfalls = checkParticipants(next, step.state.participants, { conditionOwners: open });
    if (shortfalls.length > 0) {
      refuse(
        'invalid_participants',
        `cannot migrate: the participants cannot meet version ${cmd.version}'s rules (${shortfalls.map((e) => e.message).join('; ')})`,
        ['version'],
        shortfalls.map((e) => ({ path: ['version', ...e.path], code: e.code, message: e.message })),
      );
    }
  }
  const from = step.state.template.version;
  step.template = next;
  step.state.template = { key: next.key, version: cmd.version };
  for (const node of next.nodes) step.record(node.id);
  step.audit('project.migrated', { detail: { from, to: cmd.version } });
}

/**
 * `reassign` (PMO): `to` takes `from`'s place in `role`. The participants must still staff
 * every rule the start checks (and every open condition's owner); votes already cast stay.
 * `handover` (patch "feedback-handover"): what `from` held goes to `to` with an audit entry
 * each and a notification (before it, follow-up actions moved silently, feedback stayed).
 */
export function reassign(step: Step, cmd: CommandOf<'reassign'>, handover = true): void {
  if (!cmd.actor.pmo) refuse('not_allowed', 'only the PMO reassigns participants');
  if (!step.template.roles.some((r) => r.key === cmd.role)) {
    refuse('unknown_role', `no role "${cmd.role}" in this template`, ['role']);
  }
  const holders = step.state.participants[cmd.role] ?? [];
  if (!holders.includes(cmd.from)) {
    refuse('invalid_input', `${cmd.from} does not hold the role "${cmd.role}" here`, ['from']);
  }
  if (holders.includes(cmd.to)) {
    refuse('invalid_input', `${cmd.to} already holds the role "${cmd.role}" here`, ['to']);
  }
  const participants = {
    ...step.state.participants,
    [cmd.role]: holders.map((u) => (u === cmd.from ? cmd.to : u)),
  };
  const open = step.state.conditions.filter((c) => c.status !== 'met').map((c) => c.owner);
  const shortfalls = checkParticipants(step.template, participants, { conditionOwners: open });
  if (shortfalls.length > 0) {
    refuse(
      'invalid_participants',
      `cannot reassign: ${shortfalls.map((e) => e.message).join('; ')}`,
      ['to'],
      shortfalls.map((e) => ({ path: ['to', ...e.path], code: e.code, message: e.message })),
    );
  }
  step.state.participants = participants;
  const moved = handOverActions(step, cmd);
  step.audit('participant.reassigned', {
    ...(cmd.reason !== undefined && { reason: cmd.reason }),
    detail: { role: cmd.role, from: cmd.from, to: cmd.to },
  });
  step.notify(
    'message',
    { users: [cmd.to, cmd.from] },
    `${step.roleName(cmd.role)} reassigned`,
    `The PMO gave the part of ${cmd.from} as ${step.roleName(cmd.role)} to ${cmd.to}.`,
  );
  if (!handover) return;
  for (const action of moved) announceActionHandover(step, cmd, action);
  handOverFeedback(step, cmd);
}
