/**
 * What the two project-by-project jobs (impact analyses, bulk migrations) keep alike: one row
 * per project in job order (`position`), inserted in bounded batches; progress counted from
 * those rows, so it survives any process; the rows listed a page at a time after a position.
 */
import type { Kysely } from 'kysely';
import type { Page } from '../workflows/model';
import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';
import type { Database } from './schema';

/**
 * Each job's table of rows and the column its progress is counted by. A bulk migration counts
 * its rows by status with more beside (db/migration-jobs.ts `getMigrationJob`), in one statement.
 */
const COUNTED_BY = { impact_results: 'class' } as const;
type JobRowsTable = keyof typeof COUNTED_BY;

/** Rows per insert: well under SQLite's and PostgreSQL's limits on bound values. */
const INSERT_ROWS = 200;

export interface JobRow {
  job_id: string;
  position: number;
  project_id: string;
}

/** A new job's rows, one per project in `projectIds` order, in batches of one insert each. */
export function jobRowBatches(jobId: string, projectIds: readonly string[]): JobRow[][] {
  const batches: JobRow[][] = [];
  for (let i = 0; i < projectIds.length; i += INSERT_ROWS) {
    batches.push(
      projectIds.slice(i, i + INSERT_ROWS).map((projectId, k) => ({
        job_id: jobId,
        position: i + k,
        project_id: projectId,
      })),
    );
  }
  return batches;
}

/**
 * How many of a job's rows stand at each of `keys` (impact classes), 0 for those none stands
 * at; rows with no value yet or one not in `keys` are not counted.
 */
export async function countJobRows<K extends string>(
  db: Kysely<Database>,
  table: JobRowsTable,
  jobId: string,
  keys: readonly K[],
): Promise<Record<K, number>> {
  const column = COUNTED_BY[table];
  const rows = await db
    .selectFrom(table)
    .select([`${column} as key`, (eb) => eb.fn.countAll<number>().as('n')])
    .where('job_id', '=', jobId)
    .groupBy(column)
    .execute();
  return tally(keys, rows);
}

/** Per key of `keys`, the `n` of the group of that key (0 when none); other groups are left out. */
export function tally<K extends string>(
  keys: readonly K[],
  groups: readonly { key: unknown; n: number | string | bigint }[],
): Record<K, number> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const group of groups) {
    const key = keys.find((k) => k === group.key);
    if (key !== undefined) counts[key] = Number(group.n);
  }
  return counts;
}

/** The position a page of `jobId`'s rows starts after: -1 for the first page. */
export function positionAfter(jobId: string, cursor: string | undefined): number {
  if (cursor === undefined) return -1;
  const [position, job] = decodeCursor(cursor);
  if (job !== jobId) throw new InvalidCursorError(`invalid page cursor: ${cursor}`);
  return position;
}

/**
 * A page of `limit` items from `rows` (read with `limit + 1`, in position order), with the
 * cursor of the next page when there is one.
 */
export function positionPage<R extends { position: number }, T>(
  jobId: string,
  rows: readonly R[],
  limit: number,
  item: (row: R) => T,
): Page<T> {
  const page = rows.slice(0, limit);
  const items = page.map(item);
  const last = page.at(-1);
  return rows.length > limit && last
    ? { items, nextCursor: encodeCursor([Number(last.position), jobId]) }
    : { items };
}
