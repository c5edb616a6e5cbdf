/**
 * What the query-plan tests of both databases (list-plans.test.ts, list-plans-postgres.test.ts)
 * hold to "a page reads an index in its own order": a seeded portfolio shaped like a grown one
 * (many participants, some projects ended or held, read and unread notifications), every list
 * the API pages as it calls it, and the SQL each one runs as the app compiles it.
 */
import type { CompiledQuery, Kysely } from 'kysely';
import { listAudit } from '../../db/audit';
import { encodeCursor } from '../../db/cursor';
import { encodeNameCursor, searchUsers } from '../../db/directory';
import { insertInboxItems, listInbox, markAllRead, summarizeInbox } from '../../db/inbox';
import { listOpenActions } from '../../db/open-action-list';
import { listProjects, upsertProjectSnapshot, type ListProjectsOptions } from '../../db/projects';
import type { Database } from '../../db/schema';
import { listTemplates, listVersions, seedTemplate } from '../../db/templates';
import { changeUser } from '../../db/user-admin';
import { insertUser } from '../../db/users';
import { startProject } from '../../workflows/lifecycle';
import type { ProjectState } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';

/** The participant whose lists are asked for: in one project of every {@link STEERING}. */
export const MEMBER = 'sam';
const STEERING = 20;

/** The steering of project `i`. */
const steeringOf = (i: number) => (i % STEERING === 0 ? MEMBER : `steer-${i % STEERING}`);

/** The template of one project in ten (the others': `mini`). */
const OTHER = { ...miniTemplate, key: 'other' };

/**
 * Project `i` of a seeded portfolio: started at 1,000 + i, its steering one of twenty; the
 * filters the lists ask for pass over most projects, as in a grown portfolio.
 */
export function seededProject(i: number, at = 1_000 + i): ProjectState {
  const steering = steeringOf(i);
  const { state } = startProject(
    {
      projectId: `p${i}`,
      name: `Project ${i}`,
      template: i % 10 === 1 ? OTHER : miniTemplate,
      version: 1,
      participants: { ...miniParticipants, pm: [`pm-${i % 50}`], steering: [steering] },
      startedBy: 'pmo',
    },
    at,
  ).machine;
  // Some need attention, as in a grown portfolio (the views' indexes hold them only).
  const needs = {
    ...state,
    ...(i % 4 === 1 && OVER_BUDGET),
    ...(i % 5 === 2 && hypercare(state, i)),
  };
  // A third of them ended, some on hold: the open ones (the stage indexes) are not all.
  if (i % 3 === 0) return { ...needs, status: 'completed', endedAt: at + 1 };
  return i % 7 === 0 ? { ...needs, status: 'on_hold' } : needs;
}

/** An actual cost over the budget. */
const OVER_BUDGET: Pick<ProjectState, 'metrics' | 'actualCost'> = {
  metrics: { values: {}, changedAt: 1_000, changedBy: 'pmo', delivery: { budget: 100 } },
  actualCost: { spent: 150, currency: 'EUR', at: 1_000, by: 'pmo' },
};

/** Project `i` in hypercare, which ended long ago or ends far off (2096), every other one. */
function hypercare({ nodes }: ProjectState, i: number): Pick<ProjectState, 'current' | 'nodes'> {
  const expiresAt = i % 2 === 0 ? 4e12 : 2_000;
  const running = { expiresAt, extensions: 0, phase: 'running' as const, escalated: [] };
  const node = { ...nodes.hypercare!, status: 'active' as const, visits: 1, hypercare: running };
  return { current: ['hypercare'], nodes: { ...nodes, hypercare: node } };
}

/** Templates besides those of the projects: more than a page of the list's (below). */
const TEMPLATES = 60;

/**
 * `projects` projects written as the worker writes them (`concurrency` at a time), and
 * `notifications` notifications, each to the steering of one project in twenty (as many to
 * {@link MEMBER}), the older half of them read.
 */
