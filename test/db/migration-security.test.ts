/**
 * Migration 0006 on a database that already holds data (an upgrade): the existing audit trail
 * is chained and verifies, existing tokens get a kind and an expiry (except the one of
 * GATEHOUSE_ADMIN_TOKEN), users are active, and from then on audit rows cannot be changed.
 */
import { Migrator, sql } from 'kysely';
import { createDatabase } from '../../db/database';
import { verifyProjectTrail } from '../../db/audit-verify';
import { migrations } from '../../db/migrations';
import { migrateToLatest } from '../../db/migrate';
import { eachDatabase, type TestDatabase } from '../support/databases';

const DAY = 24 * 3600 * 1000;

describe.each(eachDatabase())('upgrading to 0006_security on $name', (factory) => {
  let target: TestDatabase;
  beforeEach(async () => {
    target = await factory.create();
  });
  afterEach(async () => {
    await target.drop();
  });

  it('chains the existing trail, gives tokens a kind and an expiry, and locks the trail', async () => {
    const db = createDatabase(target.url);
    try {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      expect((await migrator.migrateTo('0003_api')).error).toBeUndefined();
      await sql`insert into users (id, name, email, pmo, admin, created_at)
                values ('admin', 'Administrator', 'admin@gatehouse.local', 1, 1, 1)`.execute(db);
      const tokens = [
        ['t-generated', 'bootstrap', null],
        ['t-chosen', 'GATEHOUSE_ADMIN_TOKEN', null],
        ['t-demo', 'demo', null],
        ['t-api', 'created by admin', null],
        ['t-revoked', 'old laptop', 5],
      ] as const;
      for (const [id, label, revoked] of tokens) {
        await sql`insert into api_tokens (id, user_id, token_hash, label, created_at, revoked_at)
                  values (${id}, 'admin', ${`hash-${id}`}, ${label}, 1, ${revoked})`.execute(db);
      }
      for (const project of ['p-a', 'p-b']) {
        for (let seq = 1; seq <= 3; seq++) {
          await sql`insert into audit_entries (project_id, seq, at, actor, action, detail)
                    values (${project}, ${seq}, ${1000 + seq}, 'u', 'did', ${seq === 2 ? '{"x":1}' : null})`.execute(
            db,
          );
        }
      }

      const before = Date.now();
      expect(await migrateToLatest(db)).toEqual(
        Object.keys(migrations).filter((name) => name > '0003_api'),
      );
      for (const project of ['p-a', 'p-b']) {
        expect(await verifyProjectTrail(db, project)).toEqual({ trail: project, entries: 3 });
      }
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'kind', 'expires_at'])
        .orderBy('id')
        .execute();
      const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
      expect(byId['t-generated']!.kind).toBe('bootstrap');
      expect(byId['t-chosen']).toMatchObject({ kind: 'bootstrap', expires_at: null });
      expect(byId['t-demo']!.kind).toBe('demo');
      expect(byId['t-api']!.kind).toBe('api');
      expect(byId['t-revoked']!.expires_at).toBeNull();
      for (const id of ['t-generated', 't-demo', 't-api']) {
        expect(byId[id]!.expires_at).toBeGreaterThanOrEqual(before + 90 * DAY);
        expect(byId[id]!.expires_at).toBeLessThan(before + 90 * DAY + 60_000);
      }
      const admin = await db.selectFrom('users').select('deactivated_at').executeTakeFirstOrThrow();
      expect(admin.deactivated_at).toBeNull();
      await expect(
        sql`update audit_entries set actor = 'x' where project_id = 'p-a'`.execute(db),
      ).rejects.toThrow(/append-only/);
    } finally {
      await db.destroy();
    }
  });
});
