/**
 * The PMO's everyday questions over HTTP: how many open projects are in each stage, the list
 * of one stage, "needs attention" (hypercare ending within 7 days or awaiting exit, over
 * budget), the open projects longest at their stage first, each paged through its cursor and
 * exported as CSV with the same filters; a filter the list cannot take is a problem naming it.
 */
import { seedTemplate, upsertProjectSnapshot } from '../../db';
import { startProject as initialState } from '../../workflows/lifecycle';
import {
  opsIntegratedDelivery as template,
  type ProjectInput,
  type Template,
} from '../../workflows/model';
import { eachDatabase } from '../support/databases';
import { allPages } from './drive-http';
import { startApiStack, type ApiStack, type TestUser } from './stack';

let api: ApiStack;
let pmo: TestUser;
let pat: TestUser;
const SEATS = {
  pm: ['pat'],
  'ops-lead': ['olga'],
  'ops-manager': ['mona'],
  support: ['sue'],
  steering: ['stan'],
};
const DAY = 24 * 60 * 60 * 1000;
const now = Date.now();

beforeAll(async () => {
  api = await startApiStack(eachDatabase()[0]!);
  pmo = await api.user('pmo', { pmo: true });
  pat = await api.user('pat');
  for (const id of ['olga', 'mona', 'sue', 'stan']) await api.user(id);
  // Started a day apart, oldest first; each in `node` since `since` days ago.
  const projects: [id: string, node: string, since: number, extra?: object][] = [
    ['gate-1', 'plan-approval', 20],
    ['gate-2', 'plan-approval', 3],
    ['gate-3', 'plan-approval', 9],
    ['pilot-1', 'pilot', 30, { overBy: 50 }],
    ['care-soon', 'hypercare', 2, { ends: now + 2 * DAY }],
    ['care-later', 'hypercare', 1, { ends: now + 20 * DAY, overBy: 1 }],
    ['care-exit', 'hypercare', 15, { ends: now - DAY, exit: true }],
  ];
  for (const [i, [id, node, since, extra]] of projects.entries()) {
    await writeProject(i, id, node, since, extra);
  }
}, 60_000);
afterAll(async () => api.stop());

/**
 * Writes project `id`, started `i` days after the first (60 days ago), in `node` since `since`
 * days ago; `extra` holds its hypercare's end, its overspend, its status or its template.
 */
async function writeProject(
  i: number,
  id: string,
  node: string,
  since: number,
  extra?: object,
): Promise<void> {
  const { ends, exit, overBy, status, of } = (extra ?? {}) as {
    ends?: number;
    exit?: boolean;
    overBy?: number;
    status?: 'on_hold' | 'completed';
    of?: Template;
  };
  const input: ProjectInput = {
    projectId: id,
    name: `Project ${id}`,
    template: of ?? template,
    version: 1,
    participants: SEATS,
    startedBy: pmo.id,
  };
  const { state } = initialState(input, now - 60 * DAY + i * DAY).machine;
  const enteredAt = now - since * DAY;
  await upsertProjectSnapshot(api.db, {
    ...state,
    ...(status !== undefined && { status }),
    ...(status === 'completed' && { endedAt: now }),
    current: [node],
    nodes: {
      ...state.nodes,
      [node]: {
        ...state.nodes[node]!,
        status: 'active',
        visits: 1,
        enteredAt,
        ...(ends !== undefined && {
          hypercare: {
            expiresAt: ends,
            extensions: 0,
            phase: exit ? 'awaiting_exit' : 'running',
            escalated: [],
          },
        }),
      },
    },
    ...(overBy !== undefined && {
      metrics: { values: {}, changedAt: enteredAt, changedBy: 'pat', delivery: { budget: 100 } },
      actualCost: { spent: 100 + overBy, currency: 'EUR', at: enteredAt, by: 'pat' },
    }),
  });
}

/** The ids `GET /api/projects` lists with `filters`, two a page. */
async function listed(filters: Record<string, string>, token = pmo.token): Promise<string[]> {
  const { items } = await allPages(async (cursor) => {
    const query = new URLSearchParams({ ...filters, limit: '2', ...(cursor && { cursor }) });
    const reply = await api.call('GET', `/api/projects?${query.toString()}`, { token });
    expect(reply.status).toBe(200);
    return reply.body as { items: { id: string }[]; nextCursor?: string };
  });
  return items.map((p) => p.id);
}

/** The ids of the CSV export with `filters`. */
async function exported(filters: Record<string, string>): Promise<string[]> {
  const query = new URLSearchParams(filters);
  const reply = await api.call('GET', `/api/portfolio/export?${query.toString()}`, {
    token: pmo.token,
  });
  expect(reply.status).toBe(200);
  const lines = (reply.body as string).replace(/^\uFEFF/, '').split('\r\n');
  return lines.slice(1, -1).map((line) => line.split(',')[0]!);
}

it('counts the open projects in each stage, in the order of the lifecycle', async () => {
  const reply = await api.call('GET', '/api/portfolio/stages', { token: pmo.token });
  expect(reply.status).toBe(200);
  expect(reply.body).toEqual({
    templates: [
      {
        key: template.key,
        name: template.name,
        stages: [
          ['plan-approval', 'Plan approval', 'gate', 3],
          ['pilot', 'Pilot', 'stage', 1],
          ['hypercare', 'Hypercare', 'hypercare', 3],
        ].map(([id, name, kind, active]) => {
          const counts = { name, kind, active, onHold: 0 };
          return { id, ...counts, versions: [{ version: 1, ...counts }] };
        }),
      },
    ],
  });
  const none = await api.call('GET', '/api/portfolio/stages?template=nothing-here', {
    token: pmo.token,
  });
  expect(none.body).toEqual({ templates: [] });
  expect((await api.call('GET', '/api/portfolio/stages', { token: pat.token })).status).toBe(403);
});

