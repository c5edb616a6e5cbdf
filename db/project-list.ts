/**
 * The portfolio's list and its counts per stage, from the read model alone: each filter and
 * order reads an index in the list's own order (migrations 0011, 0022, 0026, 0028), so a page
 * costs its own rows (and those a further filter passes over), whatever the size of the
 * portfolio.
 */
import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { PortfolioAttention, PortfolioSort } from '../workflows/model/progress';
import { PROJECT_STATUSES, type ProjectStatus } from '../workflows/model/state';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { HYPERCARE_SOON_MS } from './list-keys';
import { fewNameCandidates, nameFilter } from './name-search';
import { type Page, ProjectSummary } from './records';
import type { Database, ProjectsTable } from './schema';

export type ProjectRow = Selectable<ProjectsTable>;

const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 200;

/** Options of {@link listProjects}; filters combine with AND. */
export interface ListProjectsOptions {
  /** One status or any of several. */
  status?: ProjectStatus | readonly ProjectStatus[];
  /** A template key (any version). */
  template?: string;
  /**
   * A node id: the open (active or held) projects in it. Node ids are a template's own: the
   * API takes it with `template` only (read along that template's stage index).
   */
  stage?: string;
  /** Only projects that need this attention (see PortfolioAttention). */
  attention?: PortfolioAttention;
  /** `newest` (the default), or `stage_age`: open projects, longest at their stage first. */
  sort?: PortfolioSort;
  /** What `attention: 'hypercare'` counts its 7 days from (epoch ms; default now). */
  now?: number;
  /** Only projects this user takes part in, in any role. */
  participant?: string;
  /** Only projects whose name contains this text, whatever the letter case (db/name-search.ts). */
  q?: string;
  /** `nextCursor` of the previous page (of the same order). */
  cursor?: string;
  /** Page size, 1..200 (default 50). */
  limit?: number;
}

/** The cursor word of the `stage_age` order: a newest-first cursor is refused there. */
const STAGE_AGE_CURSOR = 'stage';

/**
 * Projects, newest first (ties by id), or with `sort: 'stage_age'` the open ones by the time
 * they entered their node, oldest first (ties by id), a page at a time: keyset pagination,
 * stable while projects start. An unknown cursor (or one of the other order) throws
 * InvalidCursorError.
 */
