/**
 * The folded names across builds: a build before 0035_name_folds writes `name` alone, so a
 * project or user it creates during a rolling upgrade has no `name_folded` (NULL: the column
 * is nullable for that reason) and one it renames keeps the old fold. Such a row is not found
 * by name until it is folded here. `gatehouse migrate` runs this after the migrations, and each
 * worker at its start: the APIs are replaced first and each new worker starts after an old one
 * stopped (README "Upgrading Gatehouse"), so the last worker's start comes after every write of
 * the old build. Normally there is nothing to do but a scan of the names.
 */
import type { Kysely } from 'kysely';
import { foldName } from './name-fold';
import type { Database } from './schema';

/** Rows read per page: memory stays bounded on a large portfolio or directory. */
const PAGE = 1_000;

/** How many rows {@link catchUpNameFolds} folded anew, by table. */
export interface NameFoldsCatchUp {
  projects: number;
  users: number;
}

/** Sets `name_folded` of every project and user where it is not its name's fold. */
export async function catchUpNameFolds(db: Kysely<Database>): Promise<NameFoldsCatchUp> {
  return { projects: await catchUp(db, 'projects'), users: await catchUp(db, 'users') };
}

async function catchUp(db: Kysely<Database>, table: 'projects' | 'users'): Promise<number> {
  let folded = 0;
  let after = '';
  for (;;) {
    const page = await db
      .selectFrom(table)
      .select(['id', 'name', 'name_folded'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    for (const row of page) {
      const fold = foldName(row.name);
      if (row.name_folded === fold) continue;
      // Of the name read: a rename meanwhile wrote its own fold (or is caught up next time).
      const { numUpdatedRows } = await db
        .updateTable(table)
        .set({ name_folded: fold })
        .where('id', '=', row.id)
        .where('name', '=', row.name)
        .executeTakeFirst();
      folded += Number(numUpdatedRows);
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) return folded;
    after = last.id;
  }
}
