/**
 * How a name is compared and sorted whatever its letter case: the portfolio's name search
 * (db/name-search.ts) and the user directory (db/directory.ts) read a folded copy of each name,
 * stored beside it (`projects.name_folded`, `users.name_folded`, 0035_name_folds) by every
 * write of a name, and fold the searched text the same way.
 *
 * The databases' own `lower()` folds A–Z only on SQLite, and on PostgreSQL what the database's
 * locale says (nothing beyond ASCII in a `C` database): "über" did not find "Übergabe". This
 * fold is the same on both, as it is JavaScript's, and one function writes and searches.
 */

/**
 * `name` with each code point lower-cased on its own (Unicode's default mapping, whatever the
 * locale), or kept where its lower case is not exactly one code point ('İ' → "i̇"): the
 * folded name has as many code points as the name, each from the name's own at that place.
 * So a text a folded name holds is a folded part of the name, which the FTS5 search relies on
 * (db/name-search.ts). Letter case only: accents stay ("é" is not "e").
 *
 * Greek's final sigma 'ς' is 'σ' too (as Unicode's case folding has it): lower-cased alone,
 * 'Σ' is 'σ' wherever it stands, so "ΟΔΟΣ" is "οδοσ", which "οδος" typed in lower case would
 * otherwise not find.
 */
export function foldName(name: string): string {
  let folded = '';
  for (const char of name) {
    const lower = char.toLowerCase();
    folded += lower === FINAL_SIGMA ? SIGMA : [...lower].length === 1 ? lower : char;
  }
  return folded;
}

const [FINAL_SIGMA, SIGMA] = ['ς', 'σ'];
