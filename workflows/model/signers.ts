/**
 * Who signs a node (SPEC §3 "Gate"): the quorum rules of gates, post-implementation reviews and
 * hypercare exits, the decisions a signer may take, the tally of a visit's votes and how many
 * distinct users each role needs. Pure answers (never a throw): the interpreter, the staffing
 * check, the designer, the simulation, the bench and the tests all ask these functions.
 */
import type { Participants } from './commands';
import type { Vote } from './node-record';
import {
  DECISIONS,
  type Decision,
  type Node,
  type NodeOf,
  type RoleKey,
  type Rule,
  type Template,
} from './template';

export type SignableNode = NodeOf<'gate'> | NodeOf<'review'> | NodeOf<'hypercare'>;

export function isSignable(node: Node): node is SignableNode {
  return node.type === 'gate' || node.type === 'review' || node.type === 'hypercare';
}

/** The quorum rules a node is signed off by, and where they sit inside the node. */
export function signoffRules(
  node: Node,
): { path: ['signoff' | 'exit', 'rules']; rules: Rule[] } | undefined {
  switch (node.type) {
    case 'gate':
    case 'review':
      return { path: ['signoff', 'rules'], rules: node.signoff.rules };
    case 'hypercare':
      return { path: ['exit', 'rules'], rules: node.exit.rules };
    default:
      return undefined;
  }
}

/** The quorum rules of a node; empty for nodes nobody signs. */
export function signerRules(node: Node): Rule[] {
  return signoffRules(node)?.rules ?? [];
}

/** Roles whose sign-off a gate, review or hypercare exit needs. */
export function signerRoles(node: Node): RoleKey[] {
  return signerRules(node).map((rule) => rule.role);
}

/** Decisions a signer may take: a gate's own list (default all four); `go` elsewhere. */
export function allowedDecisions(node: Node): Decision[] {
  if (node.type === 'gate') return [...(node.decisions ?? DECISIONS)];
  return isSignable(node) ? ['go'] : [];
}

/** One rule's standing in a visit: distinct `go` signers holding its role against its `min`. */
export interface RuleTally {
  role: RoleKey;
  min: number;
  go: number;
  met: boolean;
}

/** How each rule of `node` stands after `votes` (the votes of one visit). */
export function ruleTallies(node: Node, votes: readonly Vote[]): RuleTally[] {
  return signerRules(node).map((rule) => {
    const go = new Set(
      votes.filter((v) => v.role === rule.role && v.decision === 'go').map((v) => v.userId),
    ).size;
    return { role: rule.role, min: rule.min, go, met: go >= rule.min };
  });
}

/** True when every rule of `node` has its `min` distinct `go` signers. */
export function quorumReached(node: Node, votes: readonly Vote[]): boolean {
  return ruleTallies(node, votes).every((tally) => tally.met);
}

/**
 * Distinct users each role of `template` needs: the largest `min` of the rules naming it (a
 * node has one rule per role and a user signs a node once), 0 when no rule names it.
 */
export function usersNeeded(template: Template): Record<RoleKey, number> {
  const need: Record<RoleKey, number> = Object.fromEntries(
    template.roles.map((role) => [role.key, 0]),
  );
  for (const node of template.nodes) {
    for (const rule of signerRules(node)) {
      need[rule.role] = Math.max(Object.hasOwn(need, rule.role) ? need[rule.role]! : 0, rule.min);
    }
  }
  return need;
}

/**
 * Virtual participants who can move a project on `template`: `<role>-1 … <role>-k` for every
 * role, k being the users the role needs (at least one, so owners and reviewers exist too).
 */
export function seatParticipants(template: Template): Participants {
  return Object.fromEntries(
    Object.entries(usersNeeded(template)).map(([role, n]) => [
      role,
      Array.from({ length: Math.max(1, n) }, (_, i) => `${role}-${i + 1}`),
    ]),
  );
}
