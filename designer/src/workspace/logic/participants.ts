/**
 * Starting a project: how many participants each role needs (the model's `usersNeeded`, as
 * the API checks) and the `participants` body from who was picked. Running it: who holds
 * which part, deactivated or not (the reassign form and the banner that asks for it).
 */
import {
  signerRoles,
  usersNeeded,
  type Participants,
  type ProjectPerson,
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

/** Someone who holds a part in a running project, as the reassign form and its banner show them. */
export interface Holder {
  userId: string;
  name: string;
  /** False once deactivated: they can no longer act, their parts wait to be reassigned. */
  active: boolean;
  /** The roles they hold in the project's current state. */
  roles: string[];
}

/**
 * Who holds which part: the roles from the project's live state (`participants`), names and
 * active flags from its people (`GET /api/projects/:id/participants`). The state decides, so
 * a part reassigned leaves as soon as the new state arrives, whatever the people list still
 * says; someone it does not list yet (just given a part, checked active by the API) counts as
 * active. Deactivated people first, then by name.
 */
export function holders(
  participants: Participants,
  people: readonly ProjectPerson[],
  nameOf: (userId: string) => string,
): Holder[] {
  const known = new Map(people.map((p) => [p.userId, p]));
  const byUser = new Map<string, Holder>();
  for (const [role, ids] of Object.entries(participants)) {
    for (const userId of ids) {
      const person = known.get(userId);
      const holder = byUser.get(userId) ?? {
        userId,
        name: person?.name ?? nameOf(userId),
        active: person?.active ?? true,
        roles: [],
      };
      if (!holder.roles.includes(role)) holder.roles.push(role);
      byUser.set(userId, holder);
    }
  }
  return [...byUser.values()].sort(
    (a, b) => Number(a.active) - Number(b.active) || a.name.localeCompare(b.name),
  );
}

/** The holders of `role` (deactivated first). */
export function holdersOf(all: readonly Holder[], role: string): Holder[] {
  return all.filter((h) => h.roles.includes(role));
}
