/**
 * Queries built and compiled once, run many times with new parameters. Kysely builds and
 * compiles a query afresh on every call: for the record write's dozen small statements that
 * was about a quarter of its CPU (engine bench profile), though their SQL never changes. A
 * reused query is built once per dialect and shape (a row count, a variant) with named slots
 * where the values go; each run binds the values in the compiled slots' order.
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
import { isSqlite } from './database';
import type { Database } from './schema';

/**
 * Stands for the value named `name` while a shape is compiled (typed as that value); `at` for
 * the one of row `row` in a multi-row shape.
 */
export interface Slot<V> {
  <K extends keyof V & string>(name: K): V[K];
  at<K extends keyof V & string>(name: K, row: number): V[K];
}

/** What a slot holds while compiling: never bound, as every parameter is replaced. */
const SLOT_MARK = '\u0000gatehouse-slot:';

/** Most shapes kept per query. */
const MAX_SHAPES = 64;

interface Shape {
  sql: string;
  /** Each parameter: where its value is (name, row), or a constant the query itself holds. */
  parameters: ({ name: string; row: number | undefined } | { constant: unknown })[];
}

/**
 * Runs the query with `values` bound: one set of values, or rows (a multi-row shape of as
 * many rows); `variant` picks among the shapes of a query built differently by option.
 */
export interface ReusedQuery<V, R> {
  (db: Kysely<Database>, values: V | readonly V[], variant?: number): Promise<QueryResult<R>>;
  /** What a run would hand to the database (tests compare it with a query built afresh). */
  compile(db: Kysely<Database>, values: V | readonly V[], variant?: number): CompiledQuery<R>;
}

/**
 * A query whose SQL depends only on the dialect, `variant` and the number of rows: `build`
 * makes it with `slot(name)` wherever `values[name]` goes, `slot.at(name, i)` where row i's
 * does (`rows` of them). Never a slot for a list: an `in (…)` list takes one per item.
 */
export function reusedQuery<V extends Record<string, unknown>, R = unknown>(
  build: (
    db: Kysely<Database>,
    slot: Slot<V>,
    shape: { variant: number; rows: number },
  ) => Compilable<R>,
): ReusedQuery<V, R> {
  const shapes = new Map<string, Shape>();
  const compile = (db: Kysely<Database>, values: V | readonly V[], variant = 0) => {
    const rows = Array.isArray(values) ? values.length : 0;
    const key = `${isSqlite(db) ? 'sqlite' : 'postgres'}:${variant}:${rows}`;
    let compiled = shapes.get(key);
    if (!compiled) {
      compiled = compileShape(build(db, slots<V>(), { variant, rows }));
      // Bounded: a repair's long multi-row inserts come in many sizes, each used once.
      if (shapes.size < MAX_SHAPES) shapes.set(key, compiled);
    }
    const parameters = compiled.parameters.map((p) => {
      if ('constant' in p) return p.constant;
      const from = (p.row === undefined ? values : (values as readonly V[])[p.row]) as V;
      const value = from[p.name];
      if (value === undefined) throw new Error(`reused query: no value for "${p.name}"`);
      return value;
    });
    return CompiledQuery.raw(compiled.sql, parameters) as CompiledQuery<R>;
  };
  const run = async (db: Kysely<Database>, values: V | readonly V[], variant?: number) =>
    db.executeQuery(compile(db, values, variant));
  return Object.assign(run, { compile });
}

function slots<V>(): Slot<V> {
  const slot = ((name: string) => `${SLOT_MARK}${name}`) as Slot<V>;
  slot.at = ((name: string, row: number) => `${SLOT_MARK}${name}@${row}`) as Slot<V>['at'];
  return slot;
}

function compileShape(query: Compilable<unknown>): Shape {
  const { sql, parameters } = query.compile();
  return {
    sql,
    parameters: parameters.map((p) => {
      if (typeof p !== 'string' || !p.startsWith(SLOT_MARK)) return { constant: p };
      const [name = '', row] = p.slice(SLOT_MARK.length).split('@');
      return { name, row: row === undefined ? undefined : Number(row) };
    }),
  };
}
