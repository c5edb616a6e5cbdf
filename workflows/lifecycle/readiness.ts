/**
 * Readiness (SPEC §3 "Readiness"): participants record a current gate's checklist as it
 * stands — groups' ADKAR stages, training counts per role — and an operations participant
 * confirms the support model; a `go` waits until the checklist is met (signoff.ts asks
 * `readinessGaps`).
 */
import { coverageText, readinessOf } from '../model/readiness';
import type { CommandOf, ReadinessRecord } from '../model';
import { type Step, refuse } from './context';

export function recordReadiness(step: Step, cmd: CommandOf<'recordReadiness'>): string {
  const node = step.node(cmd.nodeId);
  const list = node.type === 'gate' ? node.readiness : undefined;
  if (node.type !== 'gate' || !list) {
    refuse('invalid_input', `"${node.name}" has no readiness checklist`, ['nodeId']);
  }
  if (step.state.status === 'on_hold') refuse('on_hold', 'the project is on hold', ['nodeId']);
  const rec = step.record(node.id);
  if (rec.status !== 'active' || !step.state.current.includes(node.id)) {
    const passed = rec.decisions.some((d) => d.outcome === 'go');
    refuse(
      'not_active',
      passed
        ? `"${node.name}" has passed: its readiness stands as recorded`
        : `"${node.name}" is not the current gate`,
      ['nodeId'],
    );
  }
  const adkar = Object.entries(cmd.adkar ?? {});
  const training = Object.entries(cmd.training ?? {});
  if (adkar.length === 0 && training.length === 0 && cmd.supportModel === undefined) {
    refuse('invalid_input', 'give ADKAR stages, training counts or the support model', ['adkar']);
  }
  for (const [key] of adkar) {
    if (!list.groups?.some((g) => g.key === key)) {
      refuse('invalid_input', `no affected group "${key}" on "${node.name}"`, ['adkar', key]);
    }
  }
  for (const [key, count] of training) {
    if (!list.training?.roles.some((r) => r.key === key)) {
      refuse('invalid_input', `no trained role "${key}" on "${node.name}"`, ['training', key]);
    }
    if (count.trained > count.total) {
      refuse('invalid_input', `${count.trained} trained of ${count.total} people`, [
        'training',
        key,
        'trained',
      ]);
    }
  }
  let opsRole: string | undefined;
  if (cmd.supportModel !== undefined) {
    if (!list.supportModel) {
      refuse('invalid_input', `"${node.name}" does not ask for the support model`, [
        'supportModel',
      ]);
    }
    const ops = step.template.roles.filter((r) => r.operations).map((r) => r.key);
    opsRole = step.rolesOf(cmd.actor.userId).find((r) => ops.includes(r));
    if (opsRole === undefined) {
      refuse('not_allowed', 'only a participant in an operations role confirms the support model', [
        'supportModel',
      ]);
    }
  }

  const who = { by: cmd.actor.userId, at: step.now };
  const own: ReadinessRecord = rec.readiness ?? { adkar: {}, training: {} };
  for (const [key, stage] of adkar) own.adkar[key] = { stage, ...who };
  for (const [key, count] of training) own.training[key] = { ...count, ...who };
  if (cmd.supportModel !== undefined) {
    own.supportModel = { inPlace: cmd.supportModel.inPlace, ...who, role: opsRole! };
  }
  rec.readiness = own;
  const view = readinessOf(node, rec)!;
  step.audit('readiness.recorded', {
    nodeId: node.id,
    ...(cmd.comment !== undefined && { reason: cmd.comment }),
    detail: {
      ...(adkar.length > 0 && { adkar: Object.fromEntries(adkar) }),
      ...(training.length > 0 && {
        training: Object.fromEntries(
          training.map(([key, c]) => [key, coverageText(c.trained, c.total)]),
        ),
      }),
      ...(cmd.supportModel !== undefined && {
        supportModel: cmd.supportModel.inPlace,
        role: opsRole,
      }),
      ready: view.ready,
    },
  });
  return node.id;
}
