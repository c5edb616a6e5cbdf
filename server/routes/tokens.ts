/**
 * API tokens: listed per user without their secrets, made (shown once) with an expiry, and
 * revoked by their owner or an admin. Each creation and revocation is in the admin audit trail.
 */
import type { Kysely } from 'kysely';
import {
  appendAdminAudit,
  createToken,
  getToken,
  listTokens,
  revokeToken,
  type Database,
} from '../../db';
import type { Handlers } from '../app';
import { HttpProblem } from '../problem';
import type { SecurityOptions } from '../security/options';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Makes a token for `userId` on behalf of `actor`, in the caller's transaction. */
export async function issueToken(
  trx: Kysely<Database>,
  userId: string,
  actor: string,
  security: SecurityOptions,
  request: { label: string; expiresInDays?: number | undefined },
) {
  const lifetimeMs =
    request.expiresInDays === undefined ? security.tokenLifetimeMs : request.expiresInDays * DAY_MS;
  const created = await createToken(trx, userId, request.label, Date.now(), { lifetimeMs });
  await appendAdminAudit(trx, {
    actor,
    action: 'token.created',
    target: created.id,
    detail: { user: userId, label: request.label, expiresAt: created.expiresAt },
  });
  const info = (await getToken(trx, created.id))!;
  const { userId: _owner, ...shown } = info;
  return { ...shown, token: created.token };
}

export const tokenHandlers: Handlers<'myTokens' | 'createMyToken' | 'revokeToken'> = {
  async myTokens({ deps, user }) {
    return { items: await listTokens(deps.db, user!.id) };
  },
  async createMyToken({ deps, user, body, app }) {
    return deps.db
      .transaction()
      .execute((trx) => issueToken(trx, user!.id, user!.id, app.security, body));
  },
  async revokeToken({ deps, params, user, res }) {
    const token = await getToken(deps.db, params.id);
    // Someone else's token is as unknown as a token that does not exist.
    if (!token || (token.userId !== user!.id && !user!.admin)) {
      throw new HttpProblem(404, 'not_found', `no token "${params.id}"`);
    }
    await deps.db.transaction().execute(async (trx) => {
      if (await revokeToken(trx, token.id)) {
        await appendAdminAudit(trx, {
          actor: user!.id,
          action: 'token.revoked',
          target: token.id,
          detail: { user: token.userId, label: token.label },
        });
      }
    });
    res.status(204).end();
  },
};
