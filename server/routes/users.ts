/** Users: created by an admin (token shown once), and the caller's own record. */
import { createToken, insertUser, searchUsers } from '../../db';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';

export const userHandlers: Handlers<'createUser' | 'listUsers' | 'me'> = {
  async createUser({ deps, body }) {
    const created = await insertUser(deps.db, body);
    if (!created.ok) {
      throw new HttpProblem(409, 'email_taken', `a user with e-mail ${body.email} exists`, [
        { path: ['body', 'email'], code: 'email_taken', message: 'e-mail already in use' },
      ]);
    }
    const { token } = await createToken(deps.db, created.user.id, 'created by admin');
    return { ...created.user, token };
  },
  async listUsers({ deps, query }) {
    const active = query.active === undefined ? undefined : query.active === 'true';
    return searchUsers(deps.db, { ...query, active });
  },
  async me({ user }) {
    return user;
  },
};