export async function seedPortfolio(
  db: Kysely<Database>,
  {
    projects,
    notifications,
    concurrency = 1,
  }: { projects: number; notifications: number; concurrency?: number },
): Promise<void> {
  for (const template of [miniTemplate, OTHER]) await seedTemplate(db, template, 1_000);
  for (let t = 0; t < TEMPLATES; t++) {
    await seedTemplate(db, { ...miniTemplate, key: `t${t}` }, 1_000);
  }
  const steering = Array.from({ length: STEERING }, (_, i) => steeringOf(i));
  for (const id of steering) await insertUser(db, { id, name: id, email: `${id}@example.com` });
  await seedDirectory(db, steering);
  for (let i = 0; i < projects; i += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, projects - i) }, (_, j) => i + j);
    await Promise.all(batch.map((n) => upsertProjectSnapshot(db, seededProject(n))));
  }
  for (let i = 0; i < notifications; i++) {
    if (i === notifications / 2) for (const id of steering) await markAllRead(db, id);
    const n = {
      key: `n${i}`,
      projectId: `p${i % projects}`,
      projectName: `Project ${i % projects}`,
      kind: i % 4 === 0 ? ('reminder' as const) : ('action-required' as const),
      recipients: [steeringOf(i)],
      subject: `subject ${i}`,
      text: `text ${i}`,
      at: 1_000 + i,
    };
    await insertInboxItems(db, n, n.recipients);
  }
}

/** People in the directory besides the participants. */
const PEOPLE = 200;

/**
 * The directory: the participants not yet in it and {@link PEOPLE} others, created and one
 * in ten deactivated as an admin does; every other name is the one before it in another
 * letter case (a tie the directory orders by id).
 */
async function seedDirectory(db: Kysely<Database>, steering: string[]): Promise<void> {
  const managers = Array.from({ length: 50 }, (_, i) => `pm-${i}`);
  const participants = new Set([...Object.values(miniParticipants).flat(), ...managers]);
  for (const id of participants) {
    if (!steering.includes(id)) await insertUser(db, { id, name: id, email: `${id}@example.com` });
  }
  for (let i = 0; i < PEOPLE; i++) {
    const id = `person-${i}`;
    const name = `${i % 2 === 0 ? 'Person' : 'person'} ${Math.floor(i / 2)}`;
    await insertUser(db, { id, name, email: `${id}@example.com` });
    if (i % 10 === 0) await changeUser(db, id, { active: false }, 'admin');
  }
}

/** A list the API pages, as it calls it. */
export interface ListCase {
  name: string;
  run: (db: Kysely<Database>) => Promise<unknown>;
  /**
   * Why the index range this list reads holds rows it passes over (a further filter read along
   * the list's index): PostgreSQL's plan may then filter the range it reads in order.
   */
  passesOver?: string;
  /**
   * The columns the rows passed over are told apart by, when only those: each other filter is
   * still a key of the range read (a view of those needing attention by status, template…).
   */
  filteredBy?: string[];
  /** A later page: the list's index range starts at the cursor (a seek, not a filter). */
  seeks?: boolean;
  /** The index the page reads, where the list's order has several (one per filter). */
  index?: string;
}

/**
 * Every list the API pages, with each filter and order the portfolio offers. (The counts per
 * stage read their index whole, by design: each test holds them to that index alone.)
 */
