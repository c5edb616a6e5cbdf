import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import {
  DEFAULT_TOKEN_LIFETIME_MS,
  LAST_USED_RESOLUTION_MS,
  authenticateToken,
  createToken,
  findUserByToken,
  getToken,
  importToken,
  listTokens,
  revokeToken,
  revokeUserTokens,
} from '../../db/tokens';
import { insertUser } from '../../db/users';
import { eachDatabase, openMigrated } from '../support/databases';

describe.each(eachDatabase())('API tokens on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    await insertUser(db, { id: 'u-ann', name: 'Ann', email: 'ann@example.com', pmo: true });
    await insertUser(db, { id: 'u-ben', name: 'Ben', email: 'ben@example.com' });
  });
  afterAll(async () => {
    await close();
  });

  it('hands the token out once and keeps only its SHA-256 hash', async () => {
    const { id, token } = await createToken(db, 'u-ann', 'laptop', 1_000);
    expect(token).toMatch(/^gh_[A-Za-z0-9_-]{43}$/);
    const rows = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).execute();
    expect(rows).toEqual([
      {
        id,
        user_id: 'u-ann',
        token_hash: createHash('sha256').update(token).digest('hex'),
        label: 'laptop',
        created_at: 1_000,
        last_used_at: null,
        revoked_at: null,
        expires_at: 1_000 + DEFAULT_TOKEN_LIFETIME_MS,
        kind: 'api',
        prefix: token.slice(0, 8),
      },
    ]);
    // Neither the token nor its random part appears in any column of any row.
    const stored = JSON.stringify(await db.selectFrom('api_tokens').selectAll().execute());
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(token.slice(3));
  });

  it('finds the owner by token and nobody for a wrong one', async () => {
    const { token } = await createToken(db, 'u-ben');
    expect(await findUserByToken(db, token)).toMatchObject({ id: 'u-ben', pmo: false });
    expect(await findUserByToken(db, `${token}x`)).toBeUndefined();
    expect(await findUserByToken(db, '')).toBeUndefined();
  });

  it('records the last use at most once a minute', async () => {
    const { id, token } = await createToken(db, 'u-ann', undefined, 0);
    const lastUsed = async () =>
      (
        await db
          .selectFrom('api_tokens')
          .select('last_used_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    await findUserByToken(db, token, 10_000);
    expect(await lastUsed()).toBe(10_000);
    await findUserByToken(db, token, 10_000 + LAST_USED_RESOLUTION_MS - 1);
    expect(await lastUsed()).toBe(10_000);
    await findUserByToken(db, token, 10_000 + LAST_USED_RESOLUTION_MS);
    expect(await lastUsed()).toBe(10_000 + LAST_USED_RESOLUTION_MS);
  });

  it('rejects a revoked token; only its owner (or anyone unscoped) revokes it, once', async () => {
    const { id, token } = await createToken(db, 'u-ben', 'ci');
    expect(await revokeToken(db, id, { userId: 'u-ann' })).toBe(false);
    expect(await findUserByToken(db, token)).toBeDefined();
    expect(await revokeToken(db, id, { userId: 'u-ben', at: 5_000 })).toBe(true);
    expect(await findUserByToken(db, token)).toBeUndefined();
    expect(await revokeToken(db, id)).toBe(false);
    expect(await revokeToken(db, 'no-such-token')).toBe(false);
    const row = await db
      .selectFrom('api_tokens')
      .select('revoked_at')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBe(5_000);
  });

  it('imports an operator-chosen token idempotently, never reviving a revoked one', async () => {
    const chosen = 'automation-token-0123456789';
    const first = await importToken(db, 'u-ann', chosen, 'GATEHOUSE_ADMIN_TOKEN');
    expect(first).toMatchObject({ userId: 'u-ann', created: true });
    expect(await importToken(db, 'u-ben', chosen)).toEqual({ ...first, created: false });
    // An operator-chosen token shows no prefix: part of a chosen secret is still a secret.
    expect((await getToken(db, first.id))?.prefix).toBeUndefined();
    expect((await findUserByToken(db, chosen))?.id).toBe('u-ann');
    await revokeToken(db, first.id);
    expect(await importToken(db, 'u-ann', chosen)).toEqual({
      ...first,
      created: false,
      revoked: true,
    });
    expect(await findUserByToken(db, chosen)).toBeUndefined();
    await expect(importToken(db, 'u-ann', 'short')).rejects.toThrow(RangeError);
  });

  it('expires: 90 days by default, or as asked; never for a token made to last', async () => {
    const at = 1_700_000_000_000;
    const lasting = await createToken(db, 'u-ben', 'default', at);
    expect(lasting.expiresAt).toBe(at + DEFAULT_TOKEN_LIFETIME_MS);
    const day = await createToken(db, 'u-ben', 'one day', at, { lifetimeMs: 86_400_000 });
    expect(await authenticateToken(db, day.token, at + 86_399_999)).toMatchObject({
      user: { id: 'u-ben' },
    });
    expect(await authenticateToken(db, day.token, at + 86_400_000)).toEqual({
      refused: 'expired',
    });
    const forever = await createToken(db, 'u-ben', 'forever', at, { lifetimeMs: null });
    expect(forever.expiresAt).toBeUndefined();
    expect(await authenticateToken(db, forever.token, at + 100 * 365 * 86_400_000)).toMatchObject({
      tokenId: forever.id,
    });
  });

  it("lists a user's tokens newest first with their state, never their secrets", async () => {
    await insertUser(db, { id: 'u-cat', name: 'Cat', email: 'cat@example.com' });
    const old = await createToken(db, 'u-cat', 'laptop', 1_000, { lifetimeMs: 1_000 });
    const live = await createToken(db, 'u-cat', 'ci', 2_000);
    const gone = await createToken(db, 'u-cat', undefined, 3_000);
    await revokeToken(db, gone.id, { at: 4_000 });
    const listed = await listTokens(db, 'u-cat', 5_000);
    expect(listed).toEqual([
      {
        id: gone.id,
        kind: 'api',
        prefix: gone.token.slice(0, 8),
        createdAt: 3_000,
        expiresAt: 3_000 + DEFAULT_TOKEN_LIFETIME_MS,
        revokedAt: 4_000,
        status: 'revoked',
      },
      {
        id: live.id,
        label: 'ci',
        kind: 'api',
        prefix: live.token.slice(0, 8),
        createdAt: 2_000,
        expiresAt: 2_000 + DEFAULT_TOKEN_LIFETIME_MS,
        status: 'active',
      },
      expect.objectContaining({ id: old.id, status: 'expired', expiresAt: 2_000 }),
    ]);
    const text = JSON.stringify(listed);
    for (const t of [old, live, gone]) expect(text).not.toContain(t.token.slice(8));
  });

  it('refuses every token of a deactivated user, and revokes them all on demand', async () => {
    await insertUser(db, { id: 'u-dan', name: 'Dan', email: 'dan@example.com' });
    const a = await createToken(db, 'u-dan');
    const b = await createToken(db, 'u-dan');
    await db.updateTable('users').set({ deactivated_at: 1 }).where('id', '=', 'u-dan').execute();
    expect(await authenticateToken(db, a.token)).toEqual({ refused: 'inactive' });
    expect((await revokeUserTokens(db, 'u-dan')).sort()).toEqual([a.id, b.id].sort());
    expect(await authenticateToken(db, b.token)).toEqual({ refused: 'revoked' });
    expect(await revokeUserTokens(db, 'u-dan')).toEqual([]);
  });

  it('deletes the tokens of a deleted user', async () => {
    await insertUser(db, { id: 'u-gone', name: 'Gone', email: 'gone@example.com' });
    const { token } = await createToken(db, 'u-gone');
    await db.deleteFrom('users').where('id', '=', 'u-gone').execute();
    expect(await findUserByToken(db, token)).toBeUndefined();
    const left = db.selectFrom('api_tokens').select('id').where('user_id', '=', 'u-gone');
    expect(await left.execute()).toEqual([]);
  });
});
