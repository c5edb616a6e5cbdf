/**
 * The names' FTS5 index on SQLite as its own records show it (the SQLite FTS5 documentation,
 * "FTS5 Data Structures"), and names written one statement each, as record writes do
 * (name-search-pages.test.ts, name-search-merges.test.ts).
 */
import { sql, type Kysely } from 'kysely';
import { ftsPhrase } from '../../db/name-search';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { COLUMNS, FOLDED_COLUMNS, FOLDED_SEEDED, SEEDED } from './name-search-seed';

/** A SQLite varint (big-endian, 7 bits a byte) at `at`: its value and where the next starts. */
function varint(block: Uint8Array, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = block[at + i]!;
    if (i === 8) return [value * 256 + byte, at + 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  throw new Error('unreachable');
}

/** Segments, from the structure record (id 10): a cookie, [a v2 tag], levels, segments. */
export async function segments(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ block: Uint8Array }>`
    select block from project_names_data where id = 10`.execute(db);
  const block = rows[0]!.block;
  const v2 = block[4] === 0xff && block[5] === 0 && block[6] === 0 && block[7] === 1;
  const [, next] = varint(block, v2 ? 8 : 4);
  return varint(block, next)[0];
}

/** Projects `from` … `from + count - 1`, one statement each; the segments after each. */
export async function writeOneByOne(
  db: Kysely<Database>,
  from: number,
  count: number,
): Promise<number[]> {
  const seen: number[] = [];
  // As the build of the database's schema writes them: with their folded names since 0035.
  const { rows } = await sql<{ n: number }>`
    select count(*) as n from pragma_table_info('projects') where name = 'name_folded'`.execute(db);
  const [columns, seeded] =
    Number(rows[0]?.n) > 0 ? [FOLDED_COLUMNS, FOLDED_SEEDED] : [COLUMNS, SEEDED];
  for (let g = from; g < from + count; g++) {
    await sql
      .raw(
        `insert into projects (${columns}) select ${seeded} from (select ${g} as g,
           printf('%08x%08x%08x%08x', ${g} * 2654435761 % 4294967296, ${g} * 40503 % 4294967296,
             ${g} * 2246822519 % 4294967296, ${g} * 3266489917 % 4294967296) as md5x)`,
      )
      .execute(db);
    seen.push(await segments(db));
  }
  return seen;
}

/**
 * The projects whose indexed names hold one project's name (`Project 777 …`), a word all hold
 * (the newest 50) and a rare text: asked of the FTS5 table itself, which holds the names in
 * every schema since 0031, whatever columns the app's search reads (0035 folded them).
 */
export async function searches(db: Kysely<Database>): Promise<string[][]> {
  const ids = async (text: string) => {
    const { rows } = await sql<{ id: string }>`
      select p.id from project_names f
      join project_name_rows r on r.fts_rowid = f.rowid
      join projects p on p.id = r.project_id
      where project_names match ${ftsPhrase(text)}
      order by p.started_at desc, p.id desc limit 50`.execute(db);
    return rows.map((row) => row.id);
  };
  return [await ids('Project 777 '), await ids('PROJECT 1'), await ids('ect 1111')];
}

/**
 * Opens migrated SQLite databases for the tests of one `describe`, each closed after them all.
 * Call it in the `describe`'s body.
 */
export function sqliteDatabases(): () => Promise<Kysely<Database>> {
  const opened: { close: () => Promise<void> }[] = [];
  afterAll(async () => {
    for (const database of opened) await database.close();
  });
  return async () => {
    const database = await openMigrated(databaseFactory('sqlite'));
    opened.push(database);
    return database.db;
  };
}
