/**
 * First-start duties shared by `server/main.ts` and `npm start`: the built-in templates are
 * published as version 1, and an admin exists. The first admin token is handed to the caller
 * once (`npm start` prints it on the terminal, `gatehouse api` writes it to a file) and never
 * logged. With GATEHOUSE_ADMIN_TOKEN the operator chooses it instead: it never expires, and a
 * new value revokes the earlier bootstrap token (rotation).
 */
import type { Kysely } from 'kysely';
import { ConfigError } from '../config/variables';
import {
  appendAdminAudit,
  createToken,
  getUser,
  importToken,
  insertUser,
  oldestAdmin,
  lockFor,
  revokeOtherBootstrapTokens,
  seedTemplate,
  type Database,
} from '../db';
import { BUILTIN_TEMPLATES } from '../workflows/model';

export const ADMIN_ID = 'admin';

export interface BootstrapOptions {
  /** GATEHOUSE_ADMIN_TOKEN: the bootstrap admin's token, chosen by the operator. */
  adminToken?: string;
  /** Lifetime of a generated first admin token (default 90 days). */
  tokenLifetimeMs?: number;
  /**
   * Hands a generated first admin token to the operator before anything is committed: when
   * it throws, no admin is created and the next start tries again.
   */
  deliverAdminToken?: (token: string) => Promise<void>;
}

export async function bootstrap(
  db: Kysely<Database>,
  options: BootstrapOptions = {},
): Promise<{ createdAdminToken?: string }> {
  for (const template of BUILTIN_TEMPLATES) await seedTemplate(db, template);
  return db.transaction().execute(async (trx) => {
    // API processes starting together: one creates the admin, the others see it.
    await lockFor(trx, 'gatehouse-bootstrap');
    const admin = await oldestAdmin(trx);
    if (!admin) {
      await insertUser(trx, {
        id: ADMIN_ID,
        name: 'Administrator',
        email: 'admin@gatehouse.local',
        admin: true,
        pmo: true,
      });
      await appendAdminAudit(trx, {
        actor: 'system',
        action: 'user.created',
        target: ADMIN_ID,
        detail: { bootstrap: true },
      });
    }
    if (options.adminToken) {
      await useChosenToken(trx, admin?.id ?? ADMIN_ID, options.adminToken);
      return {};
    }
    if (admin) return {};
    const created = await createToken(trx, ADMIN_ID, 'bootstrap', Date.now(), {
      kind: 'bootstrap',
      ...(options.tokenLifetimeMs !== undefined && { lifetimeMs: options.tokenLifetimeMs }),
    });
    await appendAdminAudit(trx, {
      actor: 'system',
      action: 'token.created',
      target: created.id,
      detail: { user: ADMIN_ID, label: 'bootstrap', expiresAt: created.expiresAt },
    });
    await options.deliverAdminToken?.(created.token);
    return { createdAdminToken: created.token };
  });
}

/** Stores GATEHOUSE_ADMIN_TOKEN and revokes every other bootstrap token. */
async function useChosenToken(trx: Kysely<Database>, adminId: string, token: string) {
  const imported = await importToken(trx, adminId, token, 'GATEHOUSE_ADMIN_TOKEN', Date.now(), {
    kind: 'bootstrap',
    lifetimeMs: null,
  });
  const owner = await getUser(trx, imported.userId);
  if (imported.revoked || !owner?.admin || !owner.active) {
    // The value was used before and revoked, or it is another user's token: never revive it.
    throw new ConfigError(
      'GATEHOUSE_ADMIN_TOKEN: this token was revoked or belongs to a user who is not an ' +
        'active admin; choose a new one (the value is a secret: not shown)',
    );
  }
  if (imported.created) {
    await appendAdminAudit(trx, {
      actor: 'system',
      action: 'token.created',
      target: imported.id,
      detail: { user: imported.userId, label: 'GATEHOUSE_ADMIN_TOKEN' },
    });
  }
  const revoked = await revokeOtherBootstrapTokens(trx, imported.id);
  if (revoked.length > 0) {
    await appendAdminAudit(trx, {
      actor: 'system',
      action: 'token.bootstrap_rotated',
      target: imported.id,
      detail: { revoked },
    });
  }
}
