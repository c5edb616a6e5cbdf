/**
 * What a reused query (db/reused-query.ts) hands to the database, for the tests that hold it to
 * what Kysely builds afresh for the same values (record-write, keyed-write and read-path
 * queries).
 */
import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from '../../db/schema';

/** The compiled queries `run` hands to `on` (the database, or a transaction of it). */
export async function queriesRun(
  on: Kysely<Database>,
  run: () => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const spy = jest.spyOn(on, 'executeQuery');
  try {
    await run();
    return spy.mock.calls.map(([query]) => query as CompiledQuery);
  } finally {
    spy.mockRestore();
  }
}

/** `query` is `built`: the same SQL and parameters. */
export function expectSameQuery(query: CompiledQuery | undefined, built: CompiledQuery): void {
  expect(query?.sql).toBe(built.sql);
  expect(query?.parameters).toEqual(built.parameters);
}
