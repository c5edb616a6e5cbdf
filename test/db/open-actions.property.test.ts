/**
 * The open-actions table equals what the interpreter says each user can do: projects on the
 * built-in template, on random valid ones and on one that starts in hypercare with issue times
 * are driven through random sequences of every offered action (and of time passing: SLAs,
 * hypercare, monitor reviews; of feedback posted and answered; of the PMO giving a seat to
 * someone new, who takes over what the leaving participant owned), each state written
 * through the record write's `upsertProjectSnapshot`; after every step each participant's
 * rows, read back through the inbox's query, are exactly `pendingActions` in the inbox's
 * order (due first; issues due together most severe first), each naming its roles as the
 * template does and an issue's severity.
 */
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import {
  listOpenActions,
  markTerminated,
  seedTemplate,
  upsertProjectSnapshot,
  type Database,
} from '../../db';
import { nextActions, pendingActions, type PendingAction } from '../../workflows/lifecycle';
import {
  advanceToNextDeadline,
  SIM_PMO,
  Simulator,
  type SimCommand,
} from '../../workflows/lifecycle/simulation';
import {
  DEFAULT_BLOCKING_SEVERITY,
  opsIntegratedDelivery,
  ProjectState,
  seatParticipants,
  type Template,
} from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';
import { commandOf, postsFeedback, waitsForWork } from '../fixtures/offered-commands';
import { hypercareTemplate } from '../fixtures/trust-templates';
import { unitProject } from '../fixtures/unit-project';
import { eachDatabase, openMigrated } from '../support/databases';

/**
 * `pendingActions` in the inbox's order: due first, none last; at the same due time hypercare
 * issues first, most severe first; then as the interpreter lists them.
 */
function inDueOrder(actions: PendingAction[]): PendingAction[] {
  const rank = (a: PendingAction) => a.issue?.severity ?? 9;
  return actions
    .map((a, i) => ({ a, i }))
    .sort(
      (x, y) =>
        (x.a.dueAt ?? Infinity) - (y.a.dueAt ?? Infinity) || rank(x.a) - rank(y.a) || x.i - y.i,
    )
    .map(({ a }) => a);
}

/**
 * What a row says in people's words, checked against the state and template rather than the
 * interpreter: each role by its template name, an issue's severity and whether it blocks.
 */
function expectInWords(a: PendingAction, state: Simulator['state'], template: Template): void {
  expect(a.roleNames).toEqual(a.roles.map((k) => template.roles.find((r) => r.key === k)!.name));
  if (a.action !== 'acknowledge-issue' && a.action !== 'resolve-issue') {
    expect(a.issue).toBeUndefined();
    return;
  }
  const issue = state.issues.find((i) => i.id === a.itemId)!;
  const node = template.nodes.find((n) => n.id === a.nodeId);
  const threshold = node?.type === 'hypercare' ? node.blockingSeverity : undefined;
  const blocks = issue.severity <= (threshold ?? DEFAULT_BLOCKING_SEVERITY);
  expect(a.issue).toEqual({ severity: issue.severity, blocksExit: blocks });
}

/**
 * A seat for someone new (`choice` picks it): preferably one whose holder owns feedback they
 * took on, so that the walk hands items over.
 */
function reassignment(sim: Simulator, choice: number, to: string): SimCommand {
  const owners = sim.state.feedback.flatMap((f) =>
    f.status === 'acknowledged' && f.owner !== undefined ? [f.owner] : [],
  );
  const seats = Object.entries(sim.state.participants).flatMap(([role, held]) =>
    held.map((from) => ({ role, from })),
  );
  const owned = seats.filter((s) => owners.includes(s.from));
  const pool = owned.length > 0 ? owned : seats;
  const { role, from } = pool[choice % pool.length]!;
  return { type: 'reassign', role, from, to, reason: 'moved' };
}

/**
 * `user`'s rows in `projectId`, read page by page: walks left open keep their rows, and a
 * seat's holder (`pm-1`) is the same user in every walk.
 */
