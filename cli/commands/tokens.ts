/**
 * `gatehouse tokens list|create|revoke`: API tokens from the command line, for operators with
 * the database's credentials (a lost admin token, a compromised one). Secrets are printed only
 * when a token is made, once; every creation and revocation goes to the admin audit trail as
 * done by `cli`.
 */
import {
  appendAdminAudit,
  createToken,
  findUserByEmail,
  getToken,
  getUser,
  listTokens,
  revokeToken,
  type Database,
  type User,
} from '../../db';
import type { Kysely } from 'kysely';
import { CreateTokenBody } from '../../server/contract-security';
import { withDatabase } from '../database';
import { CliError, EXIT } from '../errors';

const DAY = 24 * 3600 * 1000;

/** A user by id, or by e-mail when it has an @. */
export async function findUser(db: Kysely<Database>, who: string): Promise<User> {
  const user = who.includes('@') ? await findUserByEmail(db, who) : await getUser(db, who);
  if (!user) throw new CliError(`no user ${who}`);
  return user;
}

export async function list(options: { user: string }): Promise<void> {
  const tokens = await withDatabase(async (db) =>
    listTokens(db, (await findUser(db, options.user)).id),
  );
  if (tokens.length === 0) {
    console.log('no tokens');
    return;
  }
  const rows = tokens.map((t) => [
    t.id,
    t.prefix ? `${t.prefix}…` : '(chosen)',
    t.label ?? '',
    t.status,
    t.expiresAt === undefined ? 'never' : new Date(t.expiresAt).toISOString().slice(0, 10),
  ]);
  const header = ['ID', 'PREFIX', 'LABEL', 'STATUS', 'EXPIRES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) {
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  }
}

export async function create(options: {
  user: string;
  label: string;
  expiresInDays?: number;
}): Promise<void> {
  // The API's rule for a label (1..100 characters once trimmed, no control characters).
  const parsed = CreateTokenBody.safeParse({ label: options.label });
  if (!parsed.success)
    throw new CliError(`--label: ${parsed.error.issues[0]!.message}`, EXIT.usage);
  const { label } = parsed.data;
  const made = await withDatabase((db) =>
    db.transaction().execute(async (trx) => {
      const user = await findUser(trx, options.user);
      if (!user.active) throw new CliError(`${user.id} is deactivated: reactivate them first`);
      const lifetimeMs = (options.expiresInDays ?? 90) * DAY;
      const token = await createToken(trx, user.id, label, Date.now(), { lifetimeMs });
      await appendAdminAudit(trx, {
        actor: 'cli',
        action: 'token.created',
        target: token.id,
        detail: { user: user.id, label, expiresAt: token.expiresAt },
      });
      return { user, token };
    }),
  );
  console.log(
    `created token ${made.token.id} for ${made.user.id}, expires ${new Date(made.token.expiresAt!).toISOString()}`,
  );
  console.log(`token: ${made.token.token}`);
  console.error('gatehouse: warning: this token will not be shown again (only its hash is stored)');
}

export async function revoke(id: string): Promise<void> {
  const owner = await withDatabase((db) =>
    db.transaction().execute(async (trx) => {
      const token = await getToken(trx, id);
      if (!token) throw new CliError(`no token ${id}`);
      if (await revokeToken(trx, id)) {
        await appendAdminAudit(trx, {
          actor: 'cli',
          action: 'token.revoked',
          target: id,
          detail: { user: token.userId, label: token.label },
        });
      }
      return token.userId;
    }),
  );
  console.log(`revoked token ${id} of ${owner}`);
}
