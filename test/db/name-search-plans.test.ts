/**
 * The query plans of the portfolio's name search (db/name-search.ts) at a size where reading
 * the whole portfolio shows: a text few names hold is found by the names' trigram index
 * (0031_name_search), a text most names hold still walks the list's index in order and stops
 * at a page (list-plans.test.ts, list-plans-postgres.test.ts hold that walk for every list).
 * The projects are inserted by SQL, cheaply, with the columns the lists read.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { encodeCursor } from '../../db/cursor';
import { migrateTo, migrateToLatest } from '../../db/migrate';
import { foldName } from '../../db/name-fold';
import { NAME_CANDIDATES_MAX } from '../../db/name-search';
import { listProjects, type ListProjectsOptions } from '../../db/projects';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { compiledQueries } from './list-plans-cases';
import { COLUMNS, FOLDED_COLUMNS, FOLDED_SEEDED, SEEDED } from './name-search-seed';

/** A portfolio where a page is a small part (and, on SQLite, most names are many candidates). */
const PROJECTS = 30_000;

/** The one name (of project 778: open, at `plan`, not over budget) that holds the rare text. */
const RARE = { name: 'Northwind ERP rollout', q: 'NORTHWIND' };

/** A rare text with each filter and order the list combines it with. */
const RARE_SEARCHES: ListProjectsOptions[] = [
  { q: RARE.q },
  { q: RARE.q, cursor: encodeCursor([1_000 + PROJECTS / 2, `p${PROJECTS / 2}`]) },
  { q: RARE.q, status: ['active', 'on_hold'] },
  { q: RARE.q, template: 'mini', stage: 'plan' },
  { q: RARE.q, attention: 'over_budget' },
  { q: RARE.q, sort: 'stage_age' },
  { q: RARE.q, sort: 'stage_age', template: 'mini', status: 'active' },
];

/** `count` projects by SQL (SQLite has no md5: a hex-ish stand-in of the same shape). */
async function seedSqlite(db: Kysely<Database>, count: number): Promise<void> {
  await sql
    .raw(
      `with recursive n(g) as (select 1 union all select g + 1 from n where g < ${count}),
       s(g, md5x) as (select g, printf('%08x%08x%08x%08x', g * 2654435761 % 4294967296,
         g * 40503 % 4294967296, g * 2246822519 % 4294967296, g * 3266489917 % 4294967296) from n)
       insert into projects (${FOLDED_COLUMNS}) select ${FOLDED_SEEDED} from s`,
    )
    .execute(db);
  await sql`update projects set name = ${RARE.name}, name_folded = ${foldName(RARE.name)}
    where id = 'p778'`.execute(db);
  await sql`analyze`.execute(db);
}

/** Each statement `options` runs, with its plan's lines, and their tree (nested, indented). */
async function sqlitePlans(db: Kysely<Database>, options: ListProjectsOptions) {
  const queries = await compiledQueries(db, (on) => listProjects(on, options));
  return Promise.all(
    queries.map(async (query) => {
      const { rows } = await db.executeQuery<{ id: number; parent: number; detail: string }>(
        CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]),
      );
      const depth = new Map<number, number>([[0, -1]]);
      const tree = rows.map((r) => {
        depth.set(r.id, depth.get(r.parent)! + 1);
        return `${'  '.repeat(depth.get(r.id)!)}${r.detail}`;
      });
      return { sql: query.sql, plan: rows.map((r) => r.detail), tree };
    }),
  );
}

