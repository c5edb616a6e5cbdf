/**
 * Which trigrams of a searched text the names' trigram index (0031_name_search) should read:
 * PostgreSQL's GIN index, SQLite's FTS5 table.
 *
 * GIN answers `name_folded like '%text%'` by reading the posting list of every trigram of the
 * text. When most names share a word ("Project", "rollout", a naming prefix), the lists of that
 * word's trigrams hold the whole portfolio: a search for one project's full name read about
 * 400 index pages at 100,000 projects (7 ms), its rare part alone 3. So the index is asked only
 * for the text's rarest trigrams, and the text itself is a filter on the rows it finds
 * (db/name-search.ts). How common a trigram is comes from a sample of the names, read once per
 * database handle and again after some minutes or once the table has grown a lot: a request
 * reads it from memory.
 */
import { sql, type Kysely } from 'kysely';
import { isSqlite } from './database';
import type { Database } from './schema';

/** A text whose rarest trigram more of the sampled names hold than this share is common. */
export const COMMON_SHARE = 0.05;

/**
 * A text more of the sampled names hold than this share is found along the list's index as
 * the planner sees fit (its statistics on `name_folded` know the text, and the rows the index
 * would find cost more than the lists of its common trigrams): asked for a few trigrams, it
 * takes their shares as independent and the text for rarer than it is.
 */
export const TEXT_COMMON_SHARE = 0.01;

/** Most trigrams the index is asked for. */
export const MAX_TRIGRAMS = 3;

/** Most trigrams one phrase of {@link rarePhrases} holds (7 characters). */
export const PHRASE_TRIGRAMS = 5;

/** How many of the rarest trigrams each start a set of them (rareTrigrams). */
const STARTS = 8;

/**
 * What the index reads for a trigram besides its posting list: the entry tree's root and leaf.
 * In index pages, as {@link POSTING_ROWS_PER_PAGE} and a row found (a heap page, at most).
 */
const TRIGRAM_LOOKUP_PAGES = 2;

/** Rows per page of a posting list (12 trigrams every name holds: 395 pages at 100,000). */
const POSTING_ROWS_PER_PAGE = 3_000;

/** About how many names a sample holds. */
const SAMPLE_NAMES = 2_000;

/** A sample never holds more names than this (its size is a guess from the table's statistics). */
const SAMPLE_CAP = 4 * SAMPLE_NAMES;

/** How long a sample serves before the table's size is looked at again. */
const CHECK_MS = 60_000;

/** How long a sample serves at most. */
const RESAMPLE_MS = 10 * 60_000;

/** How many of a sample of names hold each trigram. */
export interface TrigramSample {
  /** The sampled names, folded (db/name-fold.ts). */
  names: readonly string[];
  /** About how many names the table holds. */
  rows: number;
  /** Per trigram, how many of them hold it (trigrams no sampled name holds are absent). */
  counts: ReadonlyMap<string, number>;
}

/** A trigram of a text, and where it starts (in UTF-16 units). */
interface Trigram {
  trigram: string;
  at: number;
}

/**
 * The trigram of `text` (already folded) starting at `at` (in UTF-16 units) when it is
 * made of ASCII letters and digits inside one word, or undefined. pg_trgm takes exactly such a
 * trigram from `like '%abc%'` whatever its locale (letters and digits are word characters in
 * all of them), and a name holds it wherever its folded form holds the text.
 */
export function wordTrigramAt(text: string, at: number): string | undefined {
  const trigram = text.slice(at, at + 3);
  return at >= 0 && /^[a-z0-9]{3}$/.test(trigram) ? trigram : undefined;
}

/** The trigrams of `text` that {@link wordTrigramAt} takes, each once, in order of first. */
export function wordTrigrams(text: string): Trigram[] {
  const out: Trigram[] = [];
  const seen = new Set<string>();
  for (let at = 0; at + 3 <= text.length; at += 1) {
    const trigram = wordTrigramAt(text, at);
    if (trigram === undefined || seen.has(trigram)) continue;
    seen.add(trigram);
    out.push({ trigram, at });
  }
  return out;
}

/** The sample of `names` (each folded as the filter compares it) of a table of `rows`. */
export function sampleOf(names: readonly string[], rows = names.length): TrigramSample {
  const counts = new Map<string, number>();
  for (const name of names) {
    for (const { trigram } of wordTrigrams(name))
      counts.set(trigram, (counts.get(trigram) ?? 0) + 1);
  }
  return { names, rows: Math.max(rows, names.length), counts };
}