async function rowsOf(db: Kysely<Database>, user: string, projectId: string) {
  const items = [];
  let cursor: string | undefined;
  do {
    const page = await listOpenActions(db, user, { limit: 200, ...(cursor && { cursor }) });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items.filter((a) => a.projectId === projectId).map(({ userId: _u, ...a }) => a);
}

/** Choices of a walk on the built-in template in which feedback is handed over on a reassign. */
const HANDS_FEEDBACK_OVER = [
  697021212, 1967846216, 2147483618, 12, 2147483645, 22, 49358173, 917358930, 2147483623, 10,
  380280962, 1699688252, 2147483620, 1142613819, 1669928384, 0, 3, 2147483643, 0, 843797608,
  302334207, 1719825994, 2102581655, 13, 311634710, 5, 2021943941, 2147483644, 13, 1337507064,
  2147483625, 1281321877, 14, 1521473124, 6, 27, 9, 1792098726, 129858388, 24, 1958201679,
  2147483620, 2090680623, 602184548, 5, 41401360, 2047325652, 2147483635, 2147483620, 1728097088,
];

/** Choices of a walk in hypercare that raises issues of different severities at one instant. */
const RAISES_AT_ONCE = [
  104, 112, 72, 184, 152, 128, 160, 24, 48, 8, 168, 128, 112, 128, 168, 192, 72, 40, 80, 144, 192,
  80, 152, 80, 40, 160, 112, 192, 192, 8,
];

describe.each(eachDatabase())('open actions on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  let run = 0;
  /** The feedback rows the checks compared, per status: the walks must reach both. */
  const feedbackRows = { open: 0, acknowledged: 0 };
  /** Rows of hypercare issues compared, and those due together with one of another severity. */
  const issueRows = { all: 0, tied: 0 };
  /** Seats given to someone new, and feedback items handed over with them. */
  const handovers = { seats: 0, feedback: 0 };
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
  });
  afterAll(() => close());

  /** One random walk of one project; the table is checked after every step. */
  async function walk(base: Template, choices: readonly number[]): Promise<void> {
    run += 1;
    const template = { ...base, key: `walk-${run}` };
    await seedTemplate(db, template);
    const participants = seatParticipants(template);
    const sim = new Simulator(template, {
      participants,
      ...unitProject,
      projectId: `p-${run}`,
      startedBy: SIM_PMO,
    });
    const users = [...new Set(Object.values(participants).flat())];
    const check = async () => {
      // Every state the interpreter makes is a valid ProjectState, as the workflow hands it
      // over (JSON): the record write checks only its columns (activities/index.ts).
      expect(ProjectState.safeParse(JSON.parse(JSON.stringify(sim.state))).error).toBeUndefined();
      await upsertProjectSnapshot(db, sim.state);
      for (const u of users) {
        const expected = inDueOrder(pendingActions(sim.state, template, u));
        expect(await rowsOf(db, u, sim.state.id)).toEqual(expected);
        for (const a of expected) {
          expectInWords(a, sim.state, template);
          if (a.issue) {
            issueRows.all += 1;
            const together = expected.filter((b) => b.dueAt === a.dueAt && b.issue);
            if (together.some((b) => b.issue!.severity !== a.issue!.severity)) issueRows.tied += 1;
          }
          if (
            a.action === 'answer-feedback' &&
            (a.detail === 'open' || a.detail === 'acknowledged')
          )
            feedbackRows[a.detail] += 1;
        }
      }
    };
    await check();
    for (const choice of choices) {
      if (sim.state.status !== 'active' && sim.state.status !== 'on_hold') break;
      // Those who take part now act; a participant who left is still checked (no rows).
      const present = [...new Set(Object.values(sim.state.participants).flat())];
      const post = postsFeedback(choice, present);
      if (choice % 7 === 0) {
        // Time passes to the next deadline: escalations, expiries and reviews fire.
        sim.session = advanceToNextDeadline(sim.session);
      } else if (choice % 11 === 0) {
        // The PMO gives a seat to someone new; the leaving participant's rows go with them.
        const move = reassignment(sim, choice, `newcomer-${handovers.seats + 1}`);
        if (sim.act(SIM_PMO, move, true).ok && move.type === 'reassign') {
          users.push(move.to);
          handovers.seats += 1;
        }
      } else if (post) {
        // Feedback or a lesson: an inbox item of its node's stewards until answered.
        sim.must(post.user, post.command);
      } else {
        const offers = [
          ...present.flatMap((u) =>
            nextActions(sim.state, template, u).map((a) => ({ user: u, pmo: false, a })),
          ),
          ...nextActions(sim.state, template, SIM_PMO, { pmo: true }).map((a) => ({
            user: SIM_PMO,
            pmo: true,
            a,
          })),
        ];
        // Cancelling ends a walk at once: taken only now and then.
        const usable = offers.filter((o) => o.a.action !== 'cancel' || choice % 23 === 0);
        if (usable.length === 0) break;
        const { user, pmo, a } = usable[choice % usable.length]!;
        const command = commandOf(template, a, choice);
        if (!command || waitsForWork(sim, a, command)) continue;
        sim.act(user, command, pmo);
      }
      await check();
    }
    handovers.feedback += sim.audits.filter((e) => e.action === 'feedback.handed-over').length;
    const open = sim.state.status === 'active' || sim.state.status === 'on_hold';
    if (open && (choices[0] ?? 0) % 2 === 0) {
      // Ended outside Gatehouse: its rows go with it.
      expect(await markTerminated(db, sim.state.id)).toBe(true);
    }
    if (!open || (choices[0] ?? 0) % 2 === 0) {
      const left = await db
        .selectFrom('open_actions')
        .select('user_id')
        .where('project_id', '=', sim.state.id)
        .execute();
      expect(left).toEqual([]);
    }
  }

  it('property: the rows are what the interpreter says, on the built-in template', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 50, maxLength: 50 }), (choices) =>
        walk(opsIntegratedDelivery, choices),
      ),
      // Besides the random walks, one known to hand feedback over on a reassign: about one
      // random walk in five does, so twelve alone missed it now and then.
      { numRuns: 12, examples: [[HANDS_FEEDBACK_OVER]] },
    );
    // Feedback answered along the way: open items in the stewards' rows, taken-on ones in the
    // owners'.
    expect(feedbackRows.open).toBeGreaterThan(0);
    expect(feedbackRows.acknowledged).toBeGreaterThan(0);
    expect(handovers.seats).toBeGreaterThan(0);
    expect(handovers.feedback).toBeGreaterThan(0);
  });

  it('property: the rows are what the interpreter says, in hypercare with issues', async () => {
    // Every severity answered in the same time: issues raised at one instant are due together,
    // and the order's tie-breaker puts the most severe first. Only critical ones block.
    const base = hypercareTemplate({ blockingSeverity: 1 });
    const template: Template = {
      ...base,
      nodes: base.nodes.map((n) =>
        n.type === 'hypercare'
          ? {
              ...n,
              issueSla: [1, 2, 3].map((severity) => ({
                severity,
                respond: 'PT1H',
                resolve: 'P1D',
              })),
            }
          : n,
      ),
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), (choices) =>
        walk(template, choices),
      ),
      // Besides the random walks, one known to raise issues of different severities at once.
      { numRuns: 8, examples: [[RAISES_AT_ONCE]] },
    );
    // Issues to take on and resolve, with their severities, some due together.
    expect(issueRows.all).toBeGreaterThan(0);
    expect(issueRows.tied).toBeGreaterThan(0);
  });

  it('property: the rows are what the interpreter says, on any valid template', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbValidTemplate(),
        fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
        (template, choices) => walk(template, choices),
      ),
      { numRuns: 20 },
    );
  });
});
