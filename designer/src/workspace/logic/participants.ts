/**
 * Starting a project: how many participants each role needs (the model's `usersNeeded`, as
 * the API checks) and the `participants` body from who was picked.
 */
import {
  signerRoles,
  usersNeeded,
  type Participants,
  type Template,
} from '../../../../workflows/model';

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
  const needed = usersNeeded(template);
  return template.roles.map((role) => ({
    key: role.key,
    name: role.name,
    operations: role.operations === true,
    min: needed[role.key] ?? 0,
    signs: [
      ...new Set(
        template.nodes.filter((n) => signerRoles(n).includes(role.key)).map((n) => n.name),
      ),
    ],
  }));
}

/** The `participants` body: roles with nobody are left out. */
export function participantsBody(selection: Record<string, readonly string[]>): Participants {
  return Object.fromEntries(
    Object.entries(selection)
      .filter(([, ids]) => ids.length > 0)
      .map(([role, ids]) => [role, [...new Set(ids)]]),
  );
}