/**
 * The trigrams of `text` (folded) the index should read, or undefined when its rarest is
 * held by more than {@link COMMON_SHARE} of the sampled names, or it has none (too short, or
 * not ASCII letters and digits), or more than {@link TEXT_COMMON_SHARE} of them hold the text:
 * the planner picks between the list's index (a page soon fills) and all of its trigrams.
 *
 * Of the sets of up to {@link MAX_TRIGRAMS} trigrams apart from each other (overlapping ones
 * are held by the same names), the one that costs the fewest pages: its posting lists, and a
 * page per row found (as if the names held trigrams independently). Each of the few rarest
 * starts a set; the set takes, rarest first, each trigram whose list costs less than the rows
 * it spares. A trigram most names hold spares nothing: its list is what the index should not
 * read.
 *
 * `apart`: how far the starts of the trigrams of a set are from each other, at least; 3 (none
 * shares a character) by default. SQLite's FTS5 table asks for 2: its candidates are each a
 * row looked up and filtered, and two trigrams sharing one character still spare most of them
 * (123 and 345 of a number 12345: 300 names of 100,000 hold either, a few both).
 */
export function rareTrigrams(text: string, sample: TrigramSample, apart = 3): string[] | undefined {
  return chooseTrigrams(text, sample, apart)?.map((t) => t.trigram);
}

/** {@link rareTrigrams}, each with where it starts in `text`. */
function chooseTrigrams(text: string, sample: TrigramSample, apart: number): Trigram[] | undefined {
  const count = (t: Trigram) => sample.counts.get(t.trigram) ?? 0;
  // Half a name for a trigram none holds: rare, not absent.
  const share = (t: Trigram) => (count(t) + 0.5) / (sample.names.length + 1);
  const listPages = (t: Trigram) =>
    TRIGRAM_LOOKUP_PAGES + (share(t) * sample.rows) / POSTING_ROWS_PER_PAGE;
  const all = wordTrigrams(text).sort((a, b) => count(a) - count(b) || a.at - b.at);
  const starts = all.filter((t) => count(t) <= COMMON_SHARE * sample.names.length).slice(0, STARTS);
  if (starts.length === 0) return undefined;
  const holding = sample.names.filter((name) => name.includes(text)).length;
  if (holding > TEXT_COMMON_SHARE * sample.names.length) return undefined;
  let best: { chosen: Trigram[]; pages: number } | undefined;
  for (const first of starts) {
    const chosen = [first];
    let found = share(first) * sample.rows;
    let pages = listPages(first);
    for (const next of all) {
      if (chosen.length === MAX_TRIGRAMS) break;
      if (chosen.some((c) => Math.abs(c.at - next.at) < apart)) continue;
      if (listPages(next) >= found * (1 - share(next))) continue;
      chosen.push(next);
      found *= share(next);
      pages += listPages(next);
    }
    if (best === undefined || pages + found < best.pages) best = { chosen, pages: pages + found };
  }
  return best?.chosen;
}

/**
 * The parts of `text` (folded) SQLite's FTS5 table should be asked for, each as one phrase
 * (db/name-search.ts): each of its rarest trigrams (rareTrigrams, `apart`), widened over the
 * trigrams next to it in its word that are rare too: held by no more of the sampled names than
 * the most common of those chosen, or than {@link TEXT_COMMON_SHARE} of them;
 * {@link PHRASE_TRIGRAMS} trigrams at most; or undefined as rareTrigrams.
 *
 * A phrase asks for its trigrams one after another, where separate terms ask for them anywhere
 * in a name: of "project scale-99999" the rarest trigram is 999 alone (the same one three
 * times), which 280 of 100,000 numbered names hold, and the phrase "99999" one. A trigram
 * widened over costs its list, no longer than a chosen one's or 1% of the names (at 100,000
 * about 0.05 ms), where each candidate it spares is a row read and sorted. The second bound
 * is there because a sample tells apart badly two trigrams a few names hold: of "80808" it
 * chose 080 (189 names at 100,000) and held 808 for more common (about 6 sampled names each
 * way). Two chosen trigrams in one run of such trigrams make one phrase.
 */
export function rarePhrases(
  text: string,
  sample: TrigramSample,
  apart: number,
): string[] | undefined {
  const chosen = chooseTrigrams(text, sample, apart);
  if (chosen === undefined) return undefined;
  const count = (at: number) => sample.counts.get(text.slice(at, at + 3)) ?? 0;
  const limit = Math.max(
    ...chosen.map((t) => count(t.at)),
    TEXT_COMMON_SHARE * sample.names.length,
  );
  // A trigram of one word's ASCII letters and digits, rare as above.
  const widens = (at: number) => wordTrigramAt(text, at) !== undefined && count(at) <= limit;
  const spans = new Map<number, number>();
  for (const { at } of chosen.sort((a, b) => a.at - b.at)) {
    let from = at;
    let to = at;
    while (to - from + 1 < PHRASE_TRIGRAMS && widens(to + 1)) to += 1;
    while (to - from + 1 < PHRASE_TRIGRAMS && widens(from - 1)) from -= 1;
    // A span within one already asked for adds nothing.
    if ([...spans].some(([f, t]) => f <= from && to <= t)) continue;
    spans.set(from, to);
  }
  return [...spans].map(([from, to]) => text.slice(from, to + 3));
}

