/**
 * The statements a record write ran built afresh by Kysely on every call are reused queries
 * (db/reused-query.ts): its inbox rows (the recipients, whoever stands in for them, the insert)
 * and its open actions (a changed participant's rows replaced, a closed project's cleared). On
 * both databases, what each one hands to the database is what Kysely builds for the same values
 * (built below as the repositories built them), for several list lengths, with a second set of
 * values after the first; and what they store and find is what the built ones would.
 */
import type { CompiledQuery, Insertable, Kysely, Selectable } from 'kysely';
import {
  createDelegation,
  delegatesOf,
  getUsersByIds,
  insertInboxItems,
  insertUser,
  type Database,
} from '../../db';
import { clearOpenActions, openActionRows, writeOpenActions } from '../../db/open-actions';
import type { InboxItemsTable, OpenActionsTable } from '../../db/schema';
import { nextActions } from '../../workflows/lifecycle';
import { Simulator } from '../../workflows/lifecycle/simulation';
import { opsIntegratedDelivery, seatParticipants, type Notification } from '../../workflows/model';
import { eachDatabase, openMigrated } from '../support/databases';
import { expectSameQuery, queriesRun } from '../support/compiled-queries';

const PEOPLE = ['rw-a', 'rw-b', 'rw-c', 'rw-d'];
const T0 = 1_000_000;

const builtUsers = (db: Kysely<Database>, ids: string[]) =>
  db.selectFrom('users').selectAll().where('id', 'in', ids);

const builtStandIns = (db: Kysely<Database>, ids: string[], projectId: string, at: number) =>
  db
    .selectFrom('delegations')
    .select(['delegate_id', 'delegator_id'])
    .where('delegator_id', 'in', ids)
    .where((eb) =>
      eb.and([eb('revoked_at', 'is', null), eb('starts_at', '<=', at), eb('ends_at', '>', at)]),
    )
    .where((eb) => eb.or([eb('project_id', 'is', null), eb('project_id', '=', projectId)]))
    .orderBy('delegate_id', 'asc')
    .orderBy('delegator_id', 'asc');

const builtInbox = (db: Kysely<Database>, rows: Insertable<InboxItemsTable>[]) =>
  db
    .insertInto('inbox_items')
    .values(rows)
    .onConflict((oc) => oc.columns(['notification_key', 'user_id']).doNothing());

type ActionRow = Selectable<OpenActionsTable>;
const ACTION_COLUMNS = Object.keys(
  openActionRows(
    new Simulator(opsIntegratedDelivery, { participants: seatParticipants(opsIntegratedDelivery) })
      .state,
    opsIntegratedDelivery,
  )[0]!,
) as (keyof ActionRow)[];

