/**
 * The portfolio's everyday questions on both dialects (0022_portfolio_views): how many open
 * projects are in each node, the projects of one stage, those whose hypercare ends within 7
 * days or awaits its exit, those over budget, and the open ones longest at their stage first.
 * Each pages through every project once, across page boundaries and ties, and the keys follow
 * the record write and a project ended outside Gatehouse.
 */
import type { Kysely } from 'kysely';
import { InvalidCursorError } from '../../db/cursor';
import {
  countStages,
  listProjects,
  markTerminated,
  upsertProjectSnapshot,
  type ListProjectsOptions,
} from '../../db/projects';
import type { Database } from '../../db/schema';
import { startProject } from '../../workflows/lifecycle';
import type { ProjectState, ProjectStatus } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

const otherTemplate = { ...miniTemplate, key: 'other', name: 'Other lifecycle' };
const NOW = Date.UTC(2026, 5, 1);
const DAY = 24 * 60 * 60 * 1000;

interface Shape {
  started: number;
  template?: typeof miniTemplate;
  /** The node it is in, and since when. */
  at: [node: string, since: number];
  status?: ProjectStatus;
  hypercare?: { expiresAt: number; phase: 'running' | 'awaiting_exit' };
  /** Spent against a budget of 100. */
  spent?: number;
  participants?: string[];
}

/** A project's state as a record write would store it, in the shape asked for. */
function project(id: string, shape: Shape): ProjectState {
  const template = shape.template ?? miniTemplate;
  const { state } = startProject(
    {
      projectId: id,
      name: `Project ${id}`,
      template,
      version: 1,
      participants: shape.participants
        ? { ...miniParticipants, pm: shape.participants }
        : miniParticipants,
      startedBy: 'pmo',
    },
    shape.started,
  ).machine;
  const [node, since] = shape.at;
  const hc = shape.hypercare;
  return {
    ...state,
    status: shape.status ?? 'active',
    current: [node],
    ...(shape.status === 'cancelled' && { endedAt: shape.started + 1 }),
    nodes: {
      ...state.nodes,
      [node]: {
        ...state.nodes[node]!,
        status: 'active',
        visits: 1,
        enteredAt: since,
        ...(hc && { hypercare: { ...hc, extensions: 0, escalated: [] } }),
      },
    },
    ...(shape.spent !== undefined && {
      metrics: {
        values: {},
        changedAt: since,
        changedBy: 'pat',
        delivery: { budget: 100, currency: 'EUR' },
      },
      actualCost: { spent: shape.spent, currency: 'EUR', at: since, by: 'pat' },
    }),
  };
}

const SHAPES: Record<string, Shape> = {
  a1: { started: 1_000, at: ['plan', 1_000], spent: 90 },
  a2: { started: 2_000, at: ['approval', 5_000], participants: ['zoe'] },
  a3: { started: 3_000, at: ['approval', 3_000], status: 'on_hold' },
  a4: {
    started: 4_000,
    at: ['hypercare', 4_000],
    hypercare: { expiresAt: NOW + 3 * DAY, phase: 'running' },
  },
  a5: {
    started: 5_000,
    at: ['hypercare', 4_500],
    hypercare: { expiresAt: NOW + 10 * DAY, phase: 'running' },
  },
  a6: {
    started: 6_000,
    at: ['hypercare', 2_500],
    hypercare: { expiresAt: NOW - DAY, phase: 'awaiting_exit' },
    spent: 130,
  },
  a7: {
    started: 7_000,
    template: otherTemplate,
    at: ['approval', 1_500],
    spent: 101,
    participants: ['zoe'],
  },
  a8: { started: 8_000, at: ['approval', 500], status: 'cancelled', spent: 150 },
  // Entered its node at the same time as a2: the order's tie, broken by id.
  a9: { started: 9_000, at: ['approval', 5_000] },
};

