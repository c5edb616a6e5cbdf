/**
 * PostgreSQL's query plans of every list the API pages (list-plans-cases.ts): each page reads
 * an index range in the list's own order, so it costs its own rows however large the
 * portfolio grows (SQLite's plans: list-plans.test.ts).
 *
 * The planner prefers a table scan and a sort on small tables, and its choice between two
 * plans moves with statistics. So the plans are asked for with sequential scans, bitmap scans
 * and sorts switched off (`SET LOCAL`, each EXPLAIN in its own transaction): off, they cost
 * more than any alternative, and a plan that still holds one has no index to do without it.
 * That verdict depends on the indexes and the query alone, not on row counts. The portfolio
 * is seeded and analysed all the same, shaped like a grown one (each participant in one
 * project of twenty, a third ended), so that join orders are those of a real portfolio.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { countStages, listProjects } from '../../db/project-list';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import {
  BOUNDED_SORTS,
  compiledQueries,
  listCases,
  seedPortfolio,
  type ListCase,
} from './list-plans-cases';

/** Enough projects that a page is a small part of the portfolio. */
const PROJECTS = 2_000;

/** A node of `EXPLAIN (FORMAT JSON)`, with the fields the checks read. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  /** An aggregate's: `Hashed` reads its whole input first. */
  Strategy?: string;
  Plans?: PlanNode[];
}

/** Nodes that read their whole input before the first row comes out. */
const BUFFERING = new Set(['Sort', 'Incremental Sort', 'Hash', 'Materialize']);
const SCANS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan', 'Seq Scan']);

/**
 * What in `plan` reads more than a page: a table read whole; a sort, hash or materialization
 * of rows no LIMIT below it bounds; an index read whole without a LIMIT above it (and no sort
 * or hash between them, which reads its input whole before the LIMIT stops it); a scan that
 * filters its index range (unless the list says why it may: `filters`, or by which columns).
 */
function unboundedReads(plan: PlanNode, options: { filters: boolean | string[] }): string[] {
  const found: string[] = [];
  const walk = (node: PlanNode, limited: boolean) => {
    const type = node['Node Type'];
    const on = `${node['Relation Name'] ?? ''}${node['Index Name'] ? ` by ${node['Index Name']}` : ''}`;
    if (type === 'Seq Scan' || type === 'Bitmap Heap Scan') found.push(`${type} of ${on}`);
    const buffers = BUFFERING.has(type) || node.Strategy === 'Hashed';
    if (buffers && !everyScanLimited(node)) found.push(`${type} of unbounded rows`);
    if (SCANS.has(type) && node['Index Cond'] === undefined && !limited) {
      found.push(`${on} read whole`);
    }
    const filters = options.filters;
    if (SCANS.has(type) && node.Filter !== undefined && filters !== true) {
      // `((a) AND (b))`: each term must test one of the columns the list may filter by.
      const terms = node.Filter.replace(/^\((.*)\)$/, '$1').split(' AND ');
      const own = (term: string) => filters !== false && filters.some((c) => term.includes(c));
      if (!terms.every(own)) found.push(`${on} filtered by ${node.Filter}`);
    }
    // A LIMIT bounds what reaches it, not what a sort or hash below it reads first.
    for (const child of node.Plans ?? []) walk(child, (limited && !buffers) || type === 'Limit');
  };
  walk(plan, false);
  return found;
}

/** Each scan in `plan`: its node type and index. */
function scansOf(node: PlanNode): string[] {
  const own = SCANS.has(node['Node Type']) ? [`${node['Node Type']} by ${node['Index Name']}`] : [];
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)];
}

/** The index condition of each scan in `plan`. */
function indexConditions(node: PlanNode): string[] {
  const own = node['Index Cond'] === undefined ? [] : [node['Index Cond']];
  return [...own, ...(node.Plans ?? []).flatMap(indexConditions)];
}

/** Whether every scan below `node` has a LIMIT between it and `node`. */
function everyScanLimited(node: PlanNode): boolean {
  return (node.Plans ?? []).every(
    (child) =>
      child['Node Type'] === 'Limit' || (!SCANS.has(child['Node Type']) && everyScanLimited(child)),
  );
}

