/** Moves a real project through its template the way its participants would. */
import {
  agreeMetricsUpdate,
  completeStageUpdate,
  recordReadinessUpdate,
  signoffUpdate,
  submitDeliverableUpdate,
} from '../../workflows/messages';
import {
  fullReadiness,
  signerRules,
  type Node,
  type Participants,
  type RoleKey,
  type Template,
} from '../../workflows/model';
import type { Project } from './harness';

/** Users of the built-in template's projects: two ops leads so quorums can be tested. */
export const builtinParticipants: Participants = {
  pm: ['pat'],
  'ops-lead': ['olga', 'oleg'],
  'ops-manager': ['mona'],
  support: ['sue'],
  steering: ['stan'],
};

/**
 * The sign-offs a whole built-in lifecycle records with `builtinParticipants`, in order, as
 * `node:user`: what every end-to-end test expects of the audit trail.
 */
export const BUILTIN_SIGNOFF_ORDER = [
  'inception:pat',
  'inception:olga',
  'plan-approval:pat',
  'plan-approval:mona',
  'plan-approval:stan',
  'pilot-review:pat',
  'pilot-review:olga',
  'pilot-review:sue',
  'handoff:pat',
  'handoff:mona',
  'handoff:sue',
  'hypercare:mona',
  'pir:stan',
  'pir:mona',
];

export function nodeOf(template: Template, id: string): Node {
  const node = template.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}

/** Every criterion answered as a convinced signer would: musts met, shoulds scored 9. */
export function fullMarks(node: Node): Record<string, boolean | number> {
  if (node.type !== 'gate') return {};
  return Object.fromEntries((node.criteria ?? []).map((c) => [c.id, c.kind === 'must' ? true : 9]));
}

export async function submitRequired(
  project: Project,
  template: Template,
  nodeId: string,
  by: string,
) {
  const node = nodeOf(template, nodeId);
  const deliverables =
    node.type === 'stage' || node.type === 'gate' ? (node.deliverables ?? []) : [];
  for (const d of deliverables.filter((x) => x.required)) {
    await project.act(submitDeliverableUpdate, {
      actor: { userId: by },
      nodeId,
      deliverableId: d.id,
      url: `https://docs.example.test/${d.id}`,
    });
  }
}

export async function completeStage(
  project: Project,
  template: Template,
  nodeId: string,
  owner: string,
) {
  await submitRequired(project, template, nodeId, owner);
  return project.act(completeStageUpdate, { actor: { userId: owner }, nodeId });
}

/** One thing a gate's `go` waits for besides deliverables, done by an operations role. */
export interface GoStep {
  action: 'agreeMetrics' | 'recordReadiness';
  role: RoleKey;
  /** The route under `/api/projects/:id`. */
  path: string;
  body: Record<string, unknown>;
}

/**
 * What `nodeId`'s `go` needs first, in order: operations' agreement to the metrics (a gate
 * with `metricsAgreed`; the driver skips it when they agreed already) and its readiness
 * checklist recorded as met. Done by the gate's first operations signer role (else the
 * template's first operations role), who may confirm the support model.
 */
export function goPrerequisites(template: Template, nodeId: string): GoStep[] {
  const node = nodeOf(template, nodeId);
  if (node.type !== 'gate') return [];
  const ops = template.roles.filter((r) => r.operations).map((r) => r.key);
  const role = signerRules(node).find((r) => ops.includes(r.role))?.role ?? ops[0];
  if (role === undefined) return [];
  const out: GoStep[] = [];
  if (node.metricsAgreed)
    out.push({ action: 'agreeMetrics', role, path: '/metrics/agree', body: {} });
  if (node.readiness) {
    const path = `/nodes/${nodeId}/readiness`;
    out.push({ action: 'recordReadiness', role, path, body: fullReadiness(node) });
  }
  return out;
}

/** Does what `nodeId`'s `go` waits for besides deliverables (`goPrerequisites`). */
export async function prepareGo(
  project: Project,
  template: Template,
  nodeId: string,
  participants: Participants,
) {
  const state = await project.state();
  for (const step of goPrerequisites(template, nodeId)) {
    const actor = { userId: participants[step.role]?.[0] ?? '' };
    if (step.action === 'recordReadiness') {
      await project.act(recordReadinessUpdate, { actor, nodeId, ...step.body });
    } else if (!state.metrics?.agreed) {
      await project.act(agreeMetricsUpdate, { actor });
    }
  }
}

/** Signs a gate, review or hypercare exit `go` with `min` distinct users of every rule. */
export async function passGate(
  project: Project,
  template: Template,
  nodeId: string,
  participants: Participants,
) {
  const node = nodeOf(template, nodeId);
  await submitRequired(project, template, nodeId, participants.pm?.[0] ?? '');
  await prepareGo(project, template, nodeId, participants);
  const rules = signerRules(node);
  let last;
  const signed = new Set<string>();
  for (const rule of rules) {
    const users = (participants[rule.role] ?? []).filter((u) => !signed.has(u)).slice(0, rule.min);
    for (const userId of users) {
      signed.add(userId);
      last = await project.act(signoffUpdate, {
        actor: { userId },
        nodeId,
        decision: 'go',
        role: rule.role,
        criteria: fullMarks(node),
        comment: `${userId} agrees`,
      });
    }
  }
  return last;
}