export function listCases(projects: number): ListCase[] {
  // Halfway down the portfolio: a later page, as far from either end.
  const half = Math.floor(projects / 2);
  const cursor = encodeCursor([1_000 + half, `p${half}`]);
  const byAge = encodeCursor([1_000 + half, `p${half}`], 'stage');
  return [
    { name: 'projects', run: (db) => listProjects(db) },
    { name: 'projects after a cursor', run: (db) => listProjects(db, { cursor }) },
    { name: 'projects by status', run: (db) => listProjects(db, { status: 'on_hold', cursor }) },
    { name: 'projects by template', run: (db) => listProjects(db, { template: 'other', cursor }) },
    {
      name: 'projects by status and template',
      run: (db) => listProjects(db, { status: 'active', template: 'other', cursor }),
    },
    {
      name: 'projects whose name holds a text',
      run: (db) => listProjects(db, { q: 'ject 1', cursor }),
      passesOver: 'the names without the text (no index finds a substring)',
    },
    {
      name: 'a participant’s projects',
      run: (db) => listProjects(db, { participant: MEMBER, cursor }),
    },
    {
      name: 'a participant’s projects by status',
      run: (db) => listProjects(db, { participant: MEMBER, status: 'active', cursor }),
      passesOver: 'the participant’s projects of other statuses (their own range)',
    },
    // The portfolio's views (0022_portfolio_views), each in its own order.
    {
      name: 'projects of a stage',
      run: (db) => listProjects(db, { template: 'mini', stage: 'plan', cursor }),
    },
    {
      name: 'projects of a stage by status',
      run: (db) => listProjects(db, { template: 'mini', stage: 'plan', status: 'on_hold', cursor }),
      index: 'projects_stage_status_list_idx',
    },
    {
      name: 'hypercare ending soon',
      run: (db) => listProjects(db, { attention: 'hypercare', cursor }),
      ...FURTHER_OFF,
    },
    { name: 'over budget', run: (db) => listProjects(db, { attention: 'over_budget', cursor }) },
    {
      name: 'longest at their stage',
      run: (db) => listProjects(db, { sort: 'stage_age', cursor: byAge }),
    },
    {
      name: 'longest at one stage',
      run: (db) =>
        listProjects(db, { sort: 'stage_age', template: 'mini', stage: 'plan', cursor: byAge }),
    },
    // Longest at their stage with each filter the API combines with it (status, template,
    // stage): an index whose range is the filter's, per open status (0026_stage_age_filters).
    {
      name: 'longest at their stage by status',
      run: (db) => listProjects(db, { sort: 'stage_age', status: 'on_hold', cursor: byAge }),
    },
    {
      name: 'longest at their stage of a template',
      run: (db) => listProjects(db, { sort: 'stage_age', template: 'other', cursor: byAge }),
    },
    {
      name: 'longest at their stage by status and template',
      run: (db) =>
        listProjects(db, { sort: 'stage_age', status: 'active', template: 'other', cursor: byAge }),
    },
    {
      name: 'longest at one stage by status',
      run: (db) =>
        listProjects(db, {
          sort: 'stage_age',
          template: 'mini',
          stage: 'plan',
          status: 'on_hold',
          cursor: byAge,
        }),
    },
    {
      name: 'longest at their stage of a template, whose name holds a text',
      run: (db) => listProjects(db, { sort: 'stage_age', template: 'other', q: 'ject 1' }),
      passesOver: 'the template’s names without the text (no index finds a substring)',
    },
    {
      name: 'hypercare ending soon, longest first',
      run: (db) => listProjects(db, { sort: 'stage_age', attention: 'hypercare' }),
      ...FURTHER_OFF,
    },
    {
      name: 'over budget, longest first',
      run: (db) => listProjects(db, { sort: 'stage_age', attention: 'over_budget' }),
    },
    // A view of those needing attention with each other filter, in either order: a range of
    // an index of those needing it only (0028_filtered_views), per status.
    ...attentionCases(cursor, byAge),
    { name: 'notifications', run: (db) => listInbox(db, MEMBER, { cursor }) },
    {
      name: 'unread notifications',
      run: (db) => listInbox(db, MEMBER, { unreadOnly: true, cursor }),
    },
    {
      name: 'notifications of a project',
      run: (db) => listInbox(db, MEMBER, { projectId: 'p3', cursor }),
    },
    {
      name: 'notifications of a kind',
      run: (db) => listInbox(db, MEMBER, { kind: 'reminder', cursor }),
    },
    { name: 'to-dos', run: (db) => listOpenActions(db, MEMBER, { cursor }) },
    {
      name: 'to-dos with a stand-in’s',
      run: (db) =>
        listOpenActions(db, MEMBER, {
          delegated: [{ delegatorId: 'steer-1' }, { delegatorId: 'pm-2', projectIds: ['p2'] }],
        }),
      passesOver: 'the delegator’s to-dos a delegate may not take (their own range)',
    },
    { name: 'audit', run: (db) => listAudit(db, 'p3', { afterSeq: 2 }) },
    {
      name: 'templates',
      run: (db) => listTemplates(db, { limit: 5 }),
      passesOver: 'the older versions of the page’s templates, to name each from its latest',
    },
    { name: 'versions', run: (db) => listVersions(db, 'mini') },
    { name: 'the directory', run: (db) => searchUsers(db) },
    {
      name: 'the directory after a cursor',
      run: (db) => searchUsers(db, { cursor: atPerson }),
      seeks: true,
    },
    {
      name: 'the directory’s active people',
      run: (db) => searchUsers(db, { active: true, cursor: atPerson }),
      seeks: true,
      index: 'users_active_name_idx',
    },
    {
      name: 'the directory’s deactivated people',
      run: (db) => searchUsers(db, { active: false, cursor: atPerson }),
      seeks: true,
      index: 'users_deactivated_name_idx',
    },
    {
      name: 'the directory’s people whose name or e-mail holds a text',
      run: (db) => searchUsers(db, { q: 'son 1', cursor: atPerson }),
      passesOver: 'the people without the text (no index finds a substring)',
      seeks: true,
    },
  ];
}

