/**
 * Every list reads an index in its own order (SQLite's query plans): no table scan and no
 * sort of the whole result, so a page costs its own rows however large the portfolio grows.
 * The scale bench (`npm run bench -- scale`) measures the same lists at 1k–100k projects; this
 * test holds the plans that make them flat.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { inboxVersion } from '../../db/inbox';
import { NAME_CANDIDATES_MAX } from '../../db/name-search';
import { countStages, upsertProjectSnapshot } from '../../db/projects';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { BOUNDED_SORTS, listCases, MEMBER, seededProject, seedPortfolio } from './list-plans-cases';

const PROJECTS = 30;

describe('list query plans on sqlite', () => {
  let db: Kysely<Database>;
  let sqlite: BetterSqlite3.Database;
  let close: () => Promise<void>;
  const queries: CompiledQuery[] = [];

  beforeAll(async () => {
    const migrated = await openMigrated(databaseFactory('sqlite'));
    close = migrated.close;
    await seedPortfolio(migrated.db, { projects: PROJECTS, notifications: 40 });
    await migrated.db.destroy();
    sqlite = new BetterSqlite3(migrated.url.slice('sqlite:'.length));
    // The name searches below are of a text more names hold than the list reads from the
    // names' index (NAME_CANDIDATES_MAX): it walks the list's index, as these tests hold. (A
    // text few names hold: name-search-plans.test.ts.) Copies of an ended project, older.
    sqlite
      .prepare(
        `with recursive n(k) as (select 1 union all select k + 1 from n where k < ?)
         insert into projects (id, name, name_folded, template_key, template_version, status,
           current, started_by, started_at, updated_at, ended_at, seq, state)
         select 'ended-' || k, 'Project 1 ended ' || k, 'project 1 ended ' || k, template_key,
           template_version, status,
           current, started_by, started_at - 1000, updated_at, ended_at, seq, state
         from projects, n where id = 'p0'`,
      )
      .run(NAME_CANDIDATES_MAX);
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

  /**
   * A line of a query plan; `ofSubquery` when it sits beside the scan of a co-routine or
   * materialization (a union's merge sorting a branch's rows).
   */
  interface PlanLine {
    detail: string;
    ofSubquery: boolean;
  }

  /** The plan of every query `list` ran. */
  async function plansOf(list: () => Promise<unknown>): Promise<PlanLine[][]> {
    return (await queriesAndPlans(list)).map(({ plan }) => plan);
  }

  /** Every query `list` ran, with its plan. */
  async function queriesAndPlans(
    list: () => Promise<unknown>,
  ): Promise<{ query: CompiledQuery; plan: PlanLine[] }[]> {
    queries.length = 0;
    await list();
    expect(queries.length).toBeGreaterThan(0);
    return queries.map((query) => ({ query, plan: planOf(query) }));
  }

  /** The plan of `query`, each line placed in or beside the subqueries it belongs to. */
  function planOf(query: CompiledQuery): PlanLine[] {
    const rows = sqlite
      .prepare(`explain query plan ${query.sql}`)
      .all(...(query.parameters as unknown[])) as {
      id: number;
      parent: number;
      detail: string;
    }[];
    const subqueries = new Set(
      rows.flatMap(({ detail }) => /^(?:CO-ROUTINE|MATERIALIZE) (\S+)$/.exec(detail)?.[1] ?? []),
    );
    const ofSubquery = (row: { parent: number }) =>
      rows.some(
        (r) => r.parent === row.parent && subqueries.has(/^SCAN (\S+)$/.exec(r.detail)?.[1] ?? ''),
      );
    return rows.map((row) => ({
      detail: row.detail,
      ofSubquery: ofSubquery(row),
    }));
  }

  it('a project start writes its rows by index, whatever the portfolio', async () => {
    const state = seededProject(PROJECTS, 2_000);
    // Before project_members had an index by project, its rows were found by reading it whole
    // (or, with statistics, by skipping through every user's part of its key: `ANY(user_id)`).
    await expectIndexOnly(() => upsertProjectSnapshot(db, state));
  });

  it('the inbox stream’s version reads the user’s projects by index', async () => {
    // Every open inbox stream reads it on each change. It filtered every project of the
    // portfolio (EXISTS per row): 1,000 streams at 100,000 projects took over a minute to open.
    await expectIndexOnly(() => inboxVersion(db, MEMBER));
  });

  it('the counts per stage and pinned version read the kept counts, not the projects', async () => {
    // A row per template, node, version and status (0030): as many as the templates have
    // nodes, whatever the number of projects; read in the key's order, never sorted.
    for (const count of [() => countStages(db), () => countStages(db, { template: 'mini' })]) {
      for (const plan of await plansOf(count)) {
        const details = plan.map(({ detail }) => detail);
        expect(details).toEqual([expect.stringMatching(/^(SCAN|SEARCH) stage_counts\b/)]);
      }
    }
  });

  /**
   * The filters of `query` on a table's column (`"t"."col" = ?`, `"t"."col" in (?…)`) that no
   * index search of `t` in `plan` has among its keys.
   */
  function unkeyedFilters(query: CompiledQuery, plan: PlanLine[]): string[] {
    const filters = [...query.sql.matchAll(/"(\w+)"\."(\w+)" (?:=|in) \(?\?/g)];
    return filters
      .filter(([, table, column]) => {
        const reads = plan.filter(({ detail }) =>
          new RegExp(`^(?:SEARCH|SCAN) ${table} USING (?:COVERING )?INDEX `).test(detail),
        );
        const key = new RegExp(`\\b${column}=\\?`);
        return reads.length === 0 || !reads.every(({ detail }) => key.test(detail));
      })
      .map(([term]) => term);
  }

  /** No table read whole, no key skipped through: each statement's rows found by an index. */
  async function expectIndexOnly(run: () => Promise<unknown>): Promise<void> {
    for (const plan of await plansOf(run)) {
      if (process.env.SHOW_PLANS) console.log(plan);
      expect(plan.filter(({ detail }) => /^SCAN \S+$|ANY\(/.test(detail))).toEqual([]);
    }
  }

  it.each(listCases(PROJECTS).map((list) => [list.name, list] as const))(
    '%s: an index range, in order',
    async (_name, list) => {
      for (const { query, plan } of await queriesAndPlans(() => list.run(db))) {
        if (process.env.SHOW_PLANS) console.log(_name, plan);
        // Each column a filter compares to a value is a key of the index range read (`col=?`),
        // unless the list says which rows it passes over: an index merely in the list's order,
        // its rows filtered one by one, costs the rows the filter passes over to fill a page.
        // (Or which columns alone tell those rows apart: every other filter stays a key.)
        if (list.passesOver === undefined || list.filteredBy !== undefined) {
          const filtered = list.filteredBy ?? [];
          expect(
            unkeyedFilters(query, plan).filter((t) => !filtered.some((c) => t.includes(`"${c}"`))),
          ).toEqual([]);
        }
        // `SCAN t` without an index reads a whole table; a temp B-tree sorts a whole result. A
        // subquery's own rows are bounded by its LIMIT (every list's subqueries have one): only
        // its tables must be read by index, and a sort of its rows (a union's merge of a branch)
        // is bounded. A sort within it comes before its LIMIT: it sorts the whole range read.
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
          plan.filter((line) => !line.ofSubquery && /TEMP B-TREE FOR ORDER BY/.test(line.detail)),
        ).toEqual([]);
        const details = plan.map(({ detail }) => detail);
        // A later page's range starts at its cursor: `SEARCH … (key>?)`, not `SCAN … INDEX`.
        if (list.seeks) expect(details).toContainEqual(expect.stringMatching(/^SEARCH .*[<>]/));
        if (list.index) expect(details).toContainEqual(expect.stringContaining(` ${list.index} `));
      }
    },
  );

  // Sorted, by design: each reads the user's own rows (`passesOver` says which), every table
  // by a key equal to the user's or a row's (`SEARCH … (user_id=?)`). A `SCAN`, even of an
  // index, or a range of everyone's rows after a cursor would be read whole for the sort.
  it.each(BOUNDED_SORTS.map((list) => [list.name, list] as const))(
    '%s: the user’s own range, by index',
    async (_name, list) => {
      for (const plan of await plansOf(() => list.run(db))) {
        if (process.env.SHOW_PLANS) console.log(_name, plan);
        const reads = plan.filter(({ detail }) => /^(SCAN|SEARCH) /.test(detail));
        expect(reads.length).toBeGreaterThan(0);
        expect(reads.filter(({ detail }) => !/^SEARCH .*[( ](\w+|<expr>)=\?/.test(detail))).toEqual(
          [],
        );
      }
    },
  );
});
