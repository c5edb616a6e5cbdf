/**
 * Delegation (out of office): create, list (given and received) and revoke, each recorded in
 * the admin audit trail. A refusal says why and names the field: delegating to oneself, to
 * someone who is not an active user, a project the caller takes no part in, a period that
 * ends before it starts or overlaps another delegation of the same scope.
 */
import type { Kysely } from 'kysely';
import {
  appendAdminAudit,
  createDelegation,
  getDelegation,
  getUsersByIds,
  isParticipant,
  listDelegations,
  revokeDelegation,
  searchUsers,
  type Database,
  type Delegation,
} from '../../db';
import type { DelegationView } from '../contract-delegation';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';

export const delegationHandlers: Handlers<
  'colleagues' | 'createDelegation' | 'listDelegations' | 'revokeDelegation'
> = {
  /** The directory, narrowed to the people the caller works with unless they see it whole. */
  async colleagues({ deps, user, query }) {
    return searchUsers(deps.db, {
      ...query,
      active: true,
      ...(!user!.pmo && !user!.admin && { colleaguesOf: user!.id }),
    });
  },

  async createDelegation({ deps, user, body }) {
    const startsAt = Date.parse(body.from);
    const endsAt = Date.parse(body.until);
    if (body.delegate === user!.id) {
      throw refused('delegate', 'delegate_self', 'you cannot delegate to yourself');
    }
    const [delegate] = await getUsersByIds(deps.db, [body.delegate]);
    if (!delegate) throw refused('delegate', 'unknown_user', `no user "${body.delegate}"`);
    if (!delegate.active) {
      throw refused('delegate', 'inactive_user', `${delegate.name} is deactivated`);
    }
    if (endsAt <= startsAt) {
      throw refused('until', 'until_before_from', 'the period must end after it starts');
    }
    if (body.project !== undefined) {
      const roles = await isParticipant(deps.db, body.project, user!.id);
      if (roles.length === 0) {
        throw refused(
          'project',
          'not_participant',
          'you take no part in this project: there is nothing of yours to delegate',
        );
      }
    }
    const view = await deps.db.transaction().execute(async (trx) => {
      const created = await createDelegation(trx, {
        delegatorId: user!.id,
        delegateId: delegate.id,
        ...(body.project !== undefined && { projectId: body.project }),
        startsAt,
        endsAt,
      });
      if (!created.ok) {
        const other = created.other;
        throw refused(
          'from',
          'overlapping_delegation',
          `you already delegate ${other.projectId === undefined ? 'all your projects' : 'this project'} ` +
            `from ${iso(other.startsAt)} until ${iso(other.endsAt)}: revoke that one or pick another period`,
        );
      }
      await appendAdminAudit(trx, {
        actor: user!.id,
        action: 'delegation.created',
        target: created.delegation.id,
        detail: {
          delegate: delegate.id,
          project: body.project ?? null,
          from: iso(startsAt),
          until: iso(endsAt),
        },
      });
      return created.delegation;
    });
    return (await viewsOf(deps.db, [view]))[0]!;
  },

  async listDelegations({ deps, user }) {
    const { given, received } = await listDelegations(deps.db, user!.id);
    const views = await viewsOf(deps.db, [...given, ...received]);
    return { given: views.slice(0, given.length), received: views.slice(given.length) };
  },

  async revokeDelegation({ deps, params, user, res }) {
    const found = await getDelegation(deps.db, params.id);
    // Someone else's delegation is as unknown as one that does not exist.
    if (!found || found.delegatorId !== user!.id) {
      throw new HttpProblem(404, 'not_found', `no delegation "${params.id}" of yours`);
    }
    await deps.db.transaction().execute(async (trx) => {
      if (await revokeDelegation(trx, found.id, user!.id)) {
        await appendAdminAudit(trx, {
          actor: user!.id,
          action: 'delegation.revoked',
          target: found.id,
          detail: { delegate: found.delegateId, project: found.projectId ?? null },
        });
      }
    });
    res.status(204).end();
  },
};

function refused(field: string, code: string, message: string): HttpProblem {
  return new HttpProblem(422, code, message, [{ path: ['body', field], code, message }]);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Delegations with the names of the people and projects they name. */
async function viewsOf(db: Kysely<Database>, items: Delegation[]): Promise<DelegationView[]> {
  const users = await getUsersByIds(
    db,
    items.flatMap((d) => [d.delegatorId, d.delegateId]),
  );
  const names = new Map(users.map((u) => [u.id, u.name]));
  const projectIds = [...new Set(items.flatMap((d) => d.projectId ?? []))];
  const projects =
    projectIds.length === 0
      ? []
      : await db
          .selectFrom('projects')
          .select(['id', 'name'])
          .where('id', 'in', projectIds)
          .execute();
  const projectNames = new Map(projects.map((p) => [p.id, p.name]));
  const now = Date.now();
  const person = (id: string) => ({ id, name: names.get(id) ?? id });
  return items.map((d) => ({
    id: d.id,
    delegator: person(d.delegatorId),
    delegate: person(d.delegateId),
    ...(d.projectId !== undefined && {
      project: { id: d.projectId, name: projectNames.get(d.projectId) ?? d.projectId },
    }),
    from: iso(d.startsAt),
    until: iso(d.endsAt),
    status:
      d.revokedAt !== undefined
        ? 'revoked'
        : now < d.startsAt
          ? 'scheduled'
          : now < d.endsAt
            ? 'active'
            : 'ended',
    createdAt: iso(d.createdAt),
    ...(d.revokedAt !== undefined && { revokedAt: iso(d.revokedAt) }),
  }));
}
