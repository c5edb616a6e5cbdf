/**
 * Names in letters beyond ASCII are found, and people sorted, whatever the letter case
 * (db/name-fold.ts): on SQLite, whose `lower()` folds A–Z only; on PostgreSQL; and on
 * PostgreSQL in a `C` database, whose `lower()` folds A–Z only too. The projects are written
 * as record writes write them, the people as the directory's admin creates them.
 */
import type { Kysely } from 'kysely';
import { searchUsers } from '../../db/directory';
import { listProjects, upsertProjectSnapshot } from '../../db/projects';
import type { Database } from '../../db/schema';
import { insertUser } from '../../db/users';
import { startProject } from '../../workflows/lifecycle';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { databaseFactory, openMigrated, postgresCLocale } from '../support/databases';

/** Projects by id, newest last. */
const PROJECTS = {
  p1: 'Übergabe an den Betrieb',
  p2: 'ÉTÉ 2027',
  p3: 'Straße 12',
  p4: 'Σχέδιο μετάβασης ΟΔΟΣ',
  p5: 'İstanbul hub',
  p6: 'Project rollout über alles',
  p7: 'Ñandú Ōsaka Ǆemal',
};

/** A search, and the projects it finds, newest first. */
const SEARCHES: [q: string, ids: string[]][] = [
  ['über', ['p6', 'p1']],
  ['ÜBERGABE', ['p1']],
  ['übergabe an den betrieb', ['p1']],
  ['Üb', ['p6', 'p1']],
  ['été', ['p2']],
  ['Été 2027', ['p2']],
  ['STRAẞE', ['p3']],
  ['straße 1', ['p3']],
  ['σχέδιο', ['p4']],
  ['ΜΕΤΆΒΑΣΗΣ', ['p4']],
  // Greek's final sigma, typed in lower case, finds the capital.
  ['οδος', ['p4']],
  // 'İ' keeps its case (its lower case is two code points): found as typed, in any case after.
  ['İSTANBUL', ['p5']],
  ['ñandú ōsaka ǆemal', ['p7']],
  ['ÑANDÚ', ['p7']],
  // Accents are not folded away.
  ['uber', []],
  ['ete', []],
];

/** People by id, and their directory order: by folded name (code point order), then id. */
const PEOPLE = {
  'u-emile': 'Émile Zola',
  'u-elise': 'élise Martin',
  'u-odon': 'Ödön Horváth',
  'u-oko': 'öko Team',
  'u-zoe': 'Zoë Ng',
  'u-eve': 'ÉLISE MARTIN',
};
const PEOPLE_ORDER = ['u-zoe', 'u-elise', 'u-eve', 'u-emile', 'u-odon', 'u-oko'];

describe.each([
  { label: 'sqlite', factory: databaseFactory('sqlite') },
  { label: 'postgres', factory: databaseFactory('postgres') },
  { label: 'postgres, a C database', factory: postgresCLocale() },
])('names in every script on $label', ({ factory }) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    for (const [i, [projectId, name]] of Object.entries(PROJECTS).entries()) {
      const { state } = startProject(
        {
          projectId,
          name,
          template: miniTemplate,
          version: 1,
          participants: miniParticipants,
          startedBy: 'pmo',
        },
        1_000 + i,
      ).machine;
      await upsertProjectSnapshot(db, { ...state, seq: 1 });
    }
    // E-mails that hold no part of a name.
    for (const [i, [id, name]] of Object.entries(PEOPLE).entries()) {
      await insertUser(db, { id, name, email: `person-${i}@example.test` });
    }
  }, 60_000);
  afterAll(() => close());

  it.each(SEARCHES)('a project search for %j finds %j', async (q, ids) => {
    const page = await listProjects(db, { q });
    expect(page.items.map((p) => p.id)).toEqual(ids);
  });

  it('finds people by a part of their name in any case', async () => {
    const ids = async (q: string) => (await searchUsers(db, { q })).items.map((u) => u.id);
    expect(await ids('émile')).toEqual(['u-emile']);
    expect(await ids('ÉMILE zola')).toEqual(['u-emile']);
    expect(await ids('ödön')).toEqual(['u-odon']);
    expect(await ids('ÉLISE')).toEqual(['u-elise', 'u-eve']);
    expect(await ids('emile')).toEqual([]);
  });

  it('pages people in the order of their folded names, ties by id', async () => {
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await searchUsers(db, { limit, ...(cursor && { cursor }) });
        seen.push(...page.items.map((u) => u.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect([limit, seen]).toEqual([limit, PEOPLE_ORDER]);
    }
  });
});
