/**
 * Starting a project: how many participants each role needs (the largest `min` of the rules
 * naming it, as the API checks) and the `participants` body from who was picked.
 */
import type { Participants, Template } from '../../../../workflows/model';
import { rulesOf } from './overlay';

export interface RoleNeed {
  key: string;
  name: string;
  operations: boolean;
  /** Distinct users the role needs; 0 when no rule names it. */
  min: number;
  /** Names of the nodes whose sign-off the role takes part in. */
  signs: string[];
}

export function roleNeeds(template: Template): RoleNeed[] {
  return template.roles.map((role) => {
    let min = 0;
    const signs: string[] = [];
    for (const node of template.nodes) {
      for (const rule of rulesOf(node)) {
        if (rule.role !== role.key) continue;
        min = Math.max(min, rule.min);
        if (!signs.includes(node.name)) signs.push(node.name);
      }
    }
    return { key: role.key, name: role.name, operations: role.operations === true, min, signs };
  });
}

/** The `participants` body: roles with nobody are left out. */
export function participantsBody(selection: Record<string, readonly string[]>): Participants {
  return Object.fromEntries(
    Object.entries(selection)
      .filter(([, ids]) => ids.length > 0)
      .map(([role, ids]) => [role, [...new Set(ids)]]),
  );
}