it('lists a stage, what needs attention and the longest at their stage, as CSV too', async () => {
  const stage = { template: template.key, stage: 'plan-approval' };
  expect(await listed(stage)).toEqual(['gate-3', 'gate-2', 'gate-1']);
  // A participant filters their own projects the same way.
  expect(await listed(stage, pat.token)).toEqual(['gate-3', 'gate-2', 'gate-1']);
  expect(await listed({ attention: 'hypercare' })).toEqual(['care-exit', 'care-soon']);
  expect(await listed({ attention: 'over_budget' })).toEqual(['care-later', 'pilot-1']);
  const byAge = { sort: 'stage_age' };
  expect(await listed(byAge)).toEqual([
    'pilot-1',
    'gate-1',
    'care-exit',
    'gate-3',
    'gate-2',
    'care-soon',
    'care-later',
  ]);
  expect(await listed({ ...byAge, ...stage })).toEqual(['gate-1', 'gate-3', 'gate-2']);
  expect(await listed({ ...byAge, attention: 'hypercare' })).toEqual(['care-exit', 'care-soon']);

  expect(await exported(stage)).toEqual(['gate-3', 'gate-2', 'gate-1']);
  expect(await exported({ attention: 'over_budget' })).toEqual(['care-later', 'pilot-1']);
  expect(await exported({ ...byAge, attention: 'hypercare' })).toEqual(['care-exit', 'care-soon']);
});

it('answers a filter it cannot take with a problem naming the query field', async () => {
  const problem = async (path: string, status: number, field: string) => {
    const reply = await api.call('GET', path, { token: pmo.token });
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body.errors[0].path).toEqual(['query', field]);
    return reply.body as { code: string };
  };
  // A node id is a template's own: without the template it names no stage.
  for (const path of ['/api/projects?stage=pilot', '/api/portfolio/export?stage=pilot']) {
    expect((await problem(path, 422, 'stage')).code).toBe('stage_needs_template');
  }
  // Not a value of the filter at all: the query's shape, as for every other field.
  await problem('/api/projects?attention=late', 400, 'attention');
  await problem('/api/portfolio/export?sort=oldest', 400, 'sort');
  await problem('/api/projects?template=ops&stage=Not%20a%20node', 400, 'stage');
  await problem('/api/portfolio/stages?template=NOT%20A%20KEY', 400, 'template');
  // A cursor of the other order is refused, not read as one of this order.
  const first = await api.call('GET', '/api/projects?limit=1', { token: pmo.token });
  const cursor = first.body.nextCursor as string;
  await problem(`/api/projects?sort=stage_age&cursor=${cursor}`, 400, 'cursor');
});

it('pages the longest at their stage by template, status and stage, each once and in order', async () => {
  // Another template's projects, some held, three (and one of the first template's) in a node
  // since the same moment as gate-3: ties by id, across statuses. An ended one is at no stage.
  const other = { ...template, key: 'ops-other' };
  await seedTemplate(api.db, other);
  const held = { status: 'on_hold' };
  for (const [i, [id, node, since, extra]] of (
    [
      ['other-1', 'plan-approval', 25, { ...held, of: other }],
      ['other-2', 'pilot', 12, { of: other }],
      ['other-3', 'plan-approval', 9, { of: other }],
      ['other-4', 'plan-approval', 9, { ...held, of: other }],
      ['other-5', 'hypercare', 4, { of: other, ends: now + 30 * DAY }],
      ['other-done', 'plan-approval', 40, { status: 'completed', of: other }],
      ['held-1', 'plan-approval', 5, held],
    ] as const
  ).entries()) {
    await writeProject(10 + i, id, node, since, extra);
  }
  const byAge = { sort: 'stage_age' };
  const of = { template: other.key };
  expect(await listed(byAge)).toEqual([
    'pilot-1',
    'other-1',
    'gate-1',
    'care-exit',
    'other-2',
    'gate-3',
    'other-3',
    'other-4',
    'held-1',
    'other-5',
    'gate-2',
    'care-soon',
    'care-later',
  ]);
  const ofOther = ['other-1', 'other-2', 'other-3', 'other-4', 'other-5'];
  expect(await listed({ ...byAge, ...of })).toEqual(ofOther);
  expect(await listed({ ...byAge, status: 'on_hold' })).toEqual(['other-1', 'other-4', 'held-1']);
  expect(await listed({ ...byAge, ...of, status: 'active' })).toEqual([
    'other-2',
    'other-3',
    'other-5',
  ]);
  const gate = { ...of, stage: 'plan-approval' };
  expect(await listed({ ...byAge, ...gate })).toEqual(['other-1', 'other-3', 'other-4']);
  expect(await listed({ ...byAge, ...gate, status: 'on_hold' })).toEqual(['other-1', 'other-4']);
  expect(await listed({ ...byAge, status: 'completed' })).toEqual([]);
  expect(await listed({ ...byAge, ...of, q: 'other-' })).toEqual(ofOther);
  expect(await listed({ ...byAge, ...of }, pat.token)).toEqual(ofOther);
  expect(await exported({ ...byAge, ...of })).toEqual(ofOther);
  expect(await exported({ ...byAge, status: 'on_hold' })).toEqual(['other-1', 'other-4', 'held-1']);
});
