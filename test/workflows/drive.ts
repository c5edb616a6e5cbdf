/** Moves a real project through its template the way its participants would. */
import {
  completeStageUpdate,
  signoffUpdate,
  submitDeliverableUpdate,
} from '../../workflows/messages';
import { signerRules, type Node, type Participants, type Template } from '../../workflows/model';
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

/** Signs a gate, review or hypercare exit `go` with `min` distinct users of every rule. */
export async function passGate(
  project: Project,
  template: Template,
  nodeId: string,
  participants: Participants,
) {
  const node = nodeOf(template, nodeId);
  await submitRequired(project, template, nodeId, participants.pm?.[0] ?? '');
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
