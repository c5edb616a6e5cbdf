/**
 * The statements every API request runs to know its caller (a bearer token's check and its
 * last use; a session's check, its last activity, its end), and the fixed ones of the hot list
 * reads (the template list's keys, drafts and latest versions; a to-do list's delegations and,
 * for whoever stands in for nobody, its page), are reused queries (db/reused-query.ts): on both
 * databases, what each one hands to the database is what Kysely builds afresh for the same
 * values (built below as the repositories built them), for each variant and number of keys,
 * with a second set of values after the first; and what they find and change is what those
 * would.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import {
  LAST_USED_RESOLUTION_MS,
  activeDelegations,
  authenticateToken,
  createDelegation,
  createSession,
  createToken,
  deleteSession,
  findSession,
  insertUser,
  jsonText,
  listOpenActions,
  listTemplates,
  revokeToken,
  saveDraft,
  seedTemplate,
  type Database,
} from '../../db';
import { decodeCursor, decodeKeyCursor } from '../../db/cursor';
import { opsIntegratedDelivery } from '../../workflows/model';
import { eachDatabase, openMigrated } from '../support/databases';
import { expectSameQuery, queriesRun } from '../support/compiled-queries';

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

const builtKeys = (db: Kysely<Database>, limit: number, after: string | undefined) => {
  const keysOf = (table: 'template_drafts' | 'template_versions') => {
    const query = db.selectFrom(table).select('key').distinct();
    const next = (after === undefined ? query : query.where('key', '>', after))
      .orderBy('key')
      .limit(limit + 1);
    return db.selectFrom(next.as(table === 'template_drafts' ? 'd' : 'v')).select('key');
  };
  return db
    .selectFrom(keysOf('template_drafts').union(keysOf('template_versions')).as('k'))
    .select('k.key')
    .orderBy('k.key', 'asc')
    .limit(limit + 1);
};

const builtDrafts = (db: Kysely<Database>, keys: string[]) =>
  db
    .selectFrom('template_drafts')
    .select(['key', 'updated_at'])
    .select(sql<string | null>`${jsonText(db, 'body', 'name')}`.as('name'))
    .where('key', 'in', keys);

const builtLatest = (db: Kysely<Database>, keys: string[]) =>
  db
    .selectFrom('template_versions as v')
    .select(['v.key', 'v.version', 'v.published_at'])
    .select(sql<string | null>`${jsonText(db, 'v.body', 'name')}`.as('name'))
    .where('v.key', 'in', keys)
    .where((eb) =>
      eb(
        'v.version',
        '=',
        eb
          .selectFrom('template_versions as w')
          .select((w) => w.fn.max('w.version').as('max'))
          .whereRef('w.key', '=', 'v.key'),
      ),
    );

const builtDelegations = (
  db: Kysely<Database>,
  delegateId: string,
  at: number,
  projectId?: string,
) => {
  let query = db
    .selectFrom('delegations')
    .selectAll()
    .where('delegate_id', '=', delegateId)
    .where((eb) =>
      eb.and([eb('revoked_at', 'is', null), eb('starts_at', '<=', at), eb('ends_at', '>', at)]),
    );
  if (projectId !== undefined) {
    query = query.where((eb) =>
      eb.or([eb('project_id', 'is', null), eb('project_id', '=', projectId)]),
    );
  }
  return query.orderBy('starts_at', 'asc').orderBy('id', 'asc');
};

/** A to-do page of one user who stands in for nobody. */
const builtOwnActions = (
  db: Kysely<Database>,
  userId: string,
  limit: number,
  after: [number, string] | undefined,
) => {
  let own = db.selectFrom('open_actions').selectAll().where('user_id', '=', userId);
  if (after !== undefined) {
    own = own.where(sql<boolean>`(due_order, tie) > (${after[0]}, ${after[1]})`);
  }
  const branch = own
    .orderBy('due_order')
    .orderBy('tie')
    .limit(limit + 1);
  return db
    .selectFrom(branch.as('own'))
    .selectAll()
    .orderBy('due_order')
    .orderBy('tie')
    .limit(limit + 1);
};

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
        const [select, ...rest] = await queriesRun(db, async () => {
          check = await authenticateToken(db, token, at);
        });
        expectSameQuery(select, builtTokenUser(db, hash).compile());
        expect(check).toMatchObject({ tokenId: id, user: { id: user, name: `Name ${user}` } });
        if (recorded) expectSameQuery(rest[0], builtTokenUse(db, id, at).compile());
        expect(rest).toHaveLength(recorded ? 1 : 0);
      }
      const row = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).execute();
      expect(row[0]?.last_used_at).toBe(T0 + 10 + LAST_USED_RESOLUTION_MS);
      await revokeToken(db, id, { at: T0 + 100 });
      expect(await authenticateToken(db, token, T0 + 200)).toEqual({ refused: 'revoked' });
    }
    const [select] = await queriesRun(db, async () => {
      expect(await authenticateToken(db, 'gh_nobody', T0)).toEqual({ refused: 'unknown' });
    });
    expectSameQuery(select, builtTokenUser(db, sha256('gh_nobody')).compile());
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
        const [select, ...rest] = await queriesRun(db, async () => {
          session = await findSession(db, secret, LIFETIME, at);
        });
        expectSameQuery(select, builtSession(db, id).compile());
        expect(session).toMatchObject({ id, csrfToken, claimedRoles: ['pmo'], user: { id: user } });
        if (recorded) expectSameQuery(rest[0], builtSessionUse(db, id, at).compile());
        expect(rest).toHaveLength(recorded ? 1 : 0);
      }
      // Idle past its timeout: ended when next seen.
      const idle = T0 + 20 + LAST_USED_RESOLUTION_MS + LIFETIME.idleMs;
      const [select, end, ...rest] = await queriesRun(db, async () => {
        expect(await findSession(db, secret, LIFETIME, idle)).toBeUndefined();
      });
      expectSameQuery(select, builtSession(db, id).compile());
      expectSameQuery(end, builtSessionEnd(db, id).compile());
      expect(rest).toEqual([]);
      const left = await db.selectFrom('sessions').select('id').where('id', '=', id).execute();
      expect(left).toEqual([]);
    }
    const { secret } = await createSession(db, { userId: 'rp-a', via: 'sso' }, LIFETIME, T0);
    const [end] = await queriesRun(db, () => deleteSession(db, sha256(secret)));
    expectSameQuery(end, builtSessionEnd(db, sha256(secret)).compile());
    expect(await findSession(db, secret, LIFETIME, T0 + 1)).toBeUndefined();
  });

  it('a page of templates runs the built key, draft and latest-version selects', async () => {
    for (const key of ['tpl-b', 'tpl-d']) {
      await seedTemplate(db, { ...opsIntegratedDelivery, key, name: `Published ${key}` }, T0);
    }
    for (const key of ['tpl-a', 'tpl-b', 'tpl-c']) {
      await saveDraft(db, key, { name: `Draft ${key}` }, 'rp-a', T0 + 1);
    }
    const seen: string[][] = [];
    for (const limit of [2, 3, 10]) {
      let cursor: string | undefined;
      do {
        let page: Awaited<ReturnType<typeof listTemplates>> = { items: [] };
        const [keys, drafts, latest, ...more] = await queriesRun(db, async () => {
          page = await listTemplates(db, { limit, ...(cursor !== undefined && { cursor }) });
        });
        const after = cursor === undefined ? undefined : decodeKeyCursor(cursor);
        const names = page.items.map((t) => t.key);
        expectSameQuery(keys, builtKeys(db, limit, after).compile());
        expectSameQuery(drafts, builtDrafts(db, names).compile());
        expectSameQuery(latest, builtLatest(db, names).compile());
        expect(more).toEqual([]);
        seen.push(page.items.map((t) => `${t.key}:${t.name}:${t.latestVersion ?? '-'}`));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
    }
    expect(seen).toEqual([
      ['tpl-a:Draft tpl-a:-', 'tpl-b:Published tpl-b:1'],
      ['tpl-c:Draft tpl-c:-', 'tpl-d:Published tpl-d:1'],
      ['tpl-a:Draft tpl-a:-', 'tpl-b:Published tpl-b:1', 'tpl-c:Draft tpl-c:-'],
      ['tpl-d:Published tpl-d:1'],
      [
        'tpl-a:Draft tpl-a:-',
        'tpl-b:Published tpl-b:1',
        'tpl-c:Draft tpl-c:-',
        'tpl-d:Published tpl-d:1',
      ],
    ]);
  });

  it('a to-do list of whoever stands in for nobody runs the built selects', async () => {
    const row = (user: string, i: number) => ({
      project_id: `p-rp-${i % 2}`,
      user_id: user,
      position: i,
      due_order: 1_000 + (i % 3),
      tie: `tie-${i}`,
      project_name: 'Project rp',
      node_id: 'inception',
      node_name: 'Inception',
      action: 'submit-deliverable',
      roles: '["pm"]',
      role_names: '["PM"]',
      due_at: 1_000 + (i % 3),
      item_id: `item-${i}`,
      detail: null,
      issue_severity: null,
      issue_blocks_exit: null,
    });
    for (const user of ['rp-a', 'rp-b']) {
      await db
        .insertInto('open_actions')
        .values(Array.from({ length: 5 }, (_, i) => row(user, i)))
        .execute();
    }
    await createDelegation(
      db,
      {
        delegatorId: 'rp-a',
        delegateId: 'rp-b',
        projectId: 'p-rp-1',
        startsAt: T0,
        endsAt: T0 + 9,
      },
      T0,
    );
    // rp-b stands in for rp-a on p-rp-1 until T0 + 9.
    for (const [user, at, projectId, expected] of [
      ['rp-a', T0 + 1, undefined, []],
      ['rp-b', T0 + 1, undefined, ['rp-a']],
      ['rp-b', T0 + 2, 'p-rp-0', []],
      ['rp-b', T0 + 3, 'p-rp-1', ['rp-a']],
      ['rp-b', T0 + 9, 'p-rp-1', []],
    ] as const) {
      let found: unknown;
      const [query] = await queriesRun(db, async () => {
        found = await activeDelegations(db, user, at, projectId);
      });
      expectSameQuery(query, builtDelegations(db, user, at, projectId).compile());
      expect((found as { delegatorId: string }[]).map((d) => d.delegatorId)).toEqual(expected);
    }
    for (const user of ['rp-a', 'rp-b']) {
      const ties: string[] = [];
      let cursor: string | undefined;
      do {
        let page: Awaited<ReturnType<typeof listOpenActions>> = { items: [] };
        const [query, ...more] = await queriesRun(db, async () => {
          page = await listOpenActions(db, user, {
            limit: 2,
            ...(cursor !== undefined && { cursor }),
          });
        });
        const after = cursor === undefined ? undefined : decodeCursor(cursor);
        expectSameQuery(query, builtOwnActions(db, user, 2, after).compile());
        expect(more).toEqual([]);
        ties.push(...page.items.map((a) => `${a.userId}:${a.itemId ?? ''}`));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(ties).toEqual([0, 3, 1, 4, 2].map((i) => `${user}:item-${i}`));
    }
  });
});
