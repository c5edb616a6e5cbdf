import type { Kysely } from 'kysely';
import { InvalidCursorError } from '../../db/cursor';
import { isParticipant, listProjects, upsertProjectSnapshot } from '../../db/projects';
import type { ProjectSummary } from '../../db/records';
import type { Database } from '../../db/schema';
import { decide, startProject } from '../../workflows/lifecycle';
import type { Command, Participants, ProjectState } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

const otherTemplate = { ...miniTemplate, key: 'other', name: 'Other lifecycle' };

/** A project just started by the pure interpreter, as the worker would snapshot it. */
function started(
  id: string,
  at: number,
  options: { template?: typeof miniTemplate; participants?: Participants } = {},
): ProjectState {
  return startProject(
    {
      projectId: id,
      name: `Project ${id}`,
      template: options.template ?? miniTemplate,
      version: 1,
      participants: options.participants ?? miniParticipants,
      startedBy: 'pmo',
    },
    at,
  ).machine.state;
}

/** The same project cancelled by the PMO a little later. */
function cancelled(state: ProjectState, template = miniTemplate): ProjectState {
  const machine = { state, template };
  const command: Command = {
    type: 'cancel',
    actor: { userId: 'pmo', pmo: true },
    reason: 'no budget',
  };
  const decision = decide(machine, command, state.startedAt + 500);
  if (!decision.ok) throw new Error(`cancel refused: ${decision.rejection.code}`);
  return decision.machine.state;
}

describe.each(eachDatabase())('project listing on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const states: Record<string, ProjectState> = {};
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    states.p1 = started('p1', 1_000);
    states.p2 = cancelled(started('p2', 2_000));
    states.p3 = started('p3', 3_000, {
      template: otherTemplate,
      participants: { ...miniParticipants, pm: ['zoe'], steering: ['zoe'] },
    });
    states.p4 = started('p4', 3_000);
    states.p5 = cancelled(started('p5', 4_000, { template: otherTemplate }), otherTemplate);
    for (const state of Object.values(states)) await upsertProjectSnapshot(db, state);
  });
  afterAll(async () => {
    await close();
  });

  async function all(options: Parameters<typeof listProjects>[1] = {}): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listProjects(db, { ...options, limit: 2, cursor });
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return ids;
  }

  it('summarizes each project from the stored state', async () => {
    const { items } = await listProjects(db);
    const byId = new Map<string, ProjectSummary>(items.map((p) => [p.id, p]));
    expect(byId.get('p1')).toStrictEqual({
      id: 'p1',
      name: 'Project p1',
      template: { key: 'mini', version: 1 },
      status: 'active',
      current: ['plan'],
      startedBy: 'pmo',
      startedAt: 1_000,
      updatedAt: 1_000,
      // What the portfolio's row shows, written with the snapshot (workflows/model/progress.ts).
      progress: { current: [{ id: 'plan', name: 'plan', since: 1_000 }] },
    });
    expect(byId.get('p2')).toMatchObject({ status: 'cancelled', current: [], endedAt: 2_500 });
  });

  it('pages newest first, ties broken by id, through an opaque cursor', async () => {
    expect(await all()).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
    const first = await listProjects(db, { limit: 5 });
    expect(first.nextCursor).toBeUndefined();
    await expect(listProjects(db, { cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
  });

  it('filters by status, template and participant, together and while paging', async () => {
    expect(await all({ status: 'active' })).toEqual(['p4', 'p3', 'p1']);
    expect(await all({ status: ['cancelled', 'completed'] })).toEqual(['p5', 'p2']);
    expect(await all({ status: [] })).toEqual([]);
    expect(await all({ template: 'other' })).toEqual(['p5', 'p3']);
    expect(await all({ participant: 'zoe' })).toEqual(['p3']);
    expect(await all({ participant: 'olga' })).toEqual(['p5', 'p4', 'p3', 'p2', 'p1']);
    expect(await all({ participant: 'pat', status: 'active' })).toEqual(['p4', 'p1']);
    expect(await all({ participant: 'pat', template: 'other' })).toEqual(['p5']);
    expect(await all({ participant: 'nobody' })).toEqual([]);
  });

  it('answers the roles a user holds in a project', async () => {
    expect(await isParticipant(db, 'p1', 'olga')).toEqual(['ops']);
    expect(await isParticipant(db, 'p3', 'zoe')).toEqual(['pm', 'steering']);
    expect(await isParticipant(db, 'p1', 'zoe')).toEqual([]);
    expect(await isParticipant(db, 'nope', 'olga')).toEqual([]);
  });

  it('rewrites the participants when a later snapshot changes them, and only then', async () => {
    const first = started('p6', 5_000);
    await upsertProjectSnapshot(db, first);
    // A later snapshot with the same participants keeps them.
    await upsertProjectSnapshot(db, { ...first, seq: first.seq + 1 });
    expect(await isParticipant(db, 'p6', 'olga')).toEqual(['ops']);
    // A migration that seats zoe as PM instead of pat.
    const migrated = {
      ...first,
      seq: first.seq + 2,
      participants: { ...first.participants, pm: ['zoe'] },
    };
    await upsertProjectSnapshot(db, migrated);
    expect(await isParticipant(db, 'p6', 'zoe')).toEqual(['pm']);
    expect(await isParticipant(db, 'p6', 'pat')).toEqual([]);
    expect(await isParticipant(db, 'p6', 'olga')).toEqual(['ops']);
    // An older snapshot arriving late changes nothing.
    await upsertProjectSnapshot(db, { ...first, seq: first.seq + 1 });
    expect(await isParticipant(db, 'p6', 'zoe')).toEqual(['pm']);
  });
});
