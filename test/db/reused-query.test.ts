/**
 * Reused queries (db/reused-query.ts) on both databases: the SQL and parameters a reused
 * query runs are the ones Kysely builds afresh for the same values, whatever the shape (a
 * variant, a row count, a constant inside the query), and running them reads and writes the
 * rows a built query would. A missing value fails before anything reaches the database.
 */
import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db';
import { reusedQuery } from '../../db/reused-query';
import type { ProjectTextsTable } from '../../db/schema';
import { eachDatabase, openMigrated } from '../support/databases';

type Text = Insertable<ProjectTextsTable>;

/** Built as the repositories do, with either slots or values in the same places. */
const insertTexts = (db: Kysely<Database>, rows: readonly Text[]) =>
  db
    .insertInto('project_texts')
    .values(rows.map((r) => ({ ...r })))
    .onConflict((oc) => oc.columns(['project_id', 'sha256']).doNothing());

const reusedInsert = reusedQuery<Text>((db, slot, { rows }) =>
  insertTexts(
    db,
    Array.from({ length: rows }, (_, i) => ({
      project_id: slot.at('project_id', i),
      sha256: slot.at('sha256', i),
      text: slot.at('text', i),
      created_at: slot.at('created_at', i),
    })),
  ),
);

/** Variant 1 adds a condition holding a constant, which stays a parameter of its own. */
const selectTexts = (db: Kysely<Database>, projectId: string, since: number, variant: number) => {
  const query = db
    .selectFrom('project_texts')
    .select(['sha256', 'text'])
    .where('project_id', '=', projectId)
    .where('created_at', '>=', since)
    .orderBy('sha256');
  return variant === 1 ? query.where('text', '<>', 'withdrawn') : query;
};

const reusedSelect = reusedQuery<
  { projectId: string; since: number },
  { sha256: string; text: string }
>((db, slot, { variant }) => selectTexts(db, slot('projectId'), slot('since'), variant));

describe.each(eachDatabase())('$name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(async () => close());

  const rows = (n: number, project = 'p-reused'): Text[] =>
    Array.from({ length: n }, (_, i) => ({
      project_id: project,
      sha256: `d${n}-${i}`,
      text: i === 1 ? 'withdrawn' : `text ${n}.${i}`,
      created_at: 1_000 + i,
    }));

  it.each([1, 2, 3])('a %i-row insert runs what Kysely builds for the same rows', async (n) => {
    // Twice: the first run compiles the shape, the second reuses it with other values.
    for (const project of ['p-first', 'p-second']) {
      const values = rows(n, project);
      const ran = reusedInsert.compile(db, values);
      const built = insertTexts(db, values).compile();
      expect(ran.sql).toBe(built.sql);
      expect(ran.parameters).toEqual(built.parameters);
    }
  });

  it.each([0, 1])('variant %i of a select, with its constant, matches a built one', async (v) => {
    for (const [projectId, since] of [
      ['p-a', 5],
      ['p-b', 7],
    ] as const) {
      const ran = reusedSelect.compile(db, { projectId, since }, v);
      const built = selectTexts(db, projectId, since, v).compile();
      expect(ran.sql).toBe(built.sql);
      expect(ran.parameters).toEqual(built.parameters);
    }
  });

  it('writes and reads the rows a built query would', async () => {
    await reusedInsert(db, rows(3));
    const { rows: all } = await reusedSelect(db, { projectId: 'p-reused', since: 1_001 });
    const { rows: kept } = await reusedSelect(db, { projectId: 'p-reused', since: 0 }, 1);
    expect(all).toEqual(await selectTexts(db, 'p-reused', 1_001, 0).execute());
    expect(all.map((r) => r.sha256)).toEqual(['d3-1', 'd3-2']);
    expect(kept.map((r) => r.sha256)).toEqual(['d3-0', 'd3-2']);
    // The conflict clause is kept: the same rows again change nothing.
    const again = await reusedInsert(db, rows(3));
    expect(Number(again.numAffectedRows ?? 0n)).toBe(0);
  });

  it('refuses a missing value instead of binding nothing', async () => {
    const incomplete = { projectId: 'p-reused' } as { projectId: string; since: number };
    await expect(reusedSelect(db, incomplete)).rejects.toThrow('no value for "since"');
  });
});
