/**
 * `projects.progress` (0021_project_progress): where a project stands as the lists show it,
 * kept by the record write. A row written before the migration gets it from its stored state
 * when `gatehouse migrate` runs (migrateToLatest), and the list answers it, on both dialects.
 */
import { Migrator, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { countStages, listProjects } from '../../db';
import { OPEN_ACTIONS_REV } from '../../db/open-actions';
import { createDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { startProject as initialState } from '../../workflows/lifecycle';
import { opsIntegratedDelivery as template, progressSummary } from '../../workflows/model';
import { beforeNameFolds, eachDatabase, type TestDatabase } from '../support/databases';

/** In hypercare since `at`, over budget: what the row shows, from the state alone. */
function hypercareState(at: number) {
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
  return state;
}

/** The row as `gatehouse migrate` of the build before left it: open actions derived, current. */
async function storeBefore(
  db: Kysely<Database>,
  state: ReturnType<typeof hypercareState>,
  extra: { progress?: string } = {},
): Promise<void> {
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
      published_at: state.startedAt,
      published_by: 'pmo',
    })
    .execute();
  await beforeNameFolds(db)
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
      ...extra,
    })
    .execute();
}

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
      const state = hypercareState(at);
      await storeBefore(db, state);

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

  it('0022 derives the list keys of a project the build before wrote', async () => {
    const db = createDatabase(target.url);
    try {
      const migrator = new Migrator({
        db,
        provider: { getMigrations: () => Promise.resolve(migrations) },
      });
      expect((await migrator.migrateTo('0021_project_progress')).error).toBeUndefined();
      const at = Date.UTC(2026, 0, 5, 9);
      const state = hypercareState(at);
      // As the build before wrote it: its summary current, nothing to filter it by.
      const progress = JSON.stringify(progressSummary(state, template));
      await storeBefore(db, state, { progress });

      await migrateToLatest(db);
      const stage = { template: template.key, stage: 'hypercare' };
      expect((await listProjects(db, stage)).items.map((p) => p.id)).toEqual(['p-before']);
      const soon = { attention: 'hypercare', now: at } as const;
      expect((await listProjects(db, soon)).items.map((p) => p.id)).toEqual(['p-before']);
      const over = { attention: 'over_budget', sort: 'stage_age' } as const;
      expect((await listProjects(db, over)).items.map((p) => p.id)).toEqual(['p-before']);
      expect(await countStages(db)).toEqual([
        { template: template.key, stage: 'hypercare', version: 1, active: 1, onHold: 0 },
      ]);
    } finally {
      await db.destroy();
    }
  });
});
