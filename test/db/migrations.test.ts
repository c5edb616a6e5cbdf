import { type Kysely, Migrator, NO_MIGRATIONS } from 'kysely';
import { createDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { hypercareTemplate } from '../fixtures/trust-templates';
import { beforeNameFolds, eachDatabase, type TestDatabase } from '../support/databases';

const APP_TABLES = [
  'admin_audit',
  'api_tokens',
  'audit_entries',
  'audit_voids',
  'changes',
  'dead_letters',
  'delegations',
  'idempotency_keys',
  'impact_jobs',
  'impact_results',
  'inbox_items',
  'migration_items',
  'migration_jobs',
  'notification_deliveries',
  'oidc_identities',
  'oidc_logins',
  'open_actions',
  'project_members',
  'project_participants',
  'project_starts',
  'project_texts',
  'projects',
  'read_model_revs',
  'record_fences',
  'sessions',
  'stage_counts',
  'template_drafts',
  'template_versions',
  'users',
];

/**
 * SQLite's index of project names (0031_name_search): a mapping table, the FTS5 table and the
 * tables FTS5 keeps it in. PostgreSQL indexes the names on `projects` itself.
 */
const SQLITE_TABLES = [
  'project_name_rows',
  'project_names',
  'project_names_config',
  'project_names_data',
  'project_names_docsize',
  'project_names_idx',
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
      const own = factory.name === 'sqlite' ? SQLITE_TABLES : [];
      expect(tables).toEqual([...APP_TABLES, ...own].sort());
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
      const all = [...APP_TABLES, ...SQLITE_TABLES, 'half_done'];
      expect(left.filter((name) => all.includes(name))).toEqual([]);
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
      expect(left.filter((name) => [...APP_TABLES, ...SQLITE_TABLES].includes(name))).toEqual([]);
      expect(await migrateToLatest(db)).toEqual(Object.keys(migrations));
    } finally {
      await db.destroy();
    }
  });

  it('0004 reverses stored severities: templates, drafts and read models read 1 = critical', async () => {
    const db = createDatabase(target.url);
    try {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      expect((await migrator.migrateTo('0003_api')).error).toBeUndefined();
      const template = hypercareTemplate({ blockingSeverity: 3 });
      await db
        .insertInto('template_versions')
        .values({
          key: template.key,
          version: 1,
          body: JSON.stringify(template),
          published_at: 0,
          published_by: 'system',
        })
        .execute();
      const draft = { ...template, nodes: [{ ...template.nodes[0]!, blockingSeverity: 1 }] };
      await db
        .insertInto('template_drafts')
        .values({ key: template.key, body: JSON.stringify(draft), updated_at: 0, updated_by: 'x' })
        .execute();
      const issue = (id: string, severity: number) => ({ id, nodeId: 'hypercare', severity });
      const state = { id: 'p1', issues: [issue('issue-1', 1), issue('issue-2', 3)] };
      await beforeNameFolds(db)
        .insertInto('projects')
        .values({
          id: 'p1',
          name: 'P',
          template_key: template.key,
          template_version: 1,
          status: 'active',
          current: '[]',
          started_by: 'x',
          started_at: 0,
          updated_at: 0,
          ended_at: null,
          seq: 1,
          state: JSON.stringify(state),
        })
        .execute();
      await migrateToLatest(db);
      const version = await db
        .selectFrom('template_versions')
        .select('body')
        .executeTakeFirstOrThrow();
      const savedDraft = await db
        .selectFrom('template_drafts')
        .select('body')
        .executeTakeFirstOrThrow();
      const project = await db.selectFrom('projects').select('state').executeTakeFirstOrThrow();
      const severityOf = (json: string) =>
        (JSON.parse(json) as { nodes: { blockingSeverity?: number }[] }).nodes[0]!.blockingSeverity;
      expect(severityOf(version.body)).toBe(1);
      expect(severityOf(savedDraft.body)).toBe(3);
      expect(
        (JSON.parse(project.state) as { issues: { severity: number }[] }).issues.map(
          (i) => i.severity,
        ),
      ).toEqual([3, 1]);
    } finally {
      await db.destroy();
    }
  });

  it('0011 gives every stored participant their project_members row, once per project', async () => {
    const db = createDatabase(target.url);
    try {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      expect((await migrator.migrateTo('0009_delegation')).error).toBeUndefined();
      const project = (id: string, startedAt: number) => ({
        id,
        name: id,
        template_key: 't',
        template_version: 1,
        status: 'active',
        current: '[]',
        started_by: 'x',
        started_at: startedAt,
        updated_at: startedAt,
        ended_at: null,
        seq: 1,
        state: '{}',
      });
      await beforeNameFolds(db)
        .insertInto('projects')
        .values([project('p1', 10), project('p2', 20)])
        .execute();
      await db
        .insertInto('project_participants')
        .values([
          { project_id: 'p1', user_id: 'ann', role: 'pm' },
          { project_id: 'p1', user_id: 'ann', role: 'steering' },
          { project_id: 'p1', user_id: 'bob', role: 'ops' },
          { project_id: 'p2', user_id: 'ann', role: 'pm' },
        ])
        .execute();
      await migrateToLatest(db);
      const members = await db
        .selectFrom('project_members')
        .selectAll()
        .orderBy('user_id')
        .orderBy('project_id')
        .execute();
      expect(members.map((m) => ({ ...m, started_at: Number(m.started_at) }))).toEqual([
        { user_id: 'ann', project_id: 'p1', started_at: 10 },
        { user_id: 'ann', project_id: 'p2', started_at: 20 },
        { user_id: 'bob', project_id: 'p1', started_at: 10 },
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('0020 tells a kept answer from a late settlement, and down folds it back', async () => {
    const db = createDatabase(target.url);
    try {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      expect((await migrator.migrateTo('0019_migration_fenced')).error).toBeUndefined();
      const job = { template_key: 't', version: 2, created_by: 'x', created_at: 0, total: 3 };
      await db
        .insertInto('migration_jobs')
        .values({ id: 'j', ...job })
        .execute();
      const row = (position: number, times: Record<string, number | string | null>) => ({
        job_id: 'j',
        position,
        project_id: `p${position}`,
        status: 'migrated',
        code: 'retries_exhausted',
        reason: 'gave up',
        settled_seq: 7,
        ...times,
      });
      await db
        .insertInto('migration_items')
        .values([
          // Kept before 0020: the write settled it at 100, the job answered at 200.
          row(0, { settled_attempt: 'a', settled_late_at: 100, finished_at: 200 }),
          // Given up at 100, settled late at 200 (with an attempt, or by a repair without).
          row(1, { settled_attempt: 'a', settled_late_at: 200, finished_at: 100 }),
          row(2, { settled_attempt: null, settled_late_at: 200, finished_at: 100 }),
        ])
        .execute();
      const times = async () =>
        (
          await db
            .selectFrom('migration_items')
            .select(['finished_at', 'settled_late_at', 'answered_late_at'])
            .orderBy('position')
            .execute()
        ).map((r) => Object.values(r).map((t) => (t === null ? null : Number(t))));
      await migrateToLatest(db);
      expect(await times()).toEqual([
        [100, null, 200],
        [100, 200, null],
        [100, 200, null],
      ]);
      expect((await migrator.migrateTo('0019_migration_fenced')).error).toBeUndefined();
      const before = await db
        .selectFrom('migration_items')
        .select(['finished_at', 'settled_late_at'])
        .orderBy('position')
        .execute();
      expect(before.map((r) => [Number(r.finished_at), Number(r.settled_late_at)])).toEqual([
        [200, 100],
        [100, 200],
        [100, 200],
      ]);
    } finally {
      await db.destroy();
    }
  });
});
