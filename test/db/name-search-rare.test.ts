/**
 * SQLite asks the names' FTS5 table (0031_name_search) for a searched text's rarest trigrams
 * only (db/name-search.ts, db/name-trigrams.ts), not its whole phrase, whose common words'
 * trigrams every name holds; and lists exactly what the filter on the names lists all the same,
 * for texts of every kind. When the rare terms' names are too many (a sample taken before the
 * names changed), the phrase is asked before the list's index is walked.
 */
import { type CompiledQuery, sql, type Kysely } from 'kysely';
import { foldName } from '../../db/name-fold';
import { NAME_CANDIDATES_MAX } from '../../db/name-search';
import { nameSample } from '../../db/name-trigrams';
import { listProjects } from '../../db/projects';
import type { Database } from '../../db/schema';
import { databaseFactory, openMigrated } from '../support/databases';
import { compiledQueries } from './list-plans-cases';

/** Names as the scale bench's, and a few of every kind of character. */
const SCALE = 3_000;
const OTHERS = [
  'Éclair 100%_done',
  'CAFÉ crème',
  'Straße 12',
  'a\\b "quoted" name',
  "it's 中文abc",
  'MiXeD Case scale-1234x',
  // The rare parts of "Project scale-1234 rollout" apart: a candidate the filter refuses.
  'rollout 1234 scale- project',
  'Before\u0000after',
  'under_score and 50% off',
  // Letters of other scripts in both cases (db/name-fold.ts).
  'Übergabe an den Betrieb',
  'ÉTÉ 2027 été',
  'Σχέδιο ΟΔΟΣ οδός',
  'İstanbul hub',
  'Émile Zola',
];

/** Texts of every kind: one name, a part, common, none, syntax, case, short, NUL. */
const TEXTS = [
  'Project scale-1234 rollout',
  'PROJECT SCALE-2999 ROLLOUT',
  'scale-1234',
  'scale-12',
  '1234',
  'ale-777 roll',
  'rollout',
  'ject sc',
  'northwind',
  'Éclair',
  'éclair',
  'café',
  'STRASSE',
  'straße 1',
  '100%_d',
  '%_',
  '50% off',
  'r_s',
  'a\\b',
  '"quoted"',
  '"',
  "it's",
  '中文abc',
  'abc',
  'ab',
  'e',
  'fore\u0000af',
  'x1234 ',
  'ed case scale-1234',
  'AND',
  'out" OR "pro',
  'qrxab',
  'rxab-1',
  'zzzzz',
  'zzz-1',
  'über',
  'ÜBERGABE AN',
  'été 2027',
  'ÉTÉ',
  'οδοσ',
  'ΟΔΌΣ',
  'σχέδιο',
  'İstanbul',
  'émile',
];

/** Each FTS5 query a run asked (the `match` parameters), in order. */
const ftsQueries = (queries: CompiledQuery[]) =>
  queries
    .filter((q) => q.sql.includes('project_names match'))
    .flatMap((q) => q.parameters.filter((p): p is string => typeof p === 'string'))
    .filter((p) => p.startsWith('"'));

