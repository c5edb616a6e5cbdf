/**
 * Every combination of the portfolio's filters the API takes (status, template, stage and
 * needing attention) in either order, over HTTP on SQLite and PostgreSQL: paged two at a time,
 * each lists every matching project exactly once and in order, across statuses and templates
 * that start at the same moment or entered their node at the same moment (ties by id), as
 * the CSV export does with the same filters.
 */
import { seedTemplate, upsertProjectSnapshot } from '../../db';
import { startProject as initialState } from '../../workflows/lifecycle';
import { opsIntegratedDelivery, type ProjectState } from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { allPages } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();
const other = { ...opsIntegratedDelivery, key: 'ops-other' };
const TEMPLATES = [opsIntegratedDelivery, other];
const NODES = ['plan-approval', 'pilot', 'hypercare'];
const STATUSES = ['active', 'on_hold', 'completed'] as const;
const SEATS = {
  pm: ['pat'],
  'ops-lead': ['olga'],
  'ops-manager': ['mona'],
  support: ['sue'],
  steering: ['stan'],
};

/** A project of the portfolio, as the reference filter below reads it. */
interface Shape {
  id: string;
  template: string;
  node: string;
  status: (typeof STATUSES)[number];
  started: number;
  since: number;
  /** When its hypercare ends, in the hypercare node. */
  ends?: number;
  overBudget: boolean;
}

/**
 * 36 projects, started three at a time (a tie across templates and statuses), each in a node
 * since one of five moments (ties again); some held or ended, some in hypercare ending soon,
 * later or awaiting exit, some over budget (ended ones too).
 */
const SHAPES: Shape[] = Array.from({ length: 36 }, (_, k) => {
  const node = NODES[Math.floor(k / 2) % 3]!;
  const ends = [now + 2 * DAY, now + 20 * DAY, now - DAY][k % 3];
  return {
    id: `p${String(k).padStart(2, '0')}`,
    template: TEMPLATES[k % 3 === 0 ? 1 : 0]!.key,
    node,
    status: k % 5 === 0 ? 'on_hold' : k % 7 === 3 ? 'completed' : 'active',
    started: now - 60 * DAY + Math.floor(k / 3) * DAY,
    since: now - ((k * 7) % 5) * DAY,
    ...(node === 'hypercare' && { ends }),
    overBudget: k % 3 === 1 || k % 4 === 0,
  };
});

/** `shape` as a record write stores it. */
function stateOf(shape: Shape): ProjectState {
  const template = TEMPLATES.find((t) => t.key === shape.template)!;
  const input = {
    projectId: shape.id,
    name: `Project ${shape.id}`,
    template,
    version: 1,
    participants: SEATS,
    startedBy: 'pmo',
  };
  const { state } = initialState(input, shape.started).machine;
  const hypercare = shape.ends !== undefined && {
    hypercare: {
      expiresAt: shape.ends,
      extensions: 0,
      phase: shape.ends < now ? ('awaiting_exit' as const) : ('running' as const),
      escalated: [],
    },
  };
  const node = { ...state.nodes[shape.node]!, status: 'active' as const, visits: 1 };
  return {
    ...state,
    status: shape.status,
    ...(shape.status === 'completed' && { endedAt: now }),
    current: [shape.node],
    nodes: { ...state.nodes, [shape.node]: { ...node, enteredAt: shape.since, ...hypercare } },
    ...(shape.overBudget && {
      metrics: { values: {}, changedAt: now, changedBy: 'pat', delivery: { budget: 100 } },
      actualCost: { spent: 150, currency: 'EUR', at: now, by: 'pat' },
    }),
  };
}

type Filters = Record<string, string>;

/** The ids the list should give for `filters`, in its order, from the shapes alone. */
function expected(filters: Filters): string[] {
  const open = (p: Shape) => p.status === 'active' || p.status === 'on_hold';
  const byAge = filters.sort === 'stage_age';
  const matching = SHAPES.filter(
    (p) =>
      (filters.status === undefined || p.status === filters.status) &&
      (filters.template === undefined || p.template === filters.template) &&
      (filters.stage === undefined || (open(p) && p.node === filters.stage)) &&
      (filters.attention !== 'hypercare' ||
        (open(p) && p.ends !== undefined && p.ends <= now + 7 * DAY)) &&
      (filters.attention !== 'over_budget' || p.overBudget) &&
      (!byAge || open(p)),
  );
  const key = (p: Shape) => (byAge ? p.since : -p.started);
  const id = (a: Shape, b: Shape) => (a.id < b.id ? -1 : 1) * (byAge ? 1 : -1);
  return matching.sort((a, b) => key(a) - key(b) || id(a, b)).map((p) => p.id);
}

/** Each combination of the filters the API takes: `stage` with `template` only. */
function combinations(): Filters[] {
  const places: Filters[] = [
    {},
    { template: other.key },
    { template: opsIntegratedDelivery.key },
    ...NODES.map((stage) => ({ template: opsIntegratedDelivery.key, stage })),
    { template: other.key, stage: 'hypercare' },
  ];
  return [undefined, 'hypercare', 'over_budget'].flatMap((attention) =>
    [undefined, ...STATUSES].flatMap((status) =>
      places.flatMap((place) =>
        [undefined, 'stage_age'].map((sort) => ({
          ...place,
          ...(attention !== undefined && { attention }),
          ...(status !== undefined && { status }),
          ...(sort !== undefined && { sort }),
        })),
      ),
    ),
  );
}

describe.each(eachDatabase())('$name', (factory) => {
  let api: ApiStack;
  let pmo: TestUser;
  beforeAll(async () => {
    api = await startApiStack(factory);
    pmo = await api.user('pmo', { pmo: true });
    await seedTemplate(api.db, other);
    for (const shape of SHAPES) await upsertProjectSnapshot(api.db, stateOf(shape));
  }, 60_000);
  afterAll(async () => api.stop());

  /** The ids `GET /api/projects` lists with `filters`, two a page. */
  async function listed(filters: Filters): Promise<string[]> {
    const { items } = await allPages(async (cursor) => {
      const query = new URLSearchParams({ ...filters, limit: '2', ...(cursor && { cursor }) });
      const reply = await api.call('GET', `/api/projects?${query.toString()}`, {
        token: pmo.token,
      });
      expect(reply.status).toBe(200);
      return reply.body as { items: { id: string }[]; nextCursor?: string };
    });
    return items.map((p) => p.id);
  }

  /** The ids of the CSV export with `filters`. */
  async function exported(filters: Filters): Promise<string[]> {
    const query = new URLSearchParams(filters).toString();
    const reply = await api.call('GET', `/api/portfolio/export?${query}`, { token: pmo.token });
    expect(reply.status).toBe(200);
    const lines = (reply.body as string).replace(/^\uFEFF/, '').split('\r\n');
    return lines.slice(1, -1).map((line) => line.split(',')[0]!);
  }

  it('pages each combination of filters, every matching project once and in order', async () => {
    const all = combinations();
    // The shapes give each kind of filter something to list and something to pass over.
    expect(all.filter((f) => expected(f).length >= 3).length).toBeGreaterThan(all.length / 3);
    for (const filters of all) {
      expect({ filters, ids: await listed(filters) }).toEqual({ filters, ids: expected(filters) });
    }
  }, 120_000);

  it('exports each combination with a stage, a status or needing attention alike', async () => {
    for (const filters of combinations().filter((f) => Object.keys(f).length >= 2)) {
      expect({ filters, ids: await exported(filters) }).toEqual({
        filters,
        ids: expected(filters),
      });
    }
  }, 120_000);
});
