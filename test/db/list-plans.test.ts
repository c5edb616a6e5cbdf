/**
 * Every list reads an index in its own order (SQLite's query plans): no table scan and no
 * sort of the whole result, so a page costs its own rows however large the portfolio grows.
 * The scale bench (`npm run bench -- scale`) measures the same lists at 1k–100k projects; this
 * test holds the plans that make them flat.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { listAudit } from '../../db/audit';
import { encodeCursor } from '../../db/cursor';
import { inboxVersion, listInbox } from '../../db/inbox';
import { countStages, listProjects, upsertProjectSnapshot } from '../../db/projects';
import type { Database } from '../../db/schema';
import { listTemplates, listVersions, seedTemplate } from '../../db/templates';
import { startProject } from '../../workflows/lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { databaseFactory, openMigrated } from '../support/databases';

describe('list query plans on sqlite', () => {
  let db: Kysely<Database>;
  let sqlite: BetterSqlite3.Database;
  let close: () => Promise<void>;
  const queries: CompiledQuery[] = [];

  beforeAll(async () => {
    const migrated = await openMigrated(databaseFactory('sqlite'));
    close = migrated.close;
    await seedTemplate(migrated.db, miniTemplate, 1_000);
    for (let i = 0; i < 30; i++) {
      const { state } = startProject(
        {
          projectId: `p${i}`,
          name: `Project ${i}`,
          template: miniTemplate,
          version: 1,
          participants: miniParticipants,
          startedBy: 'pmo',
        },
        1_000 + i,
      ).machine;
      await upsertProjectSnapshot(migrated.db, state);
    }
    await migrated.db.destroy();
    sqlite = new BetterSqlite3(migrated.url.slice('sqlite:'.length));
    // Statistics as a grown database would have them: the planner picks by them.
    sqlite.exec('analyze');
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => {
        if (event.level === 'query') queries.push(event.query);
      },
    });
  });
  afterAll(async () => {
    await db.destroy();
    await close();
  });

  /** A line of a query plan; `inSubquery` when it belongs to a co-routine or materialization. */
  interface PlanLine {
    detail: string;
    inSubquery: boolean;
  }

  /** The plan of every query `list` ran. */
  async function plansOf(list: () => Promise<unknown>): Promise<PlanLine[][]> {
    queries.length = 0;
    await list();
    expect(queries.length).toBeGreaterThan(0);
    return queries.map((query) => {
      const rows = sqlite
        .prepare(`explain query plan ${query.sql}`)
        .all(...(query.parameters as unknown[])) as {
        id: number;
        parent: number;
        detail: string;
      }[];
      const byId = new Map(rows.map((row) => [row.id, row]));
      const inSubquery = (row: { parent: number }): boolean => {
        const parent = byId.get(row.parent);
        return (
          parent !== undefined &&
          (/^(CO-ROUTINE|MATERIALIZE) /.test(parent.detail) || inSubquery(parent))
        );
      };
      return rows.map((row) => ({ detail: row.detail, inSubquery: inSubquery(row) }));
    });
  }

  const cursor = encodeCursor([1_015, 'p15']);
  const byAge = encodeCursor([1_015, 'p15'], 'stage');
  const lists: [string, () => Promise<unknown>][] = [
    ['projects', () => listProjects(db)],
    ['projects after a cursor', () => listProjects(db, { cursor })],
    ['projects by status', () => listProjects(db, { status: 'active' })],
    ['projects by template', () => listProjects(db, { template: 'mini' })],
    [
      'projects by status and template',
      () => listProjects(db, { status: 'active', template: 'mini' }),
    ],
    ['a participant’s projects', () => listProjects(db, { participant: 'sam', cursor })],
    [
      'a participant’s projects by status',
      () => listProjects(db, { participant: 'sam', status: 'active' }),
    ],
    // The portfolio's views (0022_portfolio_views), each in its own order.
    ['projects of a stage', () => listProjects(db, { template: 'mini', stage: 'plan', cursor })],
    ['hypercare ending soon', () => listProjects(db, { attention: 'hypercare', cursor })],
    ['over budget', () => listProjects(db, { attention: 'over_budget', cursor })],
    ['longest at their stage', () => listProjects(db, { sort: 'stage_age', cursor: byAge })],
    [
      'longest at one stage',
      () => listProjects(db, { sort: 'stage_age', template: 'mini', stage: 'plan', cursor: byAge }),
    ],
    [
      'hypercare ending soon, longest first',
      () => listProjects(db, { sort: 'stage_age', attention: 'hypercare' }),
    ],
    [
      'over budget, longest first',
      () => listProjects(db, { sort: 'stage_age', attention: 'over_budget' }),
    ],
    ['open projects per stage', () => countStages(db)],
    ['open projects per stage of a template', () => countStages(db, { template: 'mini' })],
    ['notifications', () => listInbox(db, 'sam', { cursor })],
    ['unread notifications', () => listInbox(db, 'sam', { unreadOnly: true })],
    ['audit', () => listAudit(db, 'p3', { afterSeq: 2 })],
    ['templates', () => listTemplates(db)],
    ['versions', () => listVersions(db, 'mini')],
  ];

  it('a project start writes its rows by index, whatever the portfolio', async () => {
    const { state } = startProject(
      {
        projectId: 'p-new',
        name: 'New',
        template: miniTemplate,
        version: 1,
        participants: miniParticipants,
        startedBy: 'pmo',
      },
      2_000,
    ).machine;
    // Before project_members had an index by project, its rows were found by reading it whole
    // (or, with statistics, by skipping through every user's part of its key: `ANY(user_id)`).
    await expectIndexOnly(() => upsertProjectSnapshot(db, state));
  });

  it('the inbox stream’s version reads the user’s projects by index', async () => {
    // Every open inbox stream reads it on each change. It filtered every project of the
    // portfolio (EXISTS per row): 1,000 streams at 100,000 projects took over a minute to open.
    await expectIndexOnly(() => inboxVersion(db, 'sam'));
  });

  it('the counts per stage and pinned version read their index alone, in its order', async () => {
    // Each open project's version names its stage: counted from the index, not each row.
    for (const count of [() => countStages(db), () => countStages(db, { template: 'mini' })]) {
      for (const plan of await plansOf(count)) {
        expect(plan.map(({ detail }) => detail)).toEqual([
          expect.stringMatching(/ USING COVERING INDEX projects_stage_version_idx\b/),
        ]);
      }
    }
  });

  /** No table read whole, no key skipped through: each statement's rows found by an index. */
  async function expectIndexOnly(run: () => Promise<unknown>): Promise<void> {
    for (const plan of await plansOf(run)) {
      if (process.env.SHOW_PLANS) console.log(plan);
      expect(plan.filter(({ detail }) => /^SCAN \S+$|ANY\(/.test(detail))).toEqual([]);
    }
  }

  it.each(lists)('%s: an index range, in order', async (_name, list) => {
    for (const plan of await plansOf(list)) {
      if (process.env.SHOW_PLANS) console.log(_name, plan);
      // `SCAN t` without an index reads a whole table; a temp B-tree sorts a whole result. A
      // subquery's own rows are bounded by its LIMIT (every list's subqueries have one): only
      // its tables must be read by index.
      const scans = plan.filter(({ detail }) => /^SCAN \S+$/.test(detail));
      expect(
        scans.filter(
          (line) =>
            !plan.some(
              (p) =>
                p.detail.endsWith(` ${line.detail.slice(5)}`) &&
                /^(CO-ROUTINE|MATERIALIZE) /.test(p.detail),
            ),
        ),
      ).toEqual([]);
      expect(
        plan.filter((line) => !line.inSubquery && /TEMP B-TREE FOR ORDER BY/.test(line.detail)),
      ).toEqual([]);
    }
  });
});
