/** Project-wide actions: feedback and lessons, cancel, migrate. */
import { checkParticipants, validateTemplate, type CommandOf } from '../model';
import { type Step, refuse } from './context';
import { finish } from './navigation';

/** Feedback entries the state keeps (the audit trail, and so the API, has every one). */
const FEEDBACK_KEPT = 20;

export function feedback(step: Step, cmd: CommandOf<'feedback'>): string {
  const count = (step.state.feedbackCount ?? step.state.feedback.length) + 1;
  const id = `${cmd.kind}-${count}`;
  const nodeId = step.state.current[0];
  step.state.feedbackCount = count;
  step.state.feedback.push({
    id,
    kind: cmd.kind,
    textRef: step.storeText(cmd.text),
    by: cmd.actor.userId,
    at: step.now,
    ...(nodeId !== undefined && { nodeId }),
  });
  step.state.feedback.splice(0, Math.max(0, step.state.feedback.length - FEEDBACK_KEPT));
  step.audit(cmd.kind === 'lesson' ? 'lesson.recorded' : 'feedback.recorded', {
    ...(nodeId !== undefined && { nodeId }),
    detail: { id, text: cmd.text },
  });
  return id;
}

export function cancel(step: Step, userId: string, pmo: boolean, reason: string): void {
  const signs = step.state.current.some((id) => {
    const node = step.node(id);
    const rules = node.type === 'gate' || node.type === 'review' ? node.signoff.rules : [];
    return rules.some((r) => step.rolesOf(userId).includes(r.role));
  });
  if (!pmo && !signs)
    refuse('not_allowed', 'only the PMO or a signer of the current gate may cancel');
  step.audit('project.cancelled', { reason });
  finish(step, 'cancelled', undefined, reason);
}

/**
 * Moves the project to another published version when every node it is in exists there and
 * its participants can staff every rule of that version. `legacy`: an Update recorded before
 * the staffing check, replayed as it was decided then.
 */
export function migrate(step: Step, cmd: CommandOf<'migrate'>, legacy = false): void {
  if (!cmd.actor.pmo) refuse('not_allowed', 'only the PMO migrates projects');
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
