/**
 * The portfolio's name search (`q`, db/name-search.ts) on both dialects lists exactly what the
 * filter lists: the names whose folded form (db/name-fold.ts) holds the text folded, `%`, `_`, `\`,
 * quotes and FTS5 syntax literal, with every other filter, both orders and a participant's
 * list, page by page. fast-check draws the names, the writes (record writes, renames and
 * deletes, which the SQLite index of names follows by triggers) and the searches; the oracle is
 * plain code over the `projects` rows themselves. Also: more than NAME_CANDIDATES_MAX matches
 * (SQLite's two routes). The upgrades that index the names: name-folds-migration.test.ts.
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { HYPERCARE_SOON_MS } from '../../db/list-keys';
import { foldName } from '../../db/name-fold';
import { NAME_CANDIDATES_MAX } from '../../db/name-search';
import { listProjects, upsertProjectSnapshot, type ListProjectsOptions } from '../../db/projects';
import type { Database } from '../../db/schema';
import { seedTemplate } from '../../db/templates';
import { startProject } from '../../workflows/lifecycle';
import { PROJECT_STATUSES, type ProjectState, type ProjectStatus } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';
import { compiledQueries } from './list-plans-cases';

const NOW = 10_000_000;
const OTHER = { ...miniTemplate, key: 'other' };
const NODES = ['plan', 'approval', 'hypercare', 'pir'];
const IDS = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9', 'p10', 'p11', 'p12'];
const STEERING = ['sam', 'sue', 'stan'];
/** What names are made of: ASCII of both cases, LIKE's and FTS5's syntax, other letters. */
const LETTERS = [...'aBcDeXyZ 12%_\\"\'*-:()Éé߯øΣσς中İi'];

/** A project as a record write stores it. */
interface Spec {
  id: string;
  name: string;
  other: boolean;
  node: string;
  status: ProjectStatus;
  started: number;
  /** Its hypercare ends this far from NOW (in the hypercare node). */
  ends: number;
  over: boolean;
  steering: string;
}

/** One write: a record write (a start, or a rename and move), a rename by SQL, a delete. */
type Write =
  { kind: 'record'; spec: Spec } | { kind: 'rename' | 'delete'; id: string; name: string };

const arbName = fc
  .array(fc.constantFrom(...LETTERS), { minLength: 2, maxLength: 14 })
  .map((letters) => letters.join(''));
const arbSpec: fc.Arbitrary<Spec> = fc.record({
  id: fc.constantFrom(...IDS),
  name: arbName,
  other: fc.boolean(),
  node: fc.constantFrom(...NODES),
  status: fc.constantFrom(...PROJECT_STATUSES),
  // Few start times and ends: ties the order breaks by id.
  started: fc.integer({ min: 1, max: 6 }).map((n) => n * 1_000),
  ends: fc.constantFrom(-1, 2, 30).map((days) => days * 24 * 3_600_000),
  over: fc.boolean(),
  steering: fc.constantFrom(...STEERING),
});
const arbWrite: fc.Arbitrary<Write> = fc.oneof(
  { weight: 4, arbitrary: arbSpec.map((spec) => ({ kind: 'record' as const, spec })) },
  fc.record({
    kind: fc.constantFrom('rename' as const, 'delete' as const),
    id: fc.constantFrom(...IDS),
    name: arbName,
  }),
);

/** `arbitrary`'s value one time in three, else undefined: a search has a few filters at once. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });

/** A search: a piece of a stored name in changed case, or any text; with other options. */
interface Search {
  from: number;
  at: number;
  length: number;
  flips: boolean[];
  /** Any text instead (mostly one no name holds). */
  text: string | undefined;
  options: ListProjectsOptions;
}

const arbSearch: fc.Arbitrary<Search> = fc.record({
  from: fc.nat(),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 6 }),
  flips: fc.array(fc.constantFrom(false, false, true), { minLength: 6, maxLength: 6 }),
  text: sometimes(
    fc.array(fc.constantFrom(...LETTERS), { minLength: 1, maxLength: 6 }).map((l) => l.join('')),
  ),
  options: fc.record({
    status: sometimes(
      fc.oneof(
        fc.constantFrom(...PROJECT_STATUSES),
        fc.subarray([...PROJECT_STATUSES], { minLength: 1 }),
      ),
    ),
    template: sometimes(fc.constantFrom('mini', 'other')),
    stage: sometimes(fc.constantFrom(...NODES)),
    attention: sometimes(fc.constantFrom('hypercare' as const, 'over_budget' as const)),
    sort: sometimes(fc.constantFrom('newest' as const, 'stage_age' as const)),
    participant: sometimes(fc.constantFrom(...STEERING)),
    limit: fc.integer({ min: 1, max: 4 }),
  }),
});

