/**
 * The statements every API request runs to know its caller (a bearer token's check and its
 * last use; a session's check, its last activity, its end) are reused queries
 * (db/reused-query.ts): on both databases, what each one hands to the database is what Kysely
 * builds afresh for the same values (built below as the repositories built them), with a
 * second set of values after the first; and what they find and change is what those would.
 */
import { createHash } from 'node:crypto';
import type { CompiledQuery, Kysely } from 'kysely';
import {
  LAST_USED_RESOLUTION_MS,
  authenticateToken,
  createSession,
  createToken,
  deleteSession,
  findSession,
  insertUser,
  revokeToken,
  type Database,
} from '../../db';
import { eachDatabase, openMigrated } from '../support/databases';

const T0 = 1_000_000;
const LIFETIME = { idleMs: 600_000, maxMs: 3_600_000 };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const builtTokenUser = (db: Kysely<Database>, tokenHash: string) =>
  db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .selectAll('u')
    .select([
      't.id as token_id',
      't.last_used_at as token_last_used_at',
      't.revoked_at as token_revoked_at',
      't.expires_at as token_expires_at',
    ])
    .where('t.token_hash', '=', tokenHash);

const builtTokenUse = (db: Kysely<Database>, id: string, at: number) => {
  const stale = at - LAST_USED_RESOLUTION_MS;
  return db
    .updateTable('api_tokens')
    .set({ last_used_at: at })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', stale)]));
};

const builtSession = (db: Kysely<Database>, id: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('api_tokens as t', 't.id', 's.token_id')
    .selectAll('u')
    .select([
      's.via',
      's.token_id',
      's.csrf_token',
      's.claimed_roles',
      's.created_at as session_created_at',
      's.last_seen_at',
      's.expires_at as session_expires_at',
      't.revoked_at as token_revoked_at',
      't.expires_at as token_expires_at',
    ])
    .where('s.id', '=', id);

const builtSessionUse = (db: Kysely<Database>, id: string, at: number) =>
  db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id);

const builtSessionEnd = (db: Kysely<Database>, id: string) =>
  db.deleteFrom('sessions').where('id', '=', id);

describe.each(eachDatabase())('read path queries on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    for (const id of ['rp-a', 'rp-b']) {
      await insertUser(db, { id, name: `Name ${id}`, email: `${id}@example.test`, createdAt: T0 });
    }
  });
  afterAll(() => close());
  afterEach(() => jest.restoreAllMocks());

  /** The compiled queries `run` hands to the database. */
  const ran = async (run: () => Promise<unknown>) => {
    const spy = jest.spyOn(db, 'executeQuery');
    await run();
    const queries = spy.mock.calls.map(([query]) => query as CompiledQuery);
    spy.mockRestore();
    return queries;
  };
  const same = (query: CompiledQuery | undefined, built: CompiledQuery) => {
    expect(query?.sql).toBe(built.sql);
    expect(query?.parameters).toEqual(built.parameters);
  };

  it('a token check is the built select, and its last use the built guarded update', async () => {
    for (const user of ['rp-a', 'rp-b']) {
      const { id, token } = await createToken(db, user, 'read path', T0);
      const hash = sha256(token);
      // First use: recorded. Within the resolution: only read. Past it: recorded again.
      for (const [at, recorded] of [
        [T0 + 10, true],
        [T0 + 20, false],
        [T0 + 10 + LAST_USED_RESOLUTION_MS, true],
      ] as const) {
        let check: unknown;
        const [select, ...rest] = await ran(async () => {
          check = await authenticateToken(db, token, at);
        });
        same(select, builtTokenUser(db, hash).compile());
        expect(check).toMatchObject({ tokenId: id, user: { id: user, name: `Name ${user}` } });
        if (recorded) same(rest[0], builtTokenUse(db, id, at).compile());
        expect(rest).toHaveLength(recorded ? 1 : 0);
      }
      const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).execute();
      expect(row[0]?.last_used_at).toBe(T0 + 10 + LAST_USED_RESOLUTION_MS);
      await revokeToken(db, id, { at: T0 + 100 });
      expect(await authenticateToken(db, token, T0 + 200)).toEqual({ refused: 'revoked' });
    }
    const [select] = await ran(async () => {
      expect(await authenticateToken(db, 'gh_nobody', T0)).toEqual({ refused: 'unknown' });
    });
    same(select, builtTokenUser(db, sha256('gh_nobody')).compile());
  });

  it('a session check is the built select, its activity the built update, its end the built delete', async () => {
    for (const user of ['rp-a', 'rp-b']) {
      const { secret, csrfToken } = await createSession(
        db,
        { userId: user, via: 'sso', claimedRoles: ['pmo'] },
        LIFETIME,
        T0,
      );
      const id = sha256(secret);
      for (const [at, recorded] of [
        [T0 + 10, false],
        [T0 + 10 + LAST_USED_RESOLUTION_MS, true],
      ] as const) {
        let session: unknown;
        const [select, ...rest] = await ran(async () => {
          session = await findSession(db, secret, LIFETIME, at);
        });
        same(select, builtSession(db, id).compile());
        expect(session).toMatchObject({ id, csrfToken, claimedRoles: ['pmo'], user: { id: user } });
        if (recorded) same(rest[0], builtSessionUse(db, id, at).compile());
        expect(rest).toHaveLength(recorded ? 1 : 0);
      }
      // Idle past its timeout: ended when next seen.
      const idle = T0 + 20 + LAST_USED_RESOLUTION_MS + LIFETIME.idleMs;
      const [select, end, ...rest] = await ran(async () => {
        expect(await findSession(db, secret, LIFETIME, idle)).toBeUndefined();
      });
      same(select, builtSession(db, id).compile());
      same(end, builtSessionEnd(db, id).compile());
      expect(rest).toEqual([]);
      const left = await db.selectFrom('sessions').select('id').where('id', '=', id).execute();
      expect(left).toEqual([]);
    }
    const { secret } = await createSession(db, { userId: 'rp-a', via: 'sso' }, LIFETIME, T0);
    const [end] = await ran(() => deleteSession(db, sha256(secret)));
    same(end, builtSessionEnd(db, sha256(secret)).compile());
    expect(await findSession(db, secret, LIFETIME, T0 + 1)).toBeUndefined();
  });
});