export async function listProjects(
  db: Kysely<Database>,
  options: ListProjectsOptions = {},
): Promise<Page<ProjectSummary>> {
  const limit = pageSize(options.limit, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const byAge = options.sort === 'stage_age';
  const after =
    options.cursor === undefined
      ? undefined
      : decodeCursor(options.cursor, byAge ? STAGE_AGE_CURSOR : undefined);
  const statuses = typeof options.status === 'string' ? [options.status] : options.status;
  // `in ()` is a syntax error in both dialects, and nothing matches no status.
  if (statuses?.length === 0) return { items: [] };
  // Each filter reads one index in list order (migration 0011): a page costs its own rows,
  // whatever the size of the portfolio. A participant's list walks their `project_members`
  // range, ordered the same way.
  const member = options.participant;
  // A text few names hold: the page is read from the names that may hold it (SQLite; see
  // db/name-search.ts), filtered and sorted. A participant's list reads their own range.
  const q = options.q === '' ? undefined : options.q;
  const candidates = member === undefined ? await fewNameCandidates(db, q) : undefined;
  const holds = q === undefined ? undefined : await nameFilter(db, q);
  // Longest at their stage: the open projects' `stage_since` (a participant's: their range
  // re-ordered, as many rows as they take part in).
  const order = byAge ? AGE_ORDER : member === undefined ? LIST_ORDER : MEMBER_ORDER;
  const at = sql.ref<number>(order[0]);
  const id = sql.ref<string>(order[1]);
  const direction = byAge ? 'asc' : 'desc';
  /** The terms of the list's filters and cursor on the projects in `status` (any: undefined). */
  const terms = (status: readonly ProjectStatus[] | undefined) => {
    const column = (name: keyof ProjectsTable) => sql.ref(`p.${name}`);
    const where: RawBuilder<boolean>[] = [];
    if (status !== undefined) where.push(sql`${column('status')} in (${sql.join(status)})`);
    if (options.template !== undefined) {
      where.push(sql`${column('template_key')} = ${options.template}`);
    }
    if (options.stage !== undefined) where.push(sql`${column('stage')} = ${options.stage}`);
    // The terms of the partial indexes (0022, 0028), spelled as there: both planners match them.
    if (options.attention === 'hypercare') {
      const soon = (options.now ?? Date.now()) + HYPERCARE_SOON_MS;
      where.push(sql`${column('hypercare_due')} is not null`);
      where.push(sql`${column('hypercare_due')} <= ${soon}`);
    }
    if (options.attention === 'over_budget') where.push(sql`p.over_budget = 1`);
    if (byAge) where.push(sql`${column('stage_since')} is not null`);
    // Read along the list's index, a page costs the rows passed over to fill it (a text many
    // names hold); from the candidates, the filter keeps the exact result.
    if (holds !== undefined) where.push(holds);
    if (after !== undefined) {
      // One row-value comparison: both planners seek the index to it (an OR of its parts is a
      // filter, and a later page read every row before it).
      const [key, lastId] = after;
      const beyond = sql.raw(byAge ? '>' : '<');
      where.push(sql`(${at}, ${id}) ${beyond} (${key}, ${lastId})`);
    }
    return where;
  };
  /** The list's page of the projects in `status` (any when undefined), one extra row. */
  const page = (status: readonly ProjectStatus[] | undefined) => {
    if (candidates !== undefined) {
      // Narrow first: the candidates' ids, filtered (by name too, so that a candidate the
      // filter refuses takes no place), sorted and limited to the page; then the page's rows
      // alone are read in full. SQLite stores a row in one record, its tail on overflow pages:
      // the id, name, template, status and start time stand before the large `state`, on the
      // row's first page; the columns 0021 and 0022 added (stage, attention, stage age) after.
      let narrow = db
        .selectFrom(candidates)
        // A cross join keeps SQLite reading the candidates first, each project by its key.
        .crossJoin('projects as p')
        .whereRef('p.id', '=', 'c.project_id')
        .select('p.id as page_id');
      for (const term of terms(status)) narrow = narrow.where(term);
      const ids = narrow
        .orderBy(at, direction)
        .orderBy(id, direction)
        .limit(limit + 1);
      return db
        .selectFrom(ids.as('n'))
        .crossJoin('projects as p')
        .whereRef('p.id', '=', 'n.page_id')
        .select(SUMMARY_COLUMNS)
        .orderBy(at, direction)
        .orderBy(id, direction);
    }
    let query =
      member === undefined
        ? db.selectFrom('projects as p').select(SUMMARY_COLUMNS)
        : db
            // A cross join keeps SQLite walking the member's range first (its planner may start
            // from a status index otherwise); PostgreSQL plans it as the inner join it is.
            .selectFrom('project_members as m')
            .crossJoin('projects as p')
            .whereRef('p.id', '=', 'm.project_id')
            .select(SUMMARY_COLUMNS)
            .select('m.started_at as order_at')
            .where('m.user_id', '=', member);
    for (const term of terms(status)) query = query.where(term);
    // One extra row tells whether another page follows.
    return query
      .orderBy(at, direction)
      .orderBy(id, direction)
      .limit(limit + 1);
  };
  // Where the list's index has the status as a key before the order (every index by status,
  // by stage, by stage age, in hypercare, and over budget of a template: 0026, 0028), each
  // status is a range in order of its own: the page merges the ranges of the statuses asked
  // for, else of every status a row of that index can have. A participant's list reads their
  // own range, a name search its candidates, the statuses a filter.
  const branches =
    member === undefined && candidates === undefined ? statusRanges(options, statuses) : undefined;
  let rows;
  if (branches !== undefined && branches.length > 1) {
    const [first, ...more] = branches.map((status, i) =>
      db.selectFrom(page([status]).as(`s${i}`)).selectAll(),
    );
    rows = await more
      .reduce((union, next) => union.unionAll(next), first!)
      .orderBy(byAge ? 'stage_since' : 'started_at', direction)
      .orderBy('id', direction)
      .limit(limit + 1)
      .execute();
  } else {
    rows = await page(branches ?? statuses).execute();
  }
  const items = rows.slice(0, limit).map(toSummary);
  const last = rows[limit - 1];
  if (rows.length <= limit || last === undefined) return { items };
  if (byAge) {
    return {
      items,
      nextCursor: encodeCursor([Number(last.stage_since), last.id], STAGE_AGE_CURSOR),
    };
  }
  // The cursor holds the key the list is ordered by: a member row keeps the start time of
  // its first write, which the project's own row may since have moved from (a project whose
  // workflow started at its own clock: the API's first snapshot, then the workflow's).
  const lastAt = 'order_at' in last ? last.order_at : last.started_at;
  return { items, nextCursor: encodeCursor([Number(lastAt), last.id]) };
}

/** How many open projects pinned to one version of a template are in one of its nodes. */
export interface StageCount {
  template: string;
  stage: string;
  /** The template version these projects pin: the one that names their node. */
  version: number;
  active: number;
  onHold: number;
}

/**
 * The open projects per template, node and pinned version (of one template, or all), by
 * template key, node id and version: the counts the database keeps (0030_stage_counts), a
 * row per template, node, version and status, whatever the number of projects.
 */
export async function countStages(
  db: Kysely<Database>,
  options: { template?: string } = {},
): Promise<StageCount[]> {
  let query = db
    .selectFrom('stage_counts')
    .select(['template_key', 'stage', 'template_version', 'status', 'n'])
    .where('n', '>', 0);
  if (options.template !== undefined) query = query.where('template_key', '=', options.template);
  const rows = await query
    .orderBy('template_key')
    .orderBy('stage')
    .orderBy('template_version')
    .orderBy('status')
    .execute();
  const out: StageCount[] = [];
  for (const row of rows) {
    let count = out.at(-1);
    const version = Number(row.template_version);
    if (
      count?.template !== row.template_key ||
      count.stage !== row.stage ||
      count.version !== version
    ) {
      count = { template: row.template_key, stage: row.stage, version, active: 0, onHold: 0 };
      out.push(count);
    }
    if (row.status === 'on_hold') count.onHold += Number(row.n);
    else count.active += Number(row.n);
  }
  return out;
}

/** The columns a summary needs: lists never parse the full state. */
const SUMMARY_COLUMNS = [
  'p.id',
  'p.name',
  'p.template_key',
  'p.template_version',
  'p.status',
  'p.current',
  'p.started_by',
  'p.started_at',
  'p.updated_at',
  'p.ended_at',
  'p.progress',
  'p.stage_since',
] as const;

/** The list's order; a participant's list is ordered by their `project_members` range. */
const LIST_ORDER = ['p.started_at', 'p.id'] as const;
const MEMBER_ORDER = ['m.started_at', 'm.project_id'] as const;
const AGE_ORDER = ['p.stage_since', 'p.id'] as const;

/** The statuses of open projects: the only ones at a stage or in hypercare (db/list-keys.ts). */
const OPEN_STATUSES: readonly ProjectStatus[] = ['active', 'on_hold'];

/**
 * The statuses whose index ranges a page of the portfolio merges (one when it asks for one),
 * or undefined when the index it reads has no status key (0011, 0022): newest first, all
 * projects, a template's, or those over budget of any template.
 */
function statusRanges(
  options: ListProjectsOptions,
  statuses: readonly ProjectStatus[] | undefined,
): readonly ProjectStatus[] | undefined {
  if (statuses !== undefined) return [...new Set(statuses)];
  const { template, stage, attention } = options;
  const byAge = options.sort === 'stage_age';
  // Only open projects are at a stage (and so have a stage age) or in hypercare.
  if (byAge || stage !== undefined || attention === 'hypercare') return OPEN_STATUSES;
  // Over budget, ended projects too.
  return attention !== undefined && template !== undefined ? PROJECT_STATUSES : undefined;
}

type SummaryColumn = (typeof SUMMARY_COLUMNS)[number] extends `p.${infer C}` ? C : never;

function toSummary(row: Pick<ProjectRow, SummaryColumn>): ProjectSummary {
  // Absent, not `undefined`: optional fields stay out of the JSON the API sends.
  return ProjectSummary.parse({
    id: row.id,
    name: row.name,
    template: { key: row.template_key, version: row.template_version },
    status: row.status,
    current: JSON.parse(row.current) as unknown,
    startedBy: row.started_by,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    ...(row.ended_at === null ? {} : { endedAt: row.ended_at }),
    // Null only for a stored state this build cannot read (see catchUpOpenActions).
    ...(row.progress !== null && { progress: JSON.parse(row.progress) as unknown }),
  });
}
