/**
 * The open projects per stage that the database keeps (0030_stage_counts) on both dialects:
 * after any sequence of writes — a start, a move, a hold and a resume, a migration to another
 * version, an end by the lifecycle or outside it, a row deleted — the counts equal a count of
 * the projects themselves. fast-check draws the sequences; the counting query is the oracle.
 */
import fc from 'fast-check';
import { sql, type Kysely } from 'kysely';
import { migrateTo } from '../../db/migrate';
import { countStages, markTerminated, upsertProjectSnapshot } from '../../db/projects';
import type { Database } from '../../db/schema';
import { startProject } from '../../workflows/lifecycle';
import type { ProjectState, ProjectStatus } from '../../workflows/model';
import { miniParticipants, miniTemplate } from '../fixtures/mini-template';
import { eachDatabase, openMigrated } from '../support/databases';

const NODES = ['plan', 'approval', 'hypercare', 'pir'];
const STATUSES: ProjectStatus[] = ['active', 'on_hold', 'completed', 'cancelled'];
const IDS = ['p1', 'p2', 'p3', 'p4'];

/** One write to one project. */
type Write =
  | { kind: 'record'; id: string; node: string; status: ProjectStatus; version: number }
  | { kind: 'terminate'; id: string }
  | { kind: 'delete'; id: string };

const arbWrite: fc.Arbitrary<Write> = fc.oneof(
  fc.record({
    kind: fc.constant('record' as const),
    id: fc.constantFrom(...IDS),
    node: fc.constantFrom(...NODES),
    status: fc.constantFrom(...STATUSES),
    version: fc.constantFrom(1, 2),
  }),
  fc.record({ kind: fc.constant('terminate' as const), id: fc.constantFrom(...IDS) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...IDS) }),
);

/** A state as a record write stores it: at `node` in `status`, pinning `version`. */
function stateOf(id: string, write: Extract<Write, { kind: 'record' }>, seq: number): ProjectState {
  const { state } = startProject(
    {
      projectId: id,
      name: `Project ${id}`,
      template: miniTemplate,
      version: write.version,
      participants: miniParticipants,
      startedBy: 'pmo',
    },
    1_000,
  ).machine;
  const open = write.status === 'active' || write.status === 'on_hold';
  return {
    ...state,
    seq,
    status: write.status,
    current: open ? [write.node] : [],
    ...(!open && { endedAt: 2_000 + seq }),
    nodes: {
      ...state.nodes,
      [write.node]: { ...state.nodes[write.node]!, status: 'active', visits: 1, enteredAt: seq },
    },
  };
}

describe.each(eachDatabase())('the kept counts per stage on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close());

  /** The counts as a count of the projects would give them (countStages' old query). */
  async function counted() {
    const rows = await db
      .selectFrom('projects')
      .select(['template_key', 'stage', 'template_version', 'status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('stage', 'is not', null)
      .groupBy(['template_key', 'stage', 'template_version', 'status'])
      .execute();
    return rows
      .map((r) => `${r.template_key} ${r.stage} v${r.template_version} ${r.status} ${Number(r.n)}`)
      .sort();
  }

  async function kept() {
    return (await countStages(db))
      .flatMap((c) => [
        ...(c.active > 0 ? [`${c.template} ${c.stage} v${c.version} active ${c.active}`] : []),
        ...(c.onHold > 0 ? [`${c.template} ${c.stage} v${c.version} on_hold ${c.onHold}`] : []),
      ])
      .sort();
  }

  it('equal a count of the projects after any sequence of writes', async () => {
    let seq = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(arbWrite, { minLength: 1, maxLength: 25 }), async (writes) => {
        await sql`delete from projects`.execute(db);
        expect(await kept()).toEqual([]);
        for (const write of writes) {
          seq += 1;
          if (write.kind === 'record') {
            await upsertProjectSnapshot(db, stateOf(write.id, write, seq));
          } else if (write.kind === 'terminate') {
            await markTerminated(db, write.id);
          } else {
            await db.deleteFrom('projects').where('id', '=', write.id).execute();
          }
          expect(await kept()).toEqual(await counted());
        }
      }),
      { numRuns: 25 },
    );
    // The property saw projects counted and uncounted again.
    expect(seq).toBeGreaterThan(25);
  });

  it('are counted from the projects already there when the database is upgraded', async () => {
    await sql`delete from projects`.execute(db);
    const writes: Extract<Write, { kind: 'record' }>[] = [
      { kind: 'record', id: 'p1', node: 'plan', status: 'active', version: 1 },
      { kind: 'record', id: 'p2', node: 'plan', status: 'active', version: 1 },
      { kind: 'record', id: 'p3', node: 'approval', status: 'on_hold', version: 2 },
      { kind: 'record', id: 'p4', node: 'pir', status: 'completed', version: 1 },
    ];
    for (const [i, write] of writes.entries()) {
      await upsertProjectSnapshot(db, stateOf(write.id, write, 10_000 + i));
    }
    // Written by this build, the projects stay when the schema goes back to before 0030.
    expect(await migrateTo(db, '0029_name_statistics')).toMatchObject({
      // With every later migration, newest first.
      reverted: expect.arrayContaining(['0030_stage_counts']),
    });
    expect(await migrateTo(db, '0030_stage_counts')).toMatchObject({
      applied: ['0030_stage_counts'],
    });
    expect(await kept()).toEqual(['mini approval v2 on_hold 1', 'mini plan v1 active 2']);
    expect(await kept()).toEqual(await counted());
  });
});