/** The state a record write of `spec` stores, with sequence `seq`. */
function stateOf(spec: Spec, seq: number): ProjectState {
  const { state } = startProject(
    {
      projectId: spec.id,
      name: spec.name,
      template: spec.other ? OTHER : miniTemplate,
      version: 1,
      participants: { ...miniParticipants, steering: [spec.steering] },
      startedBy: 'pmo',
    },
    spec.started,
  ).machine;
  const open = spec.status === 'active' || spec.status === 'on_hold';
  const expiresAt = NOW + spec.ends;
  const hypercare = spec.node === 'hypercare' && {
    hypercare: { expiresAt, extensions: 0, phase: 'running' as const, escalated: [] },
  };
  return {
    ...state,
    seq,
    status: spec.status,
    current: open ? [spec.node] : [],
    ...(!open && { endedAt: spec.started + 1 }),
    nodes: {
      ...state.nodes,
      [spec.node]: {
        ...state.nodes[spec.node]!,
        status: 'active',
        visits: 1,
        enteredAt: spec.started + seq,
        ...hypercare,
      },
    },
    ...(spec.over && {
      metrics: { values: {}, changedAt: 1, changedBy: 'pmo', delivery: { budget: 100 } },
      actualCost: { spent: 150, currency: 'EUR', at: 1, by: 'pmo' },
    }),
  };
}

/** `text` with the letters `flips` says in the other case (ß upper-cased is SS). */
function flipCase(text: string, flips: boolean[]): string {
  return [...text]
    .map((c, i) =>
      flips[i % flips.length] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c,
    )
    .join('');
}

