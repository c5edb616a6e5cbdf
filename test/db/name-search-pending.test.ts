/**
 * The names' trigram index on PostgreSQL keeps a short pending list (0032_name_search_pending):
 * a search reads the whole pending list, which with PostgreSQL's default of 4 MB holds the
 * trigrams of thousands of project writes until (auto)vacuum merges it. Counted in pages read
 * (EXPLAIN's buffers), not in time: rows inserted one statement each, as record writes do, and
 * a text no name holds, which the index itself answers from a page or two.
 */
import { sql, type Kysely } from 'kysely';
import { migrateTo } from '../../db/migrate';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { COLUMNS, SEEDED } from './name-search-seed';

/** Rows written after the index exists: their trigrams go to its pending list first. */
const WRITES = 3_000;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

describe('the names’ trigram index on postgres', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('postgres')));
  });
  afterAll(() => close());

  /** Index pages a search for a text no name holds reads. */
  async function pagesRead(): Promise<number> {
    const { rows } = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`
      explain (analyze, buffers, format json)
      select id from projects where lower(name) like '%zqxj%'`.execute(db);
    const scan = (node: PlanNode): PlanNode | undefined =>
      node['Index Name'] === 'projects_name_trgm_idx'
        ? node
        : (node.Plans ?? []).map(scan).find((n) => n !== undefined);
    const found = scan(rows[0]!['QUERY PLAN'][0].Plan);
    if (found === undefined) throw new Error('the search did not read the trigram index');
    return found['Shared Hit Blocks'] + found['Shared Read Blocks'];
  }

  /** `count` more projects, one statement each, from `from` on. */
  async function write(from: number, count: number): Promise<void> {
    await sql
      .raw(
        `do $$ begin for i in ${from}..${from + count - 1} loop
           insert into projects (${COLUMNS}) select ${SEEDED}
           from (select i as g, md5(i::text) as md5x) s;
         end loop; end $$`,
      )
      .execute(db);
  }

  it('a search reads a few pages of it, however many writes came before', async () => {
    // As PostgreSQL keeps it by default (before 0032): the pending list grows with the writes.
    await migrateTo(db, '0031_name_search');
    await write(1, WRITES);
    await sql`set enable_seqscan = off`.execute(db);
    const before = await pagesRead();
    await migrateTo(db, '0032_name_search_pending');
    // The upgrade merged what was pending; the writes after it keep the list short.
    const upgraded = await pagesRead();
    await write(WRITES + 1, WRITES);
    const after = await pagesRead();
    expect(before).toBeGreaterThan(40);
    expect(upgraded).toBeLessThanOrEqual(12);
    expect(after).toBeLessThanOrEqual(16);
  }, 120_000);
});