describe.each(eachDatabase())('record write queries on $name', (factory) => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ db, close } = await openMigrated(factory));
    for (const id of PEOPLE) {
      await insertUser(db, { id, name: `Name ${id}`, email: `${id}@example.test`, createdAt: T0 });
    }
    // rw-b hands this project to rw-d while the notifications below are raised.
    await createDelegation(db, {
      delegatorId: 'rw-b',
      delegateId: 'rw-d',
      projectId: 'p-rw',
      startsAt: T0,
      endsAt: T0 + 1_000,
    });
  });
  afterAll(() => close());
  afterEach(() => jest.restoreAllMocks());

  /** Rows of `columns` from a multi-row insert's parameters, in order. */
  const rowsOf = <R>(query: CompiledQuery | undefined, columns: readonly string[]): R[] => {
    const values = query?.parameters ?? [];
    return Array.from({ length: values.length / columns.length }, (_, r) =>
      Object.fromEntries(columns.map((c, i) => [c, values[r * columns.length + i]])),
    ) as R[];
  };

  it.each([1, 2, 3])('looking %i users up is the built select and finds them', async (n) => {
    for (const ids of [PEOPLE.slice(0, n), ['nobody', ...PEOPLE].slice(-n)]) {
      const [query, ...more] = await queriesRun(db, async () => {
        expect((await getUsersByIds(db, ids)).map((u) => u.id)).toEqual(
          ids.filter((id) => id !== 'nobody'),
        );
      });
      expectSameQuery(query, builtUsers(db, ids).compile());
      expect(more).toEqual([]);
    }
  });

  it.each([1, 2, 3])('the stand-ins of %i recipients are the built select', async (n) => {
    for (const [projectId, at] of [
      ['p-rw', T0 + 10],
      ['p-other', T0 + 2_000],
    ] as const) {
      const ids = PEOPLE.slice(0, n);
      let copies: unknown;
      const [query] = await queriesRun(db, async () => {
        copies = await delegatesOf(db, ids, projectId, at);
      });
      expectSameQuery(query, builtStandIns(db, ids, projectId, at).compile());
      const found = projectId === 'p-rw' && n >= 2;
      expect(copies).toEqual(found ? [{ delegateId: 'rw-d', delegatorId: 'rw-b' }] : []);
    }
  });

  it('an inbox insert is the built one, delegates copied, once per recipient', async () => {
    const note = (key: string): Notification => ({
      key,
      projectId: 'p-rw',
      projectName: 'Project rw',
      kind: 'action-required',
      recipients: [],
      subject: 'Sign-off',
      text: 'Please sign off',
      at: T0 + 10,
    });
    const sends: [string, string[]][] = [
      ['n-1', ['rw-a']],
      ['n-2', ['rw-a', 'rw-b']],
      ['n-3', ['rw-a', 'rw-c']],
    ];
    for (const [key, users] of sends) {
      const at = { attempt: '1'.padStart(40, '0'), from: { seq: 1, note: 2 } };
      await db.transaction().execute(async (trx) => {
        const queries = await queriesRun(trx, () => insertInboxItems(trx, note(key), users, at));
        const insert = queries.find((q) => q.sql.startsWith('insert into "inbox_items"'));
        const rows = rowsOf<Insertable<InboxItemsTable>>(insert, INBOX_COLUMNS);
        expectSameQuery(insert, builtInbox(trx, rows).compile());
        expect(rows.map((r) => [r.user_id, r.for_user_id, r.note])).toEqual([
          ...users.map((u) => [u, null, 2]),
          ...(users.includes('rw-b') ? [['rw-d', 'rw-b', 2]] : []),
        ]);
        // Once: the same notification again inserts nothing.
        expect(await insertInboxItems(trx, note(key), users, at)).toBe(0);
      });
    }
  });

  it('a changed participant’s open actions are replaced by the built statements', async () => {
    const participants = seatParticipants(opsIntegratedDelivery);
    const sim = new Simulator(opsIntegratedDelivery, { participants, projectId: 'p-oa' });
    const source = async () => opsIntegratedDelivery;
    const stored = () =>
      db.selectFrom('open_actions').selectAll().where('project_id', '=', 'p-oa').execute();
    const replaced = { deletes: 0, inserts: 0 };
    const write = async () => {
      await db.transaction().execute(async (trx) => {
        const queries = await queriesRun(trx, () => writeOpenActions(trx, sim.state, source));
        const deletes = queries.filter((q) => q.sql.startsWith('delete'));
        replaced.deletes += deletes.length;
        for (const query of deletes) {
          const [projectId, ...users] = query.parameters as string[];
          expectSameQuery(
            query,
            trx
              .deleteFrom('open_actions')
              .where('project_id', '=', projectId!)
              .where('user_id', 'in', users)
              .compile(),
          );
        }
        const inserts = queries.filter((q) => q.sql.startsWith('insert'));
        replaced.inserts += inserts.length;
        for (const query of inserts) {
          const rows = rowsOf<ActionRow>(query, ACTION_COLUMNS);
          expectSameQuery(query, trx.insertInto('open_actions').values(rows).compile());
        }
      });
      const expected = openActionRows(sim.state, opsIntegratedDelivery);
      const sorted = (rows: ActionRow[]) =>
        rows.map((r) => JSON.stringify(r, ACTION_COLUMNS)).sort((a, b) => (a < b ? -1 : 1));
      expect(sorted(await stored())).toEqual(sorted(expected));
    };
    await write();
    // Deliverables submitted: some participants' lists change (rows deleted, then inserted).
    const users = [...new Set(Object.values(participants).flat())];
    for (let step = 0; step < 3; step++) {
      const [owner, next] = users
        .flatMap((u) =>
          nextActions(sim.state, opsIntegratedDelivery, u).map((a) => [u, a] as const),
        )
        .find(([, a]) => a.action === 'submit-deliverable' && a.pending)!;
      sim.must(owner, {
        type: 'deliverable',
        nodeId: next.nodeId!,
        deliverableId: next.itemId!,
        url: `https://docs.example.test/${step}`,
      });
      await write();
    }
    expect(replaced.deletes).toBeGreaterThan(0);
    expect(replaced.inserts).toBeGreaterThan(1);
    await db.transaction().execute(async (trx) => {
      const [query] = await queriesRun(trx, () => clearOpenActions(trx, 'p-oa'));
      expectSameQuery(
        query,
        trx.deleteFrom('open_actions').where('project_id', '=', 'p-oa').compile(),
      );
    });
    expect(await stored()).toEqual([]);
  });
});

const INBOX_COLUMNS = [
  'id',
  'user_id',
  'project_id',
  'node_id',
  'kind',
  'subject',
  'text',
  'notification_key',
  'created_at',
  'read_at',
  'for_user_id',
  'attempt',
  'note',
];
