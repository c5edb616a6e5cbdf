/**
 * Projects as SQL rows over a series `g` (name-search-plans.test.ts, name-search-pending.test.ts):
 * cheap to insert by the thousand, with the columns the lists read. `md5x` is a hex text of 32
 * characters per row (PostgreSQL's md5; a stand-in on SQLite).
 */

/** Project `g`'s name as SQL over `g`. */
const NAME = `'Project ' || g || ' ' || substr(md5x, 1, 12)`;

/** Project `g` as SQL over `g`, as the builds before 0035 stored it: both dialects read it alike. */
export const SEEDED = `
  'p' || g, ${NAME},
  case when g % 10 = 1 then 'other' else 'mini' end, 1,
  case when g % 3 = 0 then 'completed' when g % 7 = 0 then 'on_hold' else 'active' end,
  '["plan"]', 'pmo', 1000 + g, 1000 + g, case when g % 3 = 0 then 2000000 end, 1, '{}',
  '{"current":[{"id":"plan","name":"Operationalization plan"}],"filler":"' || md5x || md5x || '"}',
  case when g % 3 <> 0 then 'plan' end, case when g % 3 <> 0 then 500000 - g end,
  case when g % 4 = 1 then 1 else 0 end`;
export const COLUMNS = `id, name, template_key, template_version, status, current, started_by, started_at,
  updated_at, ended_at, seq, state, progress, stage, stage_since, over_budget`;

/**
 * {@link SEEDED} with its folded name (0035_name_folds). The names are ASCII letters, digits
 * and spaces, which foldName (db/name-fold.ts) folds as SQL's `lower()` does.
 */
export const FOLDED_SEEDED = `${SEEDED}, lower(${NAME})`;
export const FOLDED_COLUMNS = `${COLUMNS}, name_folded`;