describe.each(eachDatabase())('the name search on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    await seedTemplate(db, OTHER, 1_000);
  });
  afterAll(() => close());

  /** The ids `options` should list, in order, from the rows as stored. */
  async function expected(options: ListProjectsOptions): Promise<string[]> {
    const rows = await db
      .selectFrom('projects')
      .select(['id', 'name', 'status', 'template_key', 'stage', 'stage_since', 'hypercare_due'])
      .select(['over_budget', 'started_at'])
      .execute();
    const members = new Map(
      options.participant === undefined
        ? []
        : (
            await db
              .selectFrom('project_members')
              .select(['project_id', 'started_at'])
              .where('user_id', '=', options.participant)
              .execute()
          ).map((m) => [m.project_id, Number(m.started_at)]),
    );
    const statuses = typeof options.status === 'string' ? [options.status] : options.status;
    const byAge = options.sort === 'stage_age';
    const text = foldName(options.q ?? '');
    const listed = rows.filter(
      (p) =>
        (statuses === undefined || statuses.includes(p.status as ProjectStatus)) &&
        (options.template === undefined || p.template_key === options.template) &&
        (options.stage === undefined || p.stage === options.stage) &&
        (options.attention !== 'hypercare' ||
          (p.hypercare_due !== null && Number(p.hypercare_due) <= NOW + HYPERCARE_SOON_MS)) &&
        (options.attention !== 'over_budget' || Number(p.over_budget) === 1) &&
        (!byAge || p.stage_since !== null) &&
        (options.participant === undefined || members.has(p.id)) &&
        foldName(p.name).includes(text),
    );
    const key = (p: (typeof rows)[number]) =>
      byAge ? Number(p.stage_since) : -(members.get(p.id) ?? Number(p.started_at));
    const sign = byAge ? 1 : -1;
    return listed.sort((a, b) => key(a) - key(b) || (a.id < b.id ? -sign : sign)).map((p) => p.id);
  }

  /** The ids `options` lists, every page walked by its cursor. */
  async function listed(options: ListProjectsOptions): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProjects(db, { ...options, now: NOW, ...(cursor && { cursor }) });
      expect(page.items.length).toBeLessThanOrEqual(options.limit ?? 50);
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return ids;
  }

  it('lists what the filter on the stored names lists, through writes, renames and deletes', async () => {
    let seq = 0;
    let searched = 0;
    let found = 0;
    /** Searches of 3 characters or more that found names (SQLite: from its candidates). */
    let foundLong = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbWrite, { minLength: 1, maxLength: 16 }),
        fc.array(arbSearch, { minLength: 1, maxLength: 6 }),
        async (writes, searches) => {
          await sql`delete from projects`.execute(db);
          for (const write of writes) {
            seq += 1;
            if (write.kind === 'record') {
              await upsertProjectSnapshot(db, stateOf(write.spec, seq));
            } else if (write.kind === 'rename') {
              // As a repair or a migration might: the row alone, no record write.
              await db
                .updateTable('projects')
                .set({ name: write.name, name_folded: foldName(write.name) })
                .where('id', '=', write.id)
                .execute();
            } else {
              await db.deleteFrom('projects').where('id', '=', write.id).execute();
            }
          }
          const rows = await db.selectFrom('projects').select(['id', 'name']).execute();
          const names = new Map(rows.map((p) => [p.id, p.name]));
          for (const search of searches) {
            // A piece of a name the other options list (or of any, when they list none).
            const others = await expected(search.options);
            const from = others.length > 0 ? others : [...names.keys()];
            const name = [...(names.get(from[search.from % Math.max(from.length, 1)]!) ?? '')];
            const at = search.at % Math.max(name.length - search.length + 1, 1);
            const piece = name.slice(at, at + search.length);
            const q = search.text ?? flipCase(piece.join(''), search.flips);
            const options = { ...search.options, q };
            const ids = await expected(options);
            expect({ options, ids: await listed(options) }).toEqual({ options, ids });
            searched += 1;
            if (ids.length > 0) found += 1;
            if (ids.length > 0 && [...q].length >= 3) foundLong += 1;
          }
        },
      ),
      { numRuns: 100 },
    );
    // The searches found names, and not always.
    expect(found).toBeGreaterThan(searched / 10);
    expect(found).toBeLessThan(searched);
    expect(foundLong).toBeGreaterThan(searched / 20);
  }, 120_000);

  // PostgreSQL holds no NUL in a text (its driver refuses the value before the query).
  (factory.name === 'sqlite' ? it : it.skip)('searches a text holding NUL', async () => {
    await sql`delete from projects`.execute(db);
    await db
      .insertInto('projects')
      .values({
        id: 'nul',
        name: 'Before\u0000after',
        name_folded: foldName('Before\u0000after'),
        template_key: 'mini',
        template_version: 1,
        status: 'active',
        current: '[]',
        started_by: 'pmo',
        started_at: 1_000,
        updated_at: 1_000,
        seq: 1,
        state: '{}',
      })
      .execute();
    // Answered as before the index (SQLite's LIKE reads a text up to its NUL), not refused by
    // FTS5's query parser, which a NUL ends ("unterminated string").
    for (const q of ['fore\u0000af', 'ab\u0000cd', '\u0000\u0000\u0000']) {
      const page = await listProjects(db, { q, now: NOW });
      expect(Array.isArray(page.items)).toBe(true);
    }
  });

  it(`pages alike when more than ${NAME_CANDIDATES_MAX} names hold the text`, async () => {
    await sql`delete from projects`.execute(db);
    const count = NAME_CANDIDATES_MAX + 150;
    const rows = Array.from({ length: count }, (_, i) => {
      const open = i % 3 !== 0;
      return {
        id: `b${i}`,
        name: `Bulk ITEM ${i}`,
        name_folded: foldName(`Bulk ITEM ${i}`),
        template_key: i % 4 === 0 ? 'other' : 'mini',
        template_version: 1,
        status: open ? (i % 5 === 0 ? 'on_hold' : 'active') : 'completed',
        current: '[]',
        started_by: 'pmo',
        started_at: 1_000 + (i % 400),
        updated_at: 1_000,
        ended_at: open ? null : 2_000,
        seq: 1,
        state: '{}',
        stage: open ? NODES[i % 4]! : null,
        stage_since: open ? 5_000 + (i % 300) : null,
        over_budget: i % 7 === 0 ? (1 as const) : (0 as const),
      };
    });
    for (let i = 0; i < rows.length; i += 100) {
      await db
        .insertInto('projects')
        .values(rows.slice(i, i + 100))
        .execute();
    }
    const routes = new Set<string>();
    for (const [q, rare] of [
      ['ulk it', false],
      ['item 11', true],
      ['bulk ITEM', false],
      ['m 99', true],
      ['item 12345', true],
    ] as const) {
      for (const options of [
        { limit: 200 },
        { status: ['on_hold', 'completed'] as ProjectStatus[], limit: 150 },
        { template: 'other', stage: 'pir', limit: 60 },
        { sort: 'stage_age' as const, attention: 'over_budget' as const, limit: 90 },
      ]) {
        const all = { ...options, q };
        const queries = await compiledQueries(db, (on) => listProjects(on, all));
        const fromCandidates = queries.some((query) =>
          query.sql.includes('join project_name_rows'),
        );
        if (factory.name === 'sqlite')
          expect({ q, fromCandidates }).toEqual({ q, fromCandidates: rare });
        routes.add(String(fromCandidates));
        expect({ all, ids: await listed(all) }).toEqual({ all, ids: await expected(all) });
      }
    }
    expect(routes.size).toBe(factory.name === 'sqlite' ? 2 : 1);
  }, 120_000);
});
