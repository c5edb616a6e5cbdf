/**
 * Can these participants ever move this project? Every rule that needs people is checked:
 * sign-off quorums of gates, reviews and hypercare exits (distinct users, each counting for
 * one role per node: a bipartite matching, not a count per role), stage owners, monitor
 * reviewers and, where known, the owners of open conditions. The answer is data (never a
 * throw): start and migrate refuse with every shortfall, and the designer can ask it too.
 */
import type { Node, Rule, Template } from './template';
import type { TemplateError } from './validate';
import { signoffRules } from './signers';
import { ownersOf } from './duty';

export interface StaffingOptions {
  /** Owner roles of open conditions: each must be held by someone to be met. */
  conditionOwners?: readonly string[];
}

/** Every shortfall of `participants` against `template`; empty when the project can move. */
export function checkParticipants(
  template: Template,
  participants: Record<string, readonly string[]>,
  options: StaffingOptions = {},
): TemplateError[] {
  const roleKeys = new Set(template.roles.map((role) => role.key));
  // Own properties only: a role named "constructor" must not find Object.prototype's.
  const holders = (role: string): string[] =>
    Object.hasOwn(participants, role) ? [...new Set(participants[role])] : [];
  const errors: TemplateError[] = [];
  for (const key of Object.keys(participants)) {
    if (!roleKeys.has(key)) {
      errors.push({
        path: ['participants', key],
        code: 'unknown_role',
        message: `"${key}" is not a role of template "${template.key}"`,
      });
    }
  }
  errors.push(...quorumShortfalls(template, holders));
  for (const node of template.nodes) {
    const owners = ownersOf(node);
    if (node.type === 'stage' && owners.length > 0 && owners.every((r) => !holders(r).length)) {
      errors.push({
        path: ['participants', owners[0]!],
        nodeId: node.id,
        code: 'no_stage_owner',
        message:
          owners.length === 1
            ? `stage "${node.id}" is completed by its owner, the role "${owners[0]}", which nobody holds`
            : `stage "${node.id}" is completed by one of its owners (${owners.map((r) => `"${r}"`).join(', ')}), none of which anybody holds`,
      });
    }
    if (node.type === 'monitor' && node.reviewers.every((r) => holders(r).length === 0)) {
      errors.push({
        path: ['participants', node.reviewers[0]!],
        nodeId: node.id,
        code: 'no_reviewer',
        message: `monitor "${node.id}" is reviewed by ${node.reviewers.map((r) => `"${r}"`).join(', ')}, which nobody holds`,
      });
    }
  }
  // Gates that wait for an operations participant: the metrics agreed, the support model.
  const agreeing = template.nodes.find(
    (n) => n.type === 'gate' && (n.metricsAgreed === true || n.readiness?.supportModel === true),
  );
  const opsRoles = template.roles.filter((r) => r.operations).map((r) => r.key);
  if (agreeing && opsRoles.length > 0 && opsRoles.every((r) => holders(r).length === 0)) {
    const what =
      agreeing.type === 'gate' && agreeing.metricsAgreed === true
        ? 'agree the metrics'
        : 'confirm the support model';
    errors.push({
      path: ['participants', opsRoles[0]!],
      nodeId: agreeing.id,
      code: 'missing_participants',
      message: `gate "${agreeing.id}" waits for operations to ${what}: someone must hold ${opsRoles.map((r) => `"${r}"`).join(' or ')}`,
    });
  }
  for (const owner of new Set(options.conditionOwners ?? [])) {
    if (holders(owner).length > 0) continue;
    errors.push({
      path: ['participants', owner],
      code: 'no_condition_owner',
      message: roleKeys.has(owner)
        ? `an open condition is owned by the role "${owner}", which nobody holds`
        : `an open condition is owned by the role "${owner}", which this template does not have`,
    });
  }
  return errors;
}

/**
 * Quorums: a role short of distinct users for some rule is one error per role (naming every
 * node it cannot staff); a node whose rules are each met alone but not together (one user
 * would have to sign for two roles) is one error per node.
 */
function quorumShortfalls(template: Template, holders: (role: string) => string[]) {
  const errors: TemplateError[] = [];
  const needs = new Map<string, { nodeId: string; label: string; min: number }[]>();
  const signable: { node: Node; rules: Rule[] }[] = [];
  for (const node of template.nodes) {
    const rules = signoffRules(node)?.rules;
    if (!rules) continue;
    signable.push({ node, rules });
    for (const rule of rules) {
      const list = needs.get(rule.role) ?? [];
      list.push({ nodeId: node.id, label: `${node.type} "${node.id}"`, min: rule.min });
      needs.set(rule.role, list);
    }
  }
  const shortRoles = new Set<string>();
  for (const [role, list] of needs) {
    const have = holders(role).length;
    const short = list.filter((need) => need.min > have).sort((a, b) => b.min - a.min);
    const worst = short[0];
    if (worst === undefined) continue;
    shortRoles.add(role);
    const where = short.map((need) => `${need.label} needs ${need.min}`).join(', ');
    errors.push({
      path: ['participants', role],
      nodeId: worst.nodeId,
      code: 'missing_participants',
      message: `role "${role}" has ${have} distinct participant(s): ${where}`,
    });
  }
  for (const { node, rules } of signable) {
    if (rules.some((rule) => shortRoles.has(rule.role))) continue;
    const needed = rules.reduce((n, rule) => n + rule.min, 0);
    const filled = maxSigners(rules, holders);
    if (filled >= needed) continue;
    const users = [...new Set(rules.flatMap((rule) => holders(rule.role)))];
    errors.push({
      path: ['participants'],
      nodeId: node.id,
      code: 'shared_signers',
      message:
        `${node.type} "${node.id}" needs ${needed} distinct signers ` +
        `(${rules.map((r) => `${r.role} ${r.min}`).join(', ')}), but its ${users.length} ` +
        `user(s) can fill only ${filled}: a user signs a node once, for one role`,
    });
  }
  return errors;
}

/**
 * The most rule slots distinct users can fill (each user one slot, of a role they hold): a
 * maximum bipartite matching by augmenting paths, roles having `min` slots each.
 */
function maxSigners(rules: readonly Rule[], holders: (role: string) => string[]): number {
  const assigned = new Map<string, number>(); // user → rule index
  const load = rules.map(() => 0);
  const byRule = rules.map((rule) => holders(rule.role));
  const ruleUsers = new Map<number, Set<string>>(rules.map((_, i) => [i, new Set<string>()]));

  // Tries to give `user` a slot, moving others along alternating paths when needed.
  const augment = (user: string, seen: Set<number>): boolean => {
    for (let r = 0; r < rules.length; r++) {
      if (seen.has(r) || !byRule[r]!.includes(user)) continue;
      seen.add(r);
      if (load[r]! < rules[r]!.min) {
        take(user, r);
        return true;
      }
      for (const other of ruleUsers.get(r)!) {
        if (augment(other, seen)) {
          take(user, r);
          return true;
        }
      }
    }
    return false;
  };
  const take = (user: string, r: number) => {
    const before = assigned.get(user);
    if (before !== undefined) {
      ruleUsers.get(before)!.delete(user);
      load[before]! -= 1;
    }
    assigned.set(user, r);
    ruleUsers.get(r)!.add(user);
    load[r]! += 1;
  };

  let filled = 0;
  for (const user of new Set(byRule.flat())) if (augment(user, new Set())) filled += 1;
  return filled;
}