describe('name search plans on sqlite', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('sqlite')));
    await seedSqlite(db, PROJECTS);
    // The first search samples the names (db/name-trigrams.ts); the plans are the searches'.
    await listProjects(db, { q: RARE.q });
  }, 120_000);
  afterAll(() => close());

  const plans = (options: ListProjectsOptions) => sqlitePlans(db, options);

  it.each(RARE_SEARCHES.map((o) => [JSON.stringify(o), o] as const))(
    'a rare text %s: read from the names’ index, each project by its key',
    async (_name, options) => {
      const [probe, page, ...more] = await plans(options);
      expect(more).toEqual([]);
      if (process.env.SHOW_PLANS) console.log(options, page!.tree, probe!.tree);
      // The candidates counted, at most one past the bound (read from the names' mapping), and
      // kept (`m`): counted and listed from there, FTS5 read once.
      const counted = probe!.plan.filter((line) =>
        /^(SCAN|SEARCH) (?!\(subquery|[bm]$|CONSTANT ROW$)/.test(line),
      );
      expect(probe!.plan.filter((line) => line.startsWith('MATERIALIZE m'))).toHaveLength(1);
      expect(counted).toEqual([
        'SEARCH project_name_rows USING COVERING INDEX sqlite_autoindex_project_name_rows_2',
        expect.stringMatching(/^SCAN project_names VIRTUAL TABLE INDEX \d+:M/),
      ]);
      // The FTS rows the probe found drive (FTS5 is not asked again); each candidate's project
      // is looked up, none read in a scan. The candidates are sorted and limited to the page
      // first (`n`, their ids alone), and only the page's rows are read in full.
      expect(page!.tree).toEqual([
        'CO-ROUTINE n',
        expect.stringMatching(/^ {2}SCAN j VIRTUAL TABLE INDEX \d+:/),
        expect.stringMatching(/^ {2}SEARCH r USING INDEX \S+ \(fts_rowid=\?\)$/),
        '  SEARCH p USING INDEX sqlite_autoindex_projects_1 (id=?)',
        '  USE TEMP B-TREE FOR ORDER BY',
        'SCAN n',
        'SEARCH p USING INDEX sqlite_autoindex_projects_1 (id=?)',
        'USE TEMP B-TREE FOR ORDER BY',
      ]);
      expect(page!.sql).toMatch(
        /^select .*"p"\."progress".* from \(select "p"\."id" as "page_id" from \(/,
      );
      expect((await listProjects(db, options)).items.map((p) => p.name)).toEqual(
        options.attention === undefined ? [RARE.name] : [],
      );
    },
  );

  it(`a text more than ${NAME_CANDIDATES_MAX} names hold walks the list’s index, as before`, async () => {
    const [probe, page, ...more] = await plans({ q: 'ject 1' });
    expect(more).toEqual([]);
    expect(probe!.sql).toMatch(/project_names match/);
    expect(page!.sql).not.toMatch(/project_name/);
    expect(page!.plan).toEqual([expect.stringMatching(/^SCAN p USING INDEX projects_list_idx$/)]);
  });

  it('a text of one or two characters walks the list’s index, asking no candidates', async () => {
    const [page, ...more] = await plans({ q: 'nw' });
    expect(more).toEqual([]);
    expect(page!.plan).toEqual([expect.stringMatching(/^SCAN p USING INDEX projects_list_idx$/)]);
  });
});

describe('name search plans on sqlite, a text most names hold', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('sqlite')));
    // Fewer projects than the candidates' bound: its half bounds them.
    await seedSqlite(db, NAME_CANDIDATES_MAX / 2);
    await listProjects(db, { q: RARE.q });
  }, 120_000);
  afterAll(() => close());

  it('walks the list’s index when more than half the names may hold it', async () => {
    // Every name holds it: the walk's first rows fill the page (at worst it passes the names
    // that do not hold it, fewer than the candidates).
    const [probe, page, ...more] = await sqlitePlans(db, { q: 'project' });
    expect(more).toEqual([]);
    expect(probe!.sql).toMatch(/project_names match/);
    expect(page!.sql).not.toMatch(/project_name/);
    expect(page!.plan).toEqual([expect.stringMatching(/^SCAN p USING INDEX projects_list_idx$/)]);
    // A rare one still reads its candidates.
    const [, rare] = await sqlitePlans(db, { q: RARE.q });
    expect(rare!.sql).toMatch(/project_name_rows/);
  });
});

