/**
 * The names' FTS5 table on SQLite stays quick to search as projects are written one at a time
 * (0033_name_search_pages): few segments for a search to read, and the long lists of names of
 * the trigrams most names hold carry doclist indexes, through which a search skips instead of
 * stepping name by name. Counted in the index's own records (the SQLite FTS5 documentation,
 * "FTS5 Data Structures"), not in time: the same names, one statement each, as record writes
 * do, with FTS5's defaults (before 0033) and with the migration's settings.
 */
import { sql, type Kysely } from 'kysely';
import { migrateTo } from '../../db/migrate';
import { PAGE_BYTES, MERGE_SEGMENTS } from '../../db/migrations/0033_name_search_pages';
import type { Database } from '../../db/schema';
import { searches, segments, sqliteDatabases, writeOneByOne } from './name-search-segments';

/** Names written one at a time: past the size at which a list gets a doclist index. */
const WRITES = 1_200;
/**
 * Most segments the index may hold at any point of {@link WRITES}, with 0033: fewer than
 * MERGE_SEGMENTS on each of 5 levels (FTS5's defaults reach 22).
 */
const MOST_SEGMENTS = (MERGE_SEGMENTS - 1) * 5;

/** Doclist index pages: `%_data` records whose id has the doclist index flag (bit 36) set. */
async function doclistIndexes(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from project_names_data where (id >> 36) & 1 = 1`.execute(db);
  return Number(rows[0]!.n);
}

/** The FTS5 options 0033 sets, as the table's configuration holds them (unset: undefined). */
async function options(db: Kysely<Database>): Promise<Record<string, number | undefined>> {
  const { rows } = await sql<{ k: string; v: number }>`
    select k, v from project_names_config where k in ('pgsz', 'crisismerge')`.execute(db);
  const held = new Map(rows.map((r) => [r.k, Number(r.v)]));
  return { pgsz: held.get('pgsz'), crisismerge: held.get('crisismerge') };
}

describe('the names’ FTS5 index on sqlite', () => {
  const open = sqliteDatabases();

  it('written one at a time, the names stay in few segments, their long lists indexed', async () => {
    const before = await open();
    await migrateTo(before, '0032_name_search_pending');
    const after = await open();
    const most = {
      before: Math.max(...(await writeOneByOne(before, 1, WRITES))),
      after: Math.max(...(await writeOneByOne(after, 1, WRITES))),
    };
    expect(most.before).toBeGreaterThan(MOST_SEGMENTS);
    expect(most.after).toBeLessThanOrEqual(MOST_SEGMENTS);
    expect(await doclistIndexes(before)).toBe(0);
    expect(await doclistIndexes(after)).toBeGreaterThan(0);
    // The same names found either way.
    const found = await searches(after);
    expect(found[0]).toEqual(['p777']);
    expect(found[1]).toHaveLength(50);
    expect(found).toEqual(await searches(before));
  }, 120_000);

  it('an upgrade rewrites the index in one segment of the new pages; down sets FTS5’s defaults', async () => {
    const db = await open();
    await migrateTo(db, '0032_name_search_pending');
    await writeOneByOne(db, 1, WRITES);
    const found = await searches(db);
    expect(await migrateTo(db, '0033_name_search_pages')).toMatchObject({
      applied: ['0033_name_search_pages'],
    });
    expect(await options(db)).toEqual({ pgsz: PAGE_BYTES, crisismerge: MERGE_SEGMENTS });
    expect(await segments(db)).toBe(1);
    expect(await doclistIndexes(db)).toBeGreaterThan(0);
    expect(await searches(db)).toEqual(found);
    expect(await migrateTo(db, '0032_name_search_pending')).toMatchObject({
      reverted: ['0033_name_search_pages'],
    });
    expect(await options(db)).toEqual({ pgsz: 4050, crisismerge: 16 });
    expect(await searches(db)).toEqual(found);
  }, 120_000);
});
