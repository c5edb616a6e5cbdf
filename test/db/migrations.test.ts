import { type Kysely, Migrator, NO_MIGRATIONS } from 'kysely';
import { createDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { eachDatabase, type TestDatabase } from '../support/databases';

const APP_TABLES = [
  'admin_audit',
  'api_tokens',
  'audit_entries',
  'inbox_items',
  'notification_deliveries',
  'oidc_identities',
  'oidc_logins',
  'project_participants',
  'projects',
  'sessions',
  'template_drafts',
  'template_versions',
  'users',
];

describe.each(eachDatabase())('migrations on $name', (factory) => {
  let target: TestDatabase;
  beforeEach(async () => {
    target = await factory.create();
  });
  afterEach(async () => {
    await target.drop();
  });

  it('applies every migration once and is a no-op afterwards', async () => {
    const db = createDatabase(target.url);
    try {
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
      expect(await migrateToLatest(db)).toEqual([]);
      const tables = (await db.introspection.getTables()).map((t) => t.name).sort();
      expect(tables).toEqual(APP_TABLES);
    } finally {
      await db.destroy();
    }
  });

  it('survives two processes migrating at once', async () => {
    const [a, b] = [createDatabase(target.url), createDatabase(target.url)];
    try {
      const applied = await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      expect(applied.flat().sort()).toEqual(Object.keys(migrations));
    } finally {
      await Promise.all([a.destroy(), b.destroy()]);
    }
  });

  it('rolls a failed run back whole, so the next start begins clean', async () => {
    const db = createDatabase(target.url);
    try {
      const broken = {
        ...migrations,
        '9999_broken': {
          up: async (trx: Kysely<unknown>) => {
            await trx.schema.createTable('half_done').addColumn('id', 'text').execute();
            throw new Error('boom');
          },
        },
      };
      await expect(migrateToLatest(db, broken)).rejects.toThrow(/9999_broken failed: Error: boom/);
      const left = (await db.introspection.getTables()).map((t) => t.name);
      expect(left.filter((name) => [...APP_TABLES, 'half_done'].includes(name))).toEqual([]);
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    } finally {
      await db.destroy();
    }
  });

  it('migrates down to nothing and up again', async () => {
    const db = createDatabase(target.url);
    try {
      await migrateToLatest(db);
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      const left = (await db.introspection.getTables()).map((t) => t.name);
      expect(left.filter((name) => APP_TABLES.includes(name))).toEqual([]);
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    } finally {
      await db.destroy();
    }
  });
});
