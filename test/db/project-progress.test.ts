/**
 * `projects.progress` (0021_project_progress): where a project stands as the lists show it,
 * kept by the record write. A row written before the migration gets it from its stored state
 * when `gatehouse migrate` runs (migrateToLatest), and the list answers it, on both dialects.
 */
import { Migrator } from 'kysely';
import { listProjects } from '../../db';
import { OPEN_ACTIONS_REV } from '../../db/open-actions';
import { createDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { startProject as initialState } from '../../workflows/lifecycle';
import { opsIntegratedDelivery as template, progressSummary } from '../../workflows/model';
import { eachDatabase, type TestDatabase } from '../support/databases';

describe.each(eachDatabase())('project progress on $name', (factory) => {
  let target: TestDatabase;
  beforeEach(async () => {
    target = await factory.create();
  });
  afterEach(async () => {
    await target.drop();
  });

  it('0021 fills the summary of a project written before it from its stored state', async () => {
    const db = createDatabase(target.url);
    try {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      expect((await migrator.migrateTo('0020_migration_answered_late')).error).toBeUndefined();
      const at = Date.UTC(2026, 0, 5, 9);
      const { state: started } = initialState(
        {
          projectId: 'p-before',
          name: 'Before',
          template,
          version: 1,
          participants: { pm: ['pat'], 'ops-lead': ['olga'] },
          startedBy: 'pmo',
        },
        at,
      ).machine;
      // In hypercare since `at`, over budget: what the row shows, from the state alone.
      const state = {
        ...started,
        current: ['hypercare'],
        nodes: {
          ...started.nodes,
          hypercare: {
            ...started.nodes['hypercare']!,
            status: 'active' as const,
            visits: 1,
            enteredAt: at,
            hypercare: {
              expiresAt: at + 5000,
              extensions: 0,
              phase: 'running' as const,
              escalated: [],
            },
          },
        },
        metrics: {
          values: {},
          changedAt: at,
          changedBy: 'pat',
          delivery: { budget: 100, currency: 'EUR' },
        },
        actualCost: { spent: 120, currency: 'EUR', at, by: 'pat' },
      };
      // As `gatehouse migrate` of the build before left it: open actions derived, current.
      await db
        .insertInto('read_model_revs')
        .values({ name: 'open_actions', rev: OPEN_ACTIONS_REV })
        .execute();
      await db
        .insertInto('template_versions')
        .values({
          key: template.key,
          version: 1,
          body: JSON.stringify(template),
          published_at: at,
          published_by: 'pmo',
        })
        .execute();
      await db
        .insertInto('projects')
        .values({
          id: state.id,
          name: state.name,
          template_key: template.key,
          template_version: 1,
          status: state.status,
          current: JSON.stringify(state.current),
          started_by: state.startedBy,
          started_at: state.startedAt,
          updated_at: state.updatedAt,
          ended_at: null,
          seq: 4,
          state: JSON.stringify({ ...state, seq: 4 }),
          actions_of: `4::${state.status}`,
        })
        .execute();

      await migrateToLatest(db);
      const { items } = await listProjects(db);
      expect(items).toHaveLength(1);
      const hypercare = template.nodes.find((n) => n.id === 'hypercare')!;
      expect(items[0]!.progress).toEqual({
        current: [{ id: 'hypercare', name: hypercare.name, kind: 'hypercare', since: at }],
        hypercare: {
          nodeId: 'hypercare',
          nodeName: hypercare.name,
          phase: 'running',
          expiresAt: at + 5000,
        },
        cost: {
          cost: 'over',
          budget: 100,
          spent: 120,
          currency: 'EUR',
          variance: 0.2,
          costFinal: false,
        },
      });
      expect(items[0]!.progress).toEqual(progressSummary(state, template));
    } finally {
      await db.destroy();
    }
  });
});
