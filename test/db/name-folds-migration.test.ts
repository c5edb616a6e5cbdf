/**
 * The upgrades that index the names already stored, on both dialects: 0031 (the trigram
 * indexes) and 0035 (the folded names, db/name-fold.ts, filled from the stored names and
 * indexed in their place), each down and up again. Rows are written as the build before each
 * wrote them, by SQL.
 */
import { type Kysely, sql } from 'kysely';
import { searchUsers } from '../../db/directory';
import { migrateTo, migrateToLatest } from '../../db/migrate';
import { foldName } from '../../db/name-fold';
import { listProjects } from '../../db/projects';
import type { Database } from '../../db/schema';
import { beforeNameFolds, eachDatabase, openMigrated } from '../support/databases';

/** Projects stored before 0035, each with a search that finds it only once folded. */
const STORED: [id: string, name: string, q: string][] = [
  ['p1', 'Übergabe an den Betrieb', 'über'],
  ['p2', 'ÉTÉ 2027', 'été 2027'],
  ['p3', 'Σχέδιο ΟΔΟΣ', 'σχέδιο οδος'],
  ['p4', 'İstanbul hub', 'İSTANBUL'],
];

describe.each(eachDatabase())('the names’ upgrades on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close());

  /** A project row as a build before 0035 wrote it. */
  async function storeProject(id: string, name: string, startedAt: number): Promise<void> {
    await beforeNameFolds(db)
      .insertInto('projects')
      .values({
        id,
        name,
        template_key: 'mini',
        template_version: 1,
        status: 'active',
        current: '[]',
        started_by: 'pmo',
        started_at: startedAt,
        updated_at: startedAt,
        seq: 1,
        state: '{}',
      })
      .execute();
  }

  const search = async (q: string) => (await listProjects(db, { q })).items.map((p) => p.id);
  const people = async (q: string) => (await searchUsers(db, { q })).items.map((u) => u.id);

  it('finds the names stored before the folded names, and after it again', async () => {
    await sql`delete from projects`.execute(db);
    await migrateTo(db, '0034_name_search_merges');
    for (const [i, [id, name]] of STORED.entries()) await storeProject(id, name, 1_000 + i);
    await beforeNameFolds(db)
      .insertInto('users')
      .values({
        id: 'u-emile',
        name: 'Émile Zola',
        email: 'emile@example.test',
        pmo: 0,
        admin: 0,
        created_at: 1,
      })
      .execute();
    await migrateToLatest(db);
    for (const [id, , q] of STORED) expect({ q, ids: await search(q) }).toEqual({ q, ids: [id] });
    expect(await people('ÉMILE')).toEqual(['u-emile']);
    // Down and up again: the indexes of `lower(name)` back, then the folded ones.
    const { reverted } = await migrateTo(db, '0034_name_search_merges');
    // With every later migration, newest first.
    expect(reverted.at(-1)).toBe('0035_name_folds');
    await storeProject('p5', 'Übergabe Nord', 2_000);
    await migrateToLatest(db);
    expect(await search('ÜBERGABE')).toEqual(['p5', 'p1']);
    await sql`delete from projects`.execute(db);
    await sql`delete from users`.execute(db);
  });

  it('finds the names stored before the upgrade that indexes them, and after it again', async () => {
    expect(await migrateTo(db, '0030_stage_counts')).toMatchObject({
      // With every later migration, newest first.
      reverted: expect.arrayContaining(['0031_name_search', '0035_name_folds']),
    });
    await storeProject('p1', 'Northwind ERP rollout', 1_000);
    await storeProject('p2', 'Intranet relaunch', 1_001);
    await migrateToLatest(db);
    expect(await search('NORTHWIND')).toEqual(['p1']);
    expect(await search('relaunch')).toEqual(['p2']);
    // Down and up again: the index is dropped and built anew, and kept from then on.
    await migrateTo(db, '0030_stage_counts');
    await storeProject('p3', 'Northwind CRM', 1_002);
    await migrateToLatest(db);
    await db
      .insertInto('projects')
      .values({
        id: 'p4',
        name: 'Northwind HR',
        name_folded: foldName('Northwind HR'),
        template_key: 'mini',
        template_version: 1,
        status: 'active',
        current: '[]',
        started_by: 'pmo',
        started_at: 1_003,
        updated_at: 1_003,
        seq: 1,
        state: '{}',
      })
      .execute();
    expect(await search('northwind')).toEqual(['p4', 'p3', 'p1']);
    expect(await search('wind crm')).toEqual(['p3']);
  });
});