describe('the name search on sqlite asks FTS5 for rare trigrams', () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  /** The ids the filter lists (the names and the text folded alike), newest first. */
  async function expected(q: string): Promise<string[]> {
    const rows = await db.selectFrom('projects').select(['id', 'name', 'started_at']).execute();
    // SQLite's LIKE reads a text and its pattern up to a NUL: `%text` then ends the name.
    const cut = (s: string) => s.split('\u0000')[0]!;
    const text = cut(foldName(q));
    const holds = (name: string) =>
      q.includes('\u0000') ? name.endsWith(text) : name.includes(text);
    return rows
      .filter((p) => holds(cut(foldName(p.name))))
      .sort((a, b) => Number(b.started_at) - Number(a.started_at) || (a.id < b.id ? 1 : -1))
      .map((p) => p.id);
  }

  /** The ids listed for `q`, every page walked by its cursor. */
  async function listed(q: string): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProjects(db, { q, limit: 100, ...(cursor && { cursor }) });
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return ids;
  }

  async function insert(names: string[], from: number): Promise<void> {
    const rows = names.map((name, i) => ({
      id: `p${from + i}`,
      name,
      name_folded: foldName(name),
      template_key: 'mini',
      template_version: 1,
      status: 'active',
      current: '[]',
      started_by: 'pmo',
      started_at: 1_000 + from + i,
      updated_at: 1_000,
      seq: 1,
      state: '{}',
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insertInto('projects')
        .values(rows.slice(i, i + 200))
        .execute();
    }
  }

  beforeAll(async () => {
    ({ db, close } = await openMigrated(databaseFactory('sqlite')));
    const scale = Array.from({ length: SCALE }, (_, i) => `Project scale-${i + 1} rollout`);
    // "qrx", "rxa" and "xab" each in about 2% of the names, "qrxab" in 0.3%.
    const sprints = ['qrx', 'rxa', 'xab', 'qrxab'].flatMap((part) =>
      Array.from({ length: part.length === 3 ? 60 : 10 }, (_, i) => `Sprint ${part}-${i}`),
    );
    // "zzz" in 31 names, "zzzzz" in one.
    const zones = [...Array.from({ length: 30 }, (_, i) => `Zone zzz-${i}`), 'Zone zzzzz'];
    await insert([...scale, ...OTHERS, ...sprints, ...zones], 1);
  }, 120_000);
  afterAll(() => close());

  it('asks for at most 3 rare parts of a text with one, not its phrase', async () => {
    // The first search samples the names (db/name-trigrams.ts).
    await listProjects(db, { q: 'scale-1' });
    for (const q of ['Project scale-1234 rollout', 'ale-777 roll', 'northwind']) {
      const asked = ftsQueries(await compiledQueries(db, (on) => listProjects(on, { q })));
      expect(asked.length).toBeGreaterThan(0);
      for (const query of asked) {
        expect({ q, query }).toEqual({
          q,
          query: expect.stringMatching(/^"[a-z0-9]{3,7}"( AND "[a-z0-9]{3,7}"){0,2}$/),
        });
      }
    }
    // Two sharing a character, which spare most of each other's names (qrx and xab): both,
    // as terms or (rxa between them no more common in the sample) one phrase.
    const sprint = ftsQueries(await compiledQueries(db, (on) => listProjects(on, { q: 'QRXAB' })));
    expect(sprint).toHaveLength(1);
    for (const query of sprint) {
      const phrases = query.split(' AND ').map((p) => p.slice(1, -1));
      expect(phrases.every((p) => 'qrxab'.includes(p))).toBe(true);
      expect(['qrx', 'xab'].every((t) => phrases.some((p) => p.includes(t)))).toBe(true);
    }
    // A trigram repeated, which 30 names hold once: the text's run of it, which one holds.
    const repeated = ftsQueries(
      await compiledQueries(db, (on) => listProjects(on, { q: 'zzzzz' })),
    );
    expect(repeated).toEqual(['"zzzzz"']);
    // A text without a rare trigram keeps its phrase.
    const common = ftsQueries(
      await compiledQueries(db, (on) => listProjects(on, { q: 'ject sc' })),
    );
    expect(common).toEqual(['"ject sc"']);
  });

  it('lists exactly what the filter lists, for texts of every kind', async () => {
    for (const q of TEXTS) {
      expect({ q, ids: await listed(q) }).toEqual({ q, ids: await expected(q) });
    }
    expect(await expected('Project scale-1234 rollout')).toEqual(['p1234']);
  }, 60_000);

  it('asks the phrase when the rare terms match too many names', async () => {
    // Names the sample (taken above, kept for a minute) has not seen: its rare trigram "ulk"
    // is in all of them, "item 11" in few.
    await sql`delete from projects`.execute(db);
    const bulk = Array.from({ length: NAME_CANDIDATES_MAX + 150 }, (_, i) => `Bulk item ${i}`);
    await insert(bulk, 1);
    const q = 'bulk item 11';
    const queries = await compiledQueries(db, (on) => listProjects(on, { q }));
    expect(ftsQueries(queries)).toEqual(['"bulk"', '"bulk item 11"']);
    expect({ q, ids: await listed(q) }).toEqual({ q, ids: await expected(q) });
  });

  it('a search in a transaction does not wait for a sample read outside it', async () => {
    // Due again (an hour on); the read outside waits for the transaction's one connection.
    const later = Date.now() + 3_600_000;
    const { outside } = await db.transaction().execute(async (trx) => {
      const waiting = nameSample(db, later);
      expect((await nameSample(trx, later)).names.length).toBeGreaterThan(0);
      // Not awaited here (returned alone, it would be): it reads once the transaction ends.
      return { outside: waiting };
    });
    expect((await outside).names.length).toBeGreaterThan(0);
  }, 10_000);
});
