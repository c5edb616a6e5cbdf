/**
 * Users: the directory, the caller's own record, and the administration of accounts (create,
 * rename, deactivate, roles, their tokens, the admin audit trail). Every change an admin makes
 * commits together with its entry in the admin audit trail.
 */
import {
  appendAdminAudit,
  changeUser,
  getUser,
  insertUser,
  listAdminAudit,
  listIdentities,
  listTokens,
  searchUsers,
  type User,
} from '../../db';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';
import { issueToken } from './tokens';

const notFound = (id: string) => new HttpProblem(404, 'not_found', `no user "${id}"`);

export const userHandlers: Handlers<
  | 'createUser'
  | 'listUsers'
  | 'me'
  | 'getUser'
  | 'updateUser'
  | 'userTokens'
  | 'createUserToken'
  | 'adminAudit'
> = {
  async createUser({ deps, body, user, app }) {
    const { sso, ...fields } = body;
    return deps.db.transaction().execute(async (trx) => {
      const created = await insertUser(trx, fields);
      if (!created.ok) {
        throw new HttpProblem(409, 'email_taken', `a user with e-mail ${body.email} exists`, [
          { path: ['body', 'email'], code: 'email_taken', message: 'e-mail already in use' },
        ]);
      }
      await appendAdminAudit(trx, {
        actor: user!.id,
        action: 'user.created',
        target: created.user.id,
        detail: { email: created.user.email, pmo: created.user.pmo, admin: created.user.admin },
      });
      if (sso) return created.user;
      const token = await issueToken(trx, created.user.id, user!.id, app.security, {
        label: 'created by admin',
      });
      return { ...created.user, token: token.token };
    });
  },
  async listUsers({ deps, query }) {
    const active = query.active === undefined ? undefined : query.active === 'true';
    return searchUsers(deps.db, { ...query, active });
  },
  async me({ user }) {
    return user!;
  },
  async getUser({ deps, params }) {
    const found = await getUser(deps.db, params.id);
    if (!found) throw notFound(params.id);
    return adminView(found, await listIdentities(deps.db, found.id));
  },
  async updateUser({ deps, params, body, user }) {
    if (body.active === false && params.id === user!.id) {
      throw new HttpProblem(409, 'cannot_deactivate_self', 'you cannot deactivate yourself', [
        { path: ['body', 'active'], code: 'cannot_deactivate_self', message: 'your own account' },
      ]);
    }
    const result = await changeUser(deps.db, params.id, body, user!.id);
    if (!result.ok && result.code === 'not_found') throw notFound(params.id);
    if (!result.ok) {
      const message = 'Gatehouse would be left without an active admin';
      const field = body.active === false ? 'active' : 'admin';
      throw new HttpProblem(409, 'last_admin', message, [
        { path: ['body', field], code: 'last_admin', message },
      ]);
    }
    return adminView(result.user, await listIdentities(deps.db, result.user.id));
  },
  async userTokens({ deps, params }) {
    if (!(await getUser(deps.db, params.id))) throw notFound(params.id);
    return { items: await listTokens(deps.db, params.id) };
  },
  async createUserToken({ deps, params, body, user, app }) {
    const owner = await getUser(deps.db, params.id);
    if (!owner) throw notFound(params.id);
    if (!owner.active) {
      const message = 'the account is deactivated: reactivate it first';
      throw new HttpProblem(409, 'user_inactive', message, [
        { path: ['params', 'id'], code: 'user_inactive', message },
      ]);
    }
    return deps.db
      .transaction()
      .execute((trx) => issueToken(trx, owner.id, user!.id, app.security, body));
  },
  async adminAudit({ deps, query }) {
    return listAdminAudit(deps.db, query);
  },
};

/** An account as an admin sees it: granted roles, state and linked sign-ins. */
function adminView(user: User, identities: { issuer: string; subject: string }[]) {
  return { ...user, identities };
}