/** The rows a view of hypercare ending soon passes over: by design, and those alone. */
const FURTHER_OFF = {
  passesOver: 'the projects in hypercare whose end is further off than 7 days',
  filteredBy: ['hypercare_due'],
};

/** The filters a view of those needing attention takes besides: its name, its index's word. */
const ATTENTION_FILTERS: [string, string, ListProjectsOptions][] = [
  ['by status', 'status', { status: 'on_hold' }],
  ['of a template', 'template', { template: 'other' }],
  ['by status and template', 'template', { status: 'active', template: 'other' }],
  ['at one stage', 'stage', { template: 'mini', stage: 'plan' }],
  ['at one stage by status', 'stage', { template: 'mini', stage: 'plan', status: 'on_hold' }],
];

/** Each attention with each of {@link ATTENTION_FILTERS}, newest and longest first. */
function attentionCases(cursor: string, byAge: string): ListCase[] {
  return (['hypercare', 'over_budget'] as const).flatMap((attention) =>
    ATTENTION_FILTERS.flatMap(([named, word, filters]) =>
      [false, true].map((aged) => ({
        name: `${attention === 'hypercare' ? 'hypercare ending soon' : 'over budget'} ${named}${aged ? ', longest first' : ''}`,
        run: (db: Kysely<Database>) =>
          listProjects(db, {
            attention,
            ...filters,
            ...(aged ? { sort: 'stage_age', cursor: byAge } : { cursor }),
          }),
        index: `projects_${attention}_${word}_${aged ? 'age' : 'list'}_idx`,
        ...(attention === 'hypercare' && FURTHER_OFF),
      })),
    ),
  );
}

/** Halfway down the directory, between two people of one name. */
const atPerson = encodeNameCursor([`person ${PEOPLE / 4}`, `person-${PEOPLE / 2}`]);

/** A paged list whose PostgreSQL plan is not an index range in order, and why that is bounded. */
export const BOUNDED_SORTS: ListCase[] = [
  {
    name: 'a participant’s projects, longest at their stage',
    run: (db) => listProjects(db, { participant: MEMBER, sort: 'stage_age' }),
    passesOver: 'their own projects, sorted: as many rows as they take part in',
  },
  {
    name: 'a participant’s projects by status and template, longest at their stage',
    run: (db) =>
      listProjects(db, {
        participant: MEMBER,
        sort: 'stage_age',
        status: 'active',
        template: 'other',
        cursor: encodeCursor([1_000, 'p0'], 'stage'),
      }),
    passesOver: 'their own projects, filtered and sorted: as many rows as they take part in',
  },
  {
    name: 'the notification counts',
    run: (db) => summarizeInbox(db, MEMBER),
    passesOver: 'every notification of the user, counted per project and kind',
  },
  {
    name: 'a participant’s colleagues',
    run: (db) => searchUsers(db, { colleaguesOf: MEMBER, active: true, cursor: atPerson }),
    passesOver: 'the participants of their projects, sorted: as many as they work with',
  },
];

/** The statements `run` sent to `db`, as the app compiled them. */
export async function compiledQueries(
  db: Kysely<Database>,
  run: (db: Kysely<Database>) => Promise<unknown>,
): Promise<CompiledQuery[]> {
  const executor = db.getExecutor();
  const spy = jest.spyOn(executor, 'executeQuery');
  try {
    await run(db);
    return spy.mock.calls.map(([query]) => query);
  } finally {
    spy.mockRestore();
  }
}
