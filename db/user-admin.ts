/**
 * User administration, shared by the API (`PATCH /api/users/:id`) and the CLI: deactivate and
 * reactivate, grant and remove the PMO and admin roles. Each change commits with its entry in
 * the admin audit trail. Deactivation takes effect at once: the user's tokens are revoked,
 * sessions ended and the delegations they gave revoked, and the PMO is told, per running
 * project, whom to reassign.
 */
import type { Kysely } from 'kysely';
import { appendAdminAudit } from './admin-audit';
import { inTransaction, lockFor } from './database';
import { insertInboxItems } from './inbox';
import { foldName } from './name-fold';
import type { User } from './records';
import type { Database } from './schema';
import { revokeDelegationsGivenBy } from './delegations';
import { deleteUserSessions } from './sessions';
import { revokeUserTokens } from './tokens';
import { getUser, toUser } from './users';

/** What an administrator may change on an account. */
export interface UserChanges {
  name?: string;
  active?: boolean;
  pmo?: boolean;
  admin?: boolean;
}

/** Why a change was refused (nothing was written). */
export type UserChangeRefusal = 'not_found' | 'last_admin';

export type UserChangeResult =
  { ok: true; user: User; changed: string[] } | { ok: false; code: UserChangeRefusal };

/**
 * Applies `changes` to the user as `actor` (a user id, or `cli`). Refuses to leave Gatehouse
 * without an active admin. Unchanged fields write nothing.
 */
export async function changeUser(
  db: Kysely<Database>,
  userId: string,
  changes: UserChanges,
  actor: string,
  at: number = Date.now(),
): Promise<UserChangeResult> {
  return inTransaction(db, async (trx) => {
    await lockFor(trx, 'gatehouse-admins');
    const before = await getUser(trx, userId);
    if (before === undefined) return { ok: false, code: 'not_found' };
    const after = { ...before, ...definedOnly(changes) };
    const losesAdmin = before.admin && before.active && (!after.admin || !after.active);
    if (losesAdmin && (await activeAdmins(trx)) <= 1) return { ok: false, code: 'last_admin' };

    const changed: string[] = [];
    if (after.name !== before.name) {
      changed.push('name');
      await appendAdminAudit(trx, {
        actor,
        action: 'user.updated',
        target: userId,
        detail: { name: after.name, previousName: before.name },
        at,
      });
    }
    for (const role of ['pmo', 'admin'] as const) {
      if (after[role] === before[role]) continue;
      changed.push(role);
      await appendAdminAudit(trx, {
        actor,
        action: after[role] ? 'user.role_granted' : 'user.role_removed',
        target: userId,
        detail: { role },
        at,
      });
    }
    if (after.active !== before.active) {
      changed.push('active');
      if (after.active) {
        await appendAdminAudit(trx, { actor, action: 'user.reactivated', target: userId, at });
      } else {
        await appendAdminAudit(trx, {
          actor,
          action: 'user.deactivated',
          target: userId,
          detail: await deactivate(trx, before, at),
          at,
        });
      }
    }
    if (changed.length === 0) return { ok: true, user: before, changed };
    const row = await trx
      .updateTable('users')
      .set({
        name: after.name,
        name_folded: foldName(after.name),
        pmo: after.pmo ? 1 : 0,
        admin: after.admin ? 1 : 0,
        ...(after.active !== before.active && { deactivated_at: after.active ? null : at }),
      })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return { ok: true, user: toUser(row), changed };
  });
}

/**
 * Ends everything that signs the user in or lets someone act for them (their delegations), and
 * tells the PMO whom to reassign.
 */
async function deactivate(
  trx: Kysely<Database>,
  user: User,
  at: number,
): Promise<Record<string, unknown>> {
  const revokedTokens = await revokeUserTokens(trx, user.id, at);
  const endedSessions = await deleteUserSessions(trx, user.id);
  // A delegate stands in for the user: that ends with the account too (or they would go on
  // opening the user's projects and signing in their name).
  const revokedDelegations = await revokeDelegationsGivenBy(trx, user.id, at);
  const projects = await runningProjectsOf(trx, user.id);
  const pmo = await trx
    .selectFrom('users')
    .select('id')
    .where('pmo', '=', 1)
    .where('deactivated_at', 'is', null)
    .where('id', '!=', user.id)
    .execute();
  for (const project of projects) {
    const roles = project.roles.join(', ');
    await insertInboxItems(
      trx,
      {
        key: `user-deactivated:${user.id}:${at}:${project.id}`,
        projectId: project.id,
        projectName: project.name,
        kind: 'message',
        recipients: pmo.map((p) => p.id),
        subject: `Reassign ${user.name} in ${project.name}`,
        text:
          `${user.name} (${user.email}) was deactivated and can no longer act in ` +
          `"${project.name}", where they hold: ${roles}. Reassign their part to someone active.`,
        at,
      },
      pmo.map((p) => p.id),
    );
  }
  return {
    revokedTokens: revokedTokens.length,
    endedSessions,
    revokedDelegations,
    runningProjects: projects.map((p) => p.id),
  };
}

/** Projects still running (active or on hold) in which the user takes part, with their roles. */
export async function runningProjectsOf(
  db: Kysely<Database>,
  userId: string,
): Promise<{ id: string; name: string; roles: string[] }[]> {
  const rows = await db
    .selectFrom('project_participants as pp')
    .innerJoin('projects as p', 'p.id', 'pp.project_id')
    .select(['p.id', 'p.name', 'pp.role'])
    .where('pp.user_id', '=', userId)
    .where('p.status', 'in', ['active', 'on_hold'])
    .orderBy('p.id')
    .orderBy('pp.role')
    .execute();
  const byId = new Map<string, { id: string; name: string; roles: string[] }>();
  for (const row of rows) {
    const project = byId.get(row.id) ?? { id: row.id, name: row.name, roles: [] };
    project.roles.push(row.role);
    byId.set(row.id, project);
  }
  return [...byId.values()];
}

async function activeAdmins(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('admin', '=', 1)
    .where('deactivated_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function definedOnly(changes: UserChanges): Partial<User> {
  return Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
}