/** A handle's sample, and when it was taken and last held against the table's size. */
interface Cached {
  sample: TrigramSample;
  /** The table's size when sampled: PostgreSQL its pages, SQLite its largest rowid. */
  size: number;
  sampledAt: number;
  checkedAt: number;
}

/** Per database (by its Kysely adapter, shared by its transactions and plugins). */
const samples = new WeakMap<object, { cached?: Cached; pending?: Promise<Cached> }>();

/**
 * The sample of the portfolio's names for `db`: from memory, or read anew when there is none
 * yet, when it is older than {@link RESAMPLE_MS}, or when the table has more than doubled since
 * (looked at once every {@link CHECK_MS}: PostgreSQL's `pg_class`, SQLite's largest rowid).
 * Concurrent requests wait for the same read; but one in a transaction does not wait for a read
 * outside it (on SQLite that read waits for the transaction's connection): it takes the sample
 * in memory, however old, or reads its own.
 */
export async function nameSample(db: Kysely<Database>, now = Date.now()): Promise<TrigramSample> {
  const key = db.getExecutor().adapter;
  let entry = samples.get(key);
  if (entry === undefined) samples.set(key, (entry = {}));
  const { cached } = entry;
  if (cached !== undefined && now - cached.checkedAt < CHECK_MS) return cached.sample;
  if (entry.pending === undefined) {
    const own = entry;
    own.pending = refresh(db, cached, now).finally(() => {
      own.pending = undefined;
    });
    own.cached = await own.pending;
    return own.cached.sample;
  }
  if (db.isTransaction) return cached?.sample ?? (await refresh(db, cached, now)).sample;
  return (await entry.pending).sample;
}

/** `cached` held against the table's size, or a new sample. */
async function refresh(
  db: Kysely<Database>,
  cached: Cached | undefined,
  now: number,
): Promise<Cached> {
  const read = isSqlite(db) ? sqliteSample : pgSample;
  const size = await read.size(db);
  if (cached !== undefined && now - cached.sampledAt < RESAMPLE_MS && size <= 2 * cached.size) {
    return { ...cached, checkedAt: now };
  }
  return { sample: await read.names(db, size), size, sampledAt: now, checkedAt: now };
}

/**
 * How a dialect measures the table and samples its names (folded, as the filter reads them;
 * a name not folded yet, written by an older build during a rolling upgrade, is left out:
 * db/name-fold-upgrade.ts).
 */
interface SampleReader {
  size(db: Kysely<Database>): Promise<number>;
  names(db: Kysely<Database>, size: number): Promise<TrigramSample>;
}

/** PostgreSQL: the table's pages; a share of its pages picked at random (`tablesample`). */
const pgSample: SampleReader = {
  async size(db) {
    const { rows } = await sql<{ pages: string }>`
      select pg_relation_size('projects'::regclass) / current_setting('block_size')::int
        as pages`.execute(db);
    return Number(rows[0]?.pages ?? 0);
  },
  async names(db, pages) {
    const stats = await sql<{ reltuples: number; relpages: number }>`
      select reltuples, relpages from pg_class where oid = 'projects'::regclass`.execute(db);
    const { reltuples = 0, relpages = 0 } = stats.rows[0] ?? {};
    // Rows per page as ANALYZE last saw them; never analysed, the first names of the table.
    const rows = relpages > 0 && reltuples > 0 ? (reltuples / relpages) * pages : 0;
    const percent = rows === 0 ? 100 : Math.min(100, (100 * SAMPLE_NAMES) / rows);
    const names = await sql<{ name: string }>`
      select name_folded as name from projects tablesample system (${percent})
      where name_folded is not null limit ${SAMPLE_CAP}`.execute(db);
    return sampleOf(
      names.rows.map((r) => r.name),
      rows,
    );
  },
};

/**
 * SQLite: the largest rowid of `projects` (read from the end of its table, about as many rows:
 * a deleted row leaves a gap); {@link SAMPLE_NAMES} rowids drawn at random, each found or not
 * (a gap), or every name of a table no larger. 2,000 lookups: a few milliseconds at 100,000.
 */
const sqliteSample: SampleReader = {
  async size(db) {
    const { rows } = await sql<{ last: number | null }>`
      select max(rowid) as last from projects`.execute(db);
    return Number(rows[0]?.last ?? 0);
  },
  async names(db, last) {
    // random() may be -2^63, which abs() refuses: its sign bit is masked off instead.
    const names =
      last <= SAMPLE_NAMES
        ? await sql<{ name: string }>`
            select name_folded as name from projects where name_folded is not null
            limit ${SAMPLE_CAP}`.execute(db)
        : await sql<{ name: string }>`
            with recursive drawn(n, at) as (
              select 1, (random() & 9223372036854775807) % ${last} + 1
              union all
              select n + 1, (random() & 9223372036854775807) % ${last} + 1
              from drawn where n < ${SAMPLE_NAMES}
            )
            select name_folded as name from projects
            where rowid in (select at from drawn) and name_folded is not null`.execute(db);
    return sampleOf(
      names.rows.map((r) => r.name),
      last,
    );
  },
};