describe('list query plans on postgres', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('postgres')));
    await seedPortfolio(db, { projects: PROJECTS, notifications: 400, concurrency: 4 });
    await sql`analyze`.execute(db);
  }, 120_000);
  afterAll(() => close());

  /** The plan of every statement `list` runs, with what `off` names switched off. */
  async function plansOf(list: ListCase, off: string[]): Promise<PlanNode[]> {
    const queries = await compiledQueries(db, list.run);
    expect(queries.length).toBeGreaterThan(0);
    const plans: PlanNode[] = [];
    for (const query of queries) {
      await db.transaction().execute(async (trx) => {
        for (const setting of off) await sql`set local ${sql.raw(setting)} = off`.execute(trx);
        const { rows } = await trx.executeQuery<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
          CompiledQuery.raw(`explain (format json) ${query.sql}`, [...query.parameters]),
        );
        plans.push(rows[0]!['QUERY PLAN'][0].Plan);
      });
    }
    if (process.env.SHOW_PLANS) console.log(list.name, JSON.stringify(plans, null, 1));
    return plans;
  }

  it.each(listCases(PROJECTS).map((list) => [list.name, list] as const))(
    '%s: an index range, in order',
    async (_name, list) => {
      const off = ['enable_seqscan', 'enable_bitmapscan', 'enable_sort'];
      const plans = await plansOf(list, off);
      for (const plan of plans) {
        const filters = list.filteredBy ?? list.passesOver !== undefined;
        expect(unboundedReads(plan, { filters })).toEqual([]);
      }
      // A later page's range starts at its cursor: a condition of the index, not a filter.
      const conditions = plans.flatMap(indexConditions);
      if (list.seeks) expect(conditions).toContainEqual(expect.stringMatching(/[<>]/));
      const scans = plans.flatMap(scansOf);
      if (list.index) expect(scans).toContainEqual(expect.stringMatching(` by ${list.index}$`));
    },
  );

  it('a name search for a word most names hold walks the list, by the planner’s own choice', async () => {
    // Nothing switched off: the planner picks by its estimate of how many names hold the
    // text, which needs statistics on `lower(name)` (0029); without them it guessed a handful,
    // read the whole table and sorted it.
    const plans = await plansOf(
      { name: 'search', run: (on) => listProjects(on, { q: 'project' }) },
      [],
    );
    expect(plans.flatMap(scansOf)).toEqual(['Index Scan by projects_list_idx']);
    expect(JSON.stringify(plans)).not.toMatch(/"Sort"|Seq Scan/);
  });

  it('the counts per stage and pinned version read the kept counts, not the projects', async () => {
    // A row per template, node, version and status (0030), read in its key's order.
    for (const count of [
      countStages,
      (on: Kysely<Database>) => countStages(on, { template: 'mini' }),
    ]) {
      for (const plan of await plansOf({ name: 'counts', run: count }, ['enable_sort'])) {
        expect(JSON.stringify(plan)).not.toMatch(/"Relation Name":"projects"|"Sort"/);
        expect(scansOf(plan)).toEqual([expect.stringMatching(/ by stage_counts_pk$/)]);
      }
    }
  });

  // Not an index range in the list's order, by design: each sorts (or counts) one user's own
  // rows, which the index range it reads bounds (`passesOver` says which). Held to that range:
  // no table read whole or hashed (joins look rows up), every index read by a key equal to the
  // user's or a row's, not a range of everyone's rows after a cursor.
  it.each(BOUNDED_SORTS.map((list) => [list.name, list] as const))(
    '%s: the user’s own range, by index',
    async (_name, list) => {
      const off = ['enable_seqscan', 'enable_bitmapscan', 'enable_hashjoin', 'enable_mergejoin'];
      for (const plan of await plansOf(list, off)) {
        expect(
          unboundedReads(plan, { filters: list.passesOver !== undefined }).filter(
            (read) => !read.endsWith(' of unbounded rows'),
          ),
        ).toEqual([]);
        const scans = scansOf(plan);
        expect(indexConditions(plan).filter((cond) => / = /.test(cond))).toHaveLength(scans.length);
      }
    },
  );
});