/** A node of `EXPLAIN (FORMAT JSON)`, with the fields the checks read. */
interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** The index condition of each node of `plan` that has one. */
function indexConditions(node: PlanNode): string[] {
  const own = node['Index Cond'] === undefined ? [] : [node['Index Cond']];
  return [...own, ...(node.Plans ?? []).flatMap(indexConditions)];
}

/** Each node of `plan`: its type, and the index it reads. */
function nodesOf(node: PlanNode): string[] {
  const own = `${node['Node Type']}${node['Index Name'] ? ` by ${node['Index Name']}` : ''}`;
  return [own, ...(node.Plans ?? []).flatMap(nodesOf)];
}

describe('name search plans on postgres', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('postgres')));
    // As a grown portfolio is upgraded: the names folded and the trigram index built over them
    // (0031, 0035), which gives GIN the statistics its cost estimate reads (VACUUM keeps them
    // later).
    await migrateTo(db, '0030_stage_counts');
    await sql
      .raw(
        `insert into projects (${COLUMNS})
         select ${SEEDED} from generate_series(1, ${PROJECTS}) g, lateral (select md5(g::text) as md5x) m`,
      )
      .execute(db);
    await sql`update projects set name = ${RARE.name} where id = 'p778'`.execute(db);
    await migrateToLatest(db);
    // The first search samples the names (db/name-trigrams.ts); the plans are the searches'.
    await listProjects(db, { q: RARE.q });
  }, 120_000);
  afterAll(() => close());

  /** The plan of each statement `options` runs: nothing switched off. */
  async function planTrees(options: ListProjectsOptions): Promise<PlanNode[]> {
    const queries = await compiledQueries(db, (on) => listProjects(on, options));
    const out: PlanNode[] = [];
    for (const query of queries) {
      const { rows } = await db.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
      );
      out.push(rows[0]!['QUERY PLAN'][0].Plan);
    }
    return out;
  }

  /** The plan's nodes of each statement `options` runs. */
  async function plans(options: ListProjectsOptions): Promise<string[][]> {
    const out = (await planTrees(options)).map(nodesOf);
    if (process.env.SHOW_PLANS) console.log(options, out);
    return out;
  }

  it.each(RARE_SEARCHES.map((o) => [JSON.stringify(o), o] as const))(
    'a rare text %s: found by the trigram index, by the planner’s own choice',
    async (_name, options) => {
      for (const plan of await plans(options)) {
        expect(plan).toContain('Bitmap Index Scan by projects_name_trgm_idx');
        expect(plan).not.toContain('Seq Scan');
      }
    },
  );

  it('a full name whose words every name holds: the index reads its rare part’s trigrams only', async () => {
    // Every name holds "project": its trigrams' posting lists hold the whole portfolio.
    const q = 'Project 29999';
    const [plan, ...more] = await planTrees({ q });
    expect(more).toEqual([]);
    if (process.env.SHOW_PLANS) console.log(JSON.stringify(plan, null, 1));
    expect(nodesOf(plan!)).toContain('Bitmap Index Scan by projects_name_trgm_idx');
    const asked = indexConditions(plan!).flatMap((cond) =>
      [...cond.matchAll(/~~ '%([^']*)%'/g)].map((m) => m[1]),
    );
    expect(asked.length).toBeGreaterThan(0);
    for (const part of asked) expect(['299', '999']).toContain(part);
    // Exactly the names that hold the text.
    expect((await listProjects(db, { q })).items.map((p) => p.id)).toEqual(['p29999']);
  });

  it('a text every name holds walks the list’s index, in order, unsorted', async () => {
    const [plan, ...more] = await plans({ q: 'project' });
    expect(more).toEqual([]);
    expect(plan).toEqual(['Limit', 'Index Scan by projects_list_idx']);
  });
});
