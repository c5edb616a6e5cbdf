/**
 * The portfolio's name search (`q` of db/project-list.ts listProjects): the projects whose name
 * holds a text whatever the letter case, of any script (both folded by db/name-fold.ts: the
 * stored `name_folded`, 0035_name_folds), accents as typed, `%`, `_` and `\` literal.
 *
 * Read along the list's index and filtered, a page costs the rows passed over to fill it: cheap
 * for a text many names hold, the whole portfolio for one few hold, which is what a PMO typing
 * part of one project's name asks. Each database finds those few by a trigram index
 * (0031_name_search). PostgreSQL's planner picks between the two reads by itself. On SQLite the
 * list asks the names' FTS5 table first how many names may hold the text (their rarest
 * trigrams, as PostgreSQL's index is asked: db/name-trigrams.ts): up to
 * {@link NAME_CANDIDATES_MAX}, and half the names, the page is read from those candidates
 * (db/project-list.ts: their ids sorted first, then the page's rows); beyond, the list's index
 * is walked as before, where a page soon fills. More than half: a walk passes at most the
 * names that do not hold the text, fewer than the candidates, before the page is full.
 */
import { type AliasedRawBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import { isSqlite } from './database';
import { foldName } from './name-fold';
import { nameSample, rarePhrases, rareTrigrams } from './name-trigrams';
import type { Database } from './schema';

/**
 * Most names a page is read from (SQLite); a text more names hold walks the list's index. At
 * 100,000 projects a candidate cost about 2.5 times a row the walk passes (counted, found
 * again, looked up): 2,000 names spread over the portfolio took 21 ms from the candidates,
 * 10 ms walked; 2,000 of the oldest 15 ms, 450 ms walked (.exp measurements, December 7).
 */
export const NAME_CANDIDATES_MAX = 2_000;

/**
 * The shortest text the trigram index finds, in code points. A shorter one matches no row of
 * the FTS table: those walk the list's index, where 1 or 2 characters are held by many names.
 */
const TRIGRAM = 3;

/** The text a name must hold, folded as the stored names are (db/name-fold.ts). */
const searchText = (q: string) => foldName(q);

/**
 * How far apart the trigrams FTS5 is asked for start, at least (db/name-trigrams.ts
 * rareTrigrams): 2, a character shared. At 100,000 names, "Project scale-12345" read 300
 * candidates for 345 alone, 1 for 123 and 345 (the list 1.2 → 0.5 ms).
 */
const FTS_TRIGRAMS_APART = 2;

/**
 * The filter on the name: `name_folded like '%text%'`, the text folded alike and the pattern's
 * characters literal.
 */
export function nameHolds(q: string): RawBuilder<boolean> {
  const pattern = `%${searchText(q).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`p.name_folded like ${pattern} escape '\\'`;
}

/**
 * The list's filter on the name, as the database finds it best: on SQLite {@link nameHolds};
 * on PostgreSQL, for a text with trigrams few sampled names hold (db/name-trigrams.ts), a
 * condition on each of them, which the trigram index answers reading their posting lists only,
 * and {@link nameHolds} as a filter on the rows found. The filter is wrapped in `is true`
 * (the same rows: WHERE keeps no null) so that the index is not asked for it, which would read
 * the posting lists of all the text's trigrams; the planner still estimates it from the
 * statistics ANALYZE keeps on the `name_folded` column. A text without such trigrams keeps the
 * one condition the planner answers along the list's index.
 */
export async function nameFilter(db: Kysely<Database>, q: string): Promise<RawBuilder<boolean>> {
  if (isSqlite(db)) return nameHolds(q);
  const trigrams = rareTrigrams(searchText(q), await nameSample(db));
  if (trigrams === undefined) return nameHolds(q);
  // ASCII letters and digits: nothing in `%abc%` to escape.
  const found = trigrams.map((t) => sql<boolean>`p.name_folded like ${`%${t}%`}`);
  return sql<boolean>`${sql.join(found, sql` and `)} and (${nameHolds(q)}) is true`;
}

/** `text` as one FTS5 phrase: double quotes around it, each inside doubled, all else literal. */
export function ftsPhrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

/** The ids of the projects whose names may hold the text (a subquery aliased `c`). */
export type NameCandidates = AliasedRawBuilder<{ project_id: string }, 'c'>;

/**
 * The FTS5 query for the names that may hold `text` (folded): its rarest trigrams, each
 * widened over the rare ones next to it into a phrase of its own (db/name-trigrams.ts
 * rarePhrases), or undefined when it has none such.
 *
 * Asked for the whole text as one phrase, FTS5 reads the rows of every trigram of it in every
 * segment: those of a word most names share ("project") are the whole portfolio. A phrase of
 * ASCII letters and digits from the text is held by a name whose folded form holds the text:
 * the FTS table holds the folded names, and the tokenizer folds those characters alike.
 */
async function rarePhrasesQuery(db: Kysely<Database>, text: string): Promise<string | undefined> {
  const phrases = rarePhrases(text, await nameSample(db), FTS_TRIGRAMS_APART);
  return phrases?.map(ftsPhrase).join(' AND ');
}

/**
 * SQLite: the projects whose names hold the text's rarest trigrams (or, when it has none such,
 * every trigram of `q` in order), when at most {@link NAME_CANDIDATES_MAX} and half the names
 * do; more, those holding every trigram in order, when few enough; otherwise (or on
 * PostgreSQL, or for a text shorter than a trigram) undefined.
 *
 * Candidates only: the FTS table holds the folded names (0035_name_folds), and its trigram
 * tokenizer folds them further (the case of letters foldName keeps, such as 'İ'), so the list
 * keeps its own filter on each row ({@link nameHolds}) and the result is exactly the filter's.
 * Nothing is missed: the phrase is the filter's own folded text, foldName keeps a name's code
 * points in place (a part of the folded name is the fold of a part of the name), and the
 * tokenizer folds each character alone, so a folded name that holds the text holds the
 * text's trigrams in order once the tokenizer has folded both.
 */
export async function fewNameCandidates(
  db: Kysely<Database>,
  q: string | undefined,
): Promise<NameCandidates | undefined> {
  if (q === undefined || !isSqlite(db)) return undefined;
  const text = searchText(q);
  // FTS5's query parser ends a string at NUL ("unterminated string"): such a text walks.
  if ([...text].length < TRIGRAM || text.includes('\u0000')) return undefined;
  const phrase = ftsPhrase(text);
  const terms = await rarePhrasesQuery(db, text);
  // The terms' names hold the phrase's and more (names holding the parts apart, or folded
  // alike): too many of them, the phrase may still be few.
  for (const query of terms === undefined ? [phrase] : [terms, phrase]) {
    const rowids = await fewMatches(db, query);
    if (rowids !== undefined) {
      // The rows found, not the query again: FTS5 is read once per search.
      return sql<{ project_id: string }>`(
        select r.project_id from json_each(${rowids}) j
        join project_name_rows r on r.fts_rowid = j.value
      )`.as('c');
    }
  }
  return undefined;
}

/**
 * The FTS rows matching the FTS5 `query` (a JSON array of their numbers) when they are at most
 * {@link NAME_CANDIDATES_MAX} and half the names; otherwise undefined. Bounded: a query most
 * names match stops at one past the bound. The names are counted by the FTS rows' numbers,
 * given in order of writing (a deleted name leaves a gap: at least as many as there are).
 * The rows found are kept (`materialized`: FTS5 is read once), counted, and made into the
 * array only when within the bound: SQLite evaluates a subquery in a CASE branch only when
 * the branch is taken.
 */
async function fewMatches(db: Kysely<Database>, query: string): Promise<string | undefined> {
  const { rows } = await sql<{ rowids: string | null }>`
    with b as (
      select min(${NAME_CANDIDATES_MAX}, coalesce(max(fts_rowid), 0) / 2) as bound
      from project_name_rows
    ),
    m as materialized (
      select rowid from project_names where project_names match ${query}
      limit (select bound from b) + 1
    )
    select case when (select count(*) from m) <= (select bound from b)
      then (select json_group_array(rowid) from m) end as rowids`.execute(db);
  return rows[0]?.rowids ?? undefined;
}