describe.each(eachDatabase())('portfolio views on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    for (const [id, shape] of Object.entries(SHAPES)) {
      await upsertProjectSnapshot(db, project(id, shape));
    }
  });
  afterAll(async () => {
    await close();
  });

  /** Every page of a list, `limit` at a time: each project once, in the list's order. */
  async function all(options: ListProjectsOptions, limit: number): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const { items, nextCursor } = await listProjects(db, { ...options, limit, cursor });
      expect(items.length).toBeLessThanOrEqual(limit);
      ids.push(...items.map((p) => p.id));
      cursor = nextCursor;
      if (cursor === undefined) return ids;
    }
    throw new Error('the list did not end');
  }

  /** The same list at every page size that crosses its pages differently. */
  async function listed(options: ListProjectsOptions): Promise<string[]> {
    const [one, ...others] = await Promise.all([1, 2, 3, 50].map((n) => all(options, n)));
    for (const other of others) expect(other).toEqual(one);
    return one!;
  }

  it('counts the open projects in each node of each template', async () => {
    expect(await countStages(db)).toEqual([
      { template: 'mini', stage: 'approval', version: 1, active: 2, onHold: 1 },
      { template: 'mini', stage: 'hypercare', version: 1, active: 3, onHold: 0 },
      { template: 'mini', stage: 'plan', version: 1, active: 1, onHold: 0 },
      { template: 'other', stage: 'approval', version: 1, active: 1, onHold: 0 },
    ]);
    expect(await countStages(db, { template: 'other' })).toEqual([
      { template: 'other', stage: 'approval', version: 1, active: 1, onHold: 0 },
    ]);
    expect(await countStages(db, { template: 'none' })).toEqual([]);
  });

  it('lists the open projects of a stage, newest first, with the other filters', async () => {
    const approval = { template: 'mini', stage: 'approval' };
    // a8 ended at approval: it is at no stage any more.
    expect(await listed(approval)).toEqual(['a9', 'a3', 'a2']);
    expect(await listed({ ...approval, status: 'on_hold' })).toEqual(['a3']);
    expect(await listed({ template: 'other', stage: 'approval' })).toEqual(['a7']);
    expect(await listed({ ...approval, participant: 'zoe' })).toEqual(['a2']);
    expect(await listed({ template: 'mini', stage: 'nowhere' })).toEqual([]);
  });

  it('lists hypercare ending within 7 days or awaiting exit, and over budget', async () => {
    const hypercare = { attention: 'hypercare', now: NOW } as const;
    expect(await listed(hypercare)).toEqual(['a6', 'a4']);
    // a5's ends in 10 days: due once 7 days are left.
    expect(await listed({ ...hypercare, now: NOW + 3 * DAY })).toEqual(['a6', 'a5', 'a4']);
    expect(await listed({ ...hypercare, q: 'a4' })).toEqual(['a4']);
    expect(await listed({ attention: 'over_budget' })).toEqual(['a8', 'a7', 'a6']);
    expect(await listed({ attention: 'over_budget', status: 'active' })).toEqual(['a7', 'a6']);
    expect(await listed({ attention: 'over_budget', template: 'mini' })).toEqual(['a8', 'a6']);
    expect(await listed({ attention: 'over_budget', participant: 'zoe' })).toEqual(['a7']);
  });

  it('orders the open projects by how long they have been at their stage', async () => {
    const byAge = { sort: 'stage_age' } as const;
    expect(await listed(byAge)).toEqual(['a1', 'a7', 'a6', 'a3', 'a4', 'a5', 'a2', 'a9']);
    expect(await listed({ ...byAge, template: 'mini', stage: 'approval' })).toEqual([
      'a3',
      'a2',
      'a9',
    ]);
    expect(await listed({ ...byAge, status: 'active', template: 'mini' })).toEqual([
      'a1',
      'a6',
      'a4',
      'a5',
      'a2',
      'a9',
    ]);
    expect(await listed({ ...byAge, attention: 'hypercare', now: NOW })).toEqual(['a6', 'a4']);
    expect(await listed({ ...byAge, attention: 'over_budget' })).toEqual(['a7', 'a6']);
    expect(await listed({ ...byAge, participant: 'zoe' })).toEqual(['a7', 'a2']);
    expect(await listed({ ...byAge, status: 'cancelled' })).toEqual([]);
  });

  it('refuses a cursor of the other order', async () => {
    const newest = (await listProjects(db, { limit: 1 })).nextCursor!;
    const byAge = (await listProjects(db, { limit: 1, sort: 'stage_age' })).nextCursor!;
    await expect(listProjects(db, { sort: 'stage_age', cursor: newest })).rejects.toThrow(
      InvalidCursorError,
    );
    await expect(listProjects(db, { cursor: byAge })).rejects.toThrow(InvalidCursorError);
    // A tampered one holding NUL: PostgreSQL cannot even compare with it.
    const nul = Buffer.from('1:\u0000').toString('base64url');
    await expect(listProjects(db, { cursor: nul })).rejects.toThrow(InvalidCursorError);
  });

  it('moves a project between stages as it is written, and out once it ended', async () => {
    const moved = project('b1', { started: 10_000, at: ['plan', 10_000] });
    await upsertProjectSnapshot(db, moved);
    const later = project('b1', { started: 10_000, at: ['approval', 11_000], spent: 200 });
    await upsertProjectSnapshot(db, { ...later, seq: moved.seq + 1 });
    expect(await listed({ template: 'mini', stage: 'plan' })).toEqual(['a1']);
    expect(await listed({ template: 'mini', stage: 'approval' })).toEqual(['b1', 'a9', 'a3', 'a2']);
    expect(await listed({ attention: 'over_budget', status: 'active' })).toEqual([
      'b1',
      'a7',
      'a6',
    ]);
    // Ended outside Gatehouse: at no stage, no longer due; still over budget.
    expect(await markTerminated(db, 'b1')).toBe(true);
    expect(await markTerminated(db, 'a4')).toBe(true);
    expect((await countStages(db, { template: 'mini' })).slice(0, 2)).toEqual([
      { template: 'mini', stage: 'approval', version: 1, active: 2, onHold: 1 },
      { template: 'mini', stage: 'hypercare', version: 1, active: 2, onHold: 0 },
    ]);
    expect(await listed({ attention: 'hypercare', now: NOW })).toEqual(['a6']);
    expect(await listed({ sort: 'stage_age', attention: 'over_budget' })).toEqual(['a7', 'a6']);
    expect(await listed({ attention: 'over_budget' })).toEqual(['b1', 'a8', 'a7', 'a6']);
  });
});
