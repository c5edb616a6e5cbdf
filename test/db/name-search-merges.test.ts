/**
 * The names' FTS5 index on SQLite keeps merging as projects are written one at a time
 * (0034_name_search_merges): a search reads fewer segments at every point of the way. Counted
 * in the index's own structure record, not in time: the same names, one statement each, as
 * record writes do, with 0033's settings alone and with 0034's.
 */
import { sql, type Kysely } from 'kysely';
import { migrateTo } from '../../db/migrate';
import { AUTOMERGE_SEGMENTS } from '../../db/migrations/0034_name_search_merges';
import type { Database } from '../../db/schema';
import { searches, segments, sqliteDatabases, writeOneByOne } from './name-search-segments';

/** Names written one at a time. */
const WRITES = 2_000;
/**
 * Segments a search reads, on average over {@link WRITES} and at most, with 0034 (7.0 and 13;
 * with 0033's settings alone 7.9 and 15). The gap widens as names are added: at 100,000 names,
 * 9.4 and 15 against 12.8 and 21 (the figures of 0034's header).
 */
const MEAN_SEGMENTS = 7.5;
const MOST_SEGMENTS = 13;

const mean = (seen: number[]) => seen.reduce((a, b) => a + b, 0) / seen.length;

/** The table's `automerge` option (unset: undefined). */
async function automerge(db: Kysely<Database>): Promise<number | undefined> {
  const { rows } = await sql<{ v: number }>`
    select v from project_names_config where k = 'automerge'`.execute(db);
  return rows[0] === undefined ? undefined : Number(rows[0].v);
}

describe('the names’ FTS5 index on sqlite, merged as names are written', () => {
  const open = sqliteDatabases();

  it('written one at a time, the names stay in fewer segments', async () => {
    const before = await open();
    await migrateTo(before, '0033_name_search_pages');
    const after = await open();
    const seen = {
      before: await writeOneByOne(before, 1, WRITES),
      after: await writeOneByOne(after, 1, WRITES),
    };
    expect(mean(seen.before)).toBeGreaterThan(MEAN_SEGMENTS);
    expect(mean(seen.after)).toBeLessThan(MEAN_SEGMENTS);
    expect(Math.max(...seen.before)).toBeGreaterThan(MOST_SEGMENTS);
    expect(Math.max(...seen.after)).toBeLessThanOrEqual(MOST_SEGMENTS);
    // The same names found either way.
    const found = await searches(after);
    expect(found[0]).toEqual(['p777']);
    expect(found).toEqual(await searches(before));
  }, 120_000);

  it('an upgrade rewrites the index in one segment; down sets FTS5’s default', async () => {
    const db = await open();
    await migrateTo(db, '0033_name_search_pages');
    await writeOneByOne(db, 1, 300);
    const found = await searches(db);
    expect(await segments(db)).toBeGreaterThan(1);
    expect(await migrateTo(db, '0034_name_search_merges')).toMatchObject({
      applied: ['0034_name_search_merges'],
    });
    expect(await automerge(db)).toBe(AUTOMERGE_SEGMENTS);
    expect(await segments(db)).toBe(1);
    expect(await searches(db)).toEqual(found);
    expect(await migrateTo(db, '0033_name_search_pages')).toMatchObject({
      reverted: ['0034_name_search_merges'],
    });
    expect(await automerge(db)).toBe(4);
    expect(await searches(db)).toEqual(found);
  }, 120_000);
});
