/**
 * The key facts a node card shows at a glance (signers and quorum, deliverables, durations),
 * as plain strings so the card stays a dumb view and the wording is testable.
 */
import {
  DECISIONS,
  DEFAULT_BLOCKING_SEVERITY,
  type Node as TemplateNode,
  type NodeOf,
  type Role,
  type Rule,
} from '../../../workflows/model';

function roleName(roles: readonly Role[], key: string): string {
  return roles.find((role) => role.key === key)?.name ?? key;
}

/** "PM ×1 · Ops lead ×2" */
export function describeRules(roles: readonly Role[], rules: readonly Rule[]): string {
  return rules.map((rule) => `${roleName(roles, rule.role)} ×${rule.min}`).join(' · ');
}

function deliverables(list: readonly { required: boolean }[] | undefined): string | undefined {
  if (!list?.length) return undefined;
  const required = list.filter((d) => d.required).length;
  return `${list.length} deliverable${list.length === 1 ? '' : 's'} (${required} required)`;
}

function names(roles: readonly Role[], keys: readonly string[]): string {
  return keys.map((key) => roleName(roles, key)).join(', ');
}

/** Up to a handful of short lines describing what the node asks for. */
export function nodeFacts(node: TemplateNode, roles: readonly Role[]): string[] {
  const facts: (string | undefined)[] = [];
  switch (node.type) {
    case 'stage':
      facts.push(
        deliverables(node.deliverables) ?? 'no deliverables',
        node.owner && `owner: ${roleName(roles, node.owner)}`,
        node.sla && `SLA ${node.sla.due}`,
      );
      break;
    case 'gate': {
      const decisions = node.decisions ?? DECISIONS;
      facts.push(
        `signers: ${describeRules(roles, node.signoff.rules)}`,
        ...scoring(node),
        deliverables(node.deliverables),
        node.sla && `SLA ${node.sla.due}`,
        decisions.length < DECISIONS.length ? `decides: ${decisions.join(', ')}` : undefined,
        node.opsOptional ? 'operations optional' : undefined,
      );
      break;
    }
    case 'hypercare':
      facts.push(
        `${node.duration}${node.extendBy ? ` (+${node.extendBy} ×${node.maxExtensions ?? 0})` : ''}`,
        `exit: ${describeRules(roles, node.exit.rules)}`,
        `${node.escalation.length} escalation level${node.escalation.length === 1 ? '' : 's'}`,
        `blocking S1–S${node.blockingSeverity ?? DEFAULT_BLOCKING_SEVERITY}`,
      );
      break;
    case 'review':
      facts.push(
        `signers: ${describeRules(roles, node.signoff.rules)}`,
        ...scoring(node),
        node.metrics ? `${node.metrics.length} metric(s)` : 'all metrics',
      );
      break;
    case 'monitor':
      facts.push(
        `every ${node.every}`,
        `reviewers: ${names(roles, node.reviewers)}`,
        `alert after ${node.alertAfter ?? 2} misses`,
      );
      break;
    case 'notify':
      facts.push(
        `to: ${names(roles, node.to)}`,
        node.message.length > 40 ? `${node.message.slice(0, 39)}…` : node.message,
      );
      break;
    case 'end':
      facts.push(`result: ${node.result}`);
      break;
  }
  return facts.filter((fact): fact is string => typeof fact === 'string' && fact !== '');
}

/** A gate's or a review's criteria ("2 must · 1 should") and pass score, when it has them. */
function scoring(node: NodeOf<'gate'> | NodeOf<'review'>): (string | undefined)[] {
  const must = node.criteria?.filter((c) => c.kind === 'must').length ?? 0;
  const should = (node.criteria?.length ?? 0) - must;
  return [
    node.criteria?.length ? `${must} must · ${should} should` : undefined,
    node.passScore !== undefined ? `pass score ${node.passScore}` : undefined,
  ];
}
