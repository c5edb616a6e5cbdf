/**
 * The authorization matrix: every route of the contract × {anonymous, outsider, participant in
 * another role, the right signer, PMO, admin} gets exactly the expected status for an otherwise
 * valid request, and nothing leaks. A route added to the contract without a row fails here.
 *
 * "Nothing leaks", concretely:
 * - every refusal is a bare problem+json (no member beyond RFC 9457's and `code`, `errors`) that
 *   names no participant and not the project;
 * - refusals write nothing: the whole database and every workflow history are unchanged;
 * - anonymous callers get the same 401 for an existing and an unknown project, so they cannot
 *   probe ids; authenticated callers get the same 404 for an unknown project whoever they are;
 * - an outsider gets one and the same 403 from every project route (it tells "you are not in
 *   it", nothing of the project), and lists, inbox and notifications show them no project.
 *   Project ids are random UUIDs that outsiders are never shown, so 403 (SPEC §4: "403, 404")
 *   confirms only what a caller holding the link already knows, and tells a colleague with a
 *   link to ask for access rather than suspect a broken one.
 */
import { routes, type RouteName } from '../../server/contract';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { databaseFactory, type DatabaseFactory } from '../support/databases';
import { connectTestTemporal } from '../support/temporal';
import { CALLERS, MATRIX, pm, steering, type Caller } from './authz-matrix';
import {
  PARTICIPANTS,
  ProjectMaker,
  SECRET_NAME,
  createCast,
  type Cast,
  type ProjectRef,
  type ProjectState,
} from './cast';
import { problemFlaw, send, settle, snapshot, snapshotDiff, type Answer } from './probe';
import { startApiStack, type ApiStack } from './stack';

const NAMES = Object.keys(routes) as RouteName[];
const DEMO_USERS = [{ id: 'demo-pmo', name: 'Demo PMO', roles: ['pmo'], token: 'gh_demo' }];

/** The path of `name` with its parameters filled in. */
function pathOf(name: RouteName, params: Record<string, string>): string {
  return routes[name].path.replace(/:(\w+)/g, (_, p: string) => {
    if (params[p] === undefined) throw new Error(`${name}: no value for :${p}`);
    return encodeURIComponent(params[p]);
  });
}

/** The problem members that depend only on the refusal, not on where it was asked. */
const gist = (answer: Answer): object => ({
  status: answer.status,
  ...(answer.json as object),
  instance: undefined,
});

function describeMatrix(factory: DatabaseFactory, names: readonly RouteName[]) {
  let api: ApiStack;
  let cast: Cast;
  let maker: ProjectMaker;
  const shared: Partial<Record<ProjectState, ProjectRef>> = {};
  let settled: string;

  /** The user who plays `caller` on route `name`, or undefined for anonymous. */
  function userFor(name: RouteName, caller: Caller): string | undefined {
    const row = MATRIX[name];
    const access = routes[name].access;
    const byAccess = access === 'admin' ? cast.admin : access === 'pmo' ? cast.pmo : pm;
    return {
      anonymous: undefined,
      outsider: cast.outsider,
      otherRole: row.other ?? steering,
      signer: row.signer ?? byAccess,
      pmo: cast.pmo,
      admin: cast.admin,
    }[caller];
  }

  async function call(name: RouteName, caller: Caller, ref: ProjectRef | undefined) {
    const row = MATRIX[name];
    const user = userFor(name, caller);
    return send(api.baseUrl, {
      method: routes[name].method.toUpperCase(),
      path: pathOf(name, { ...(ref && { id: ref.id }), ...row.params?.(ref ?? { id: '' }, cast) }),
      ...(user !== undefined && { token: cast.tokens[user]! }),
      ...(row.body && { body: row.body() }),
    });
  }

  const expected = (name: RouteName, caller: Caller) =>
    MATRIX[name].expect[CALLERS.indexOf(caller)]!;
  const cells = (name: RouteName, refused: boolean) =>
    CALLERS.filter((caller) => expected(name, caller) >= 400 === refused);

  beforeAll(async () => {
    api = await startApiStack(factory, { demoUsers: DEMO_USERS });
    cast = await createCast(api);
    maker = new ProjectMaker(api, cast);
    const root = cast.tokens[cast.root]!;
    // Version 2 of the built-in (to migrate to; its draft stays for getDraft) and a copy to publish.
    for (const [draftKey, template] of [
      [builtin.key, builtin],
      ['matrix-copy', { ...builtin, key: 'matrix-copy' }],
    ] as const) {
      const path = `/api/templates/${draftKey}/draft`;
      expect((await api.call('PUT', path, { token: root, body: template })).status).toBe(200);
    }
    expect(
      (await api.call('POST', `/api/templates/${builtin.key}/publish`, { token: root })).status,
    ).toBe(201);
    for (const name of names) {
      const state = MATRIX[name].state;
      if (state) shared[state] ??= await maker.make(state);
    }
    settled = await settle(api.db, (await connectTestTemporal()).client);
  });
  afterAll(async () => api?.stop());

  it.each(names)('%s refuses exactly whom it must, and says nothing more', async (name) => {
    const row = MATRIX[name];
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    for (const caller of cells(name, true)) {
      const answer = await call(name, caller, row.state && shared[row.state]);
      seen[caller] = answer.status;
      want[caller] = expected(name, caller);
      expect([caller, problemFlaw(answer)]).toEqual([caller, undefined]);
      if (answer.status === 401) expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      for (const secret of [SECRET_NAME, ...Object.values(PARTICIPANTS)]) {
        expect([caller, answer.text]).not.toEqual([caller, expect.stringContaining(secret)]);
      }
    }
    expect(seen).toEqual(want);
  });

  it('wrote nothing while refusing', async () => {
    const after = await snapshot(api.db, (await connectTestTemporal()).client);
    expect(snapshotDiff(settled, after)).toEqual([]);
  });

  it('tells everyone the same about an unknown project, and outsiders the same everywhere', async () => {
    const unknown = {
      id: 'mx-no-such-project',
      issueId: 'issue-1',
      conditionId: 'c-1',
      feedbackId: 'feedback-1',
      actionId: 'pir-1-a1',
    };
    for (const name of names.filter((n) => routes[n].path.startsWith('/api/projects/:id'))) {
      const ref = shared[MATRIX[name].state!]!;
      // Anonymous: one 401, whether the project exists or not.
      const [anonymousKnown, anonymousUnknown] = [
        await call(name, 'anonymous', ref),
        await call(name, 'anonymous', unknown),
      ];
      expect(gist(anonymousUnknown)).toEqual(gist(anonymousKnown));
      // Everyone past the route's role check: one 404 body; the others: their 403 as before.
      const bodies = new Set<string>();
      for (const caller of CALLERS.filter((c) => c !== 'anonymous')) {
        const answer = await call(name, caller, unknown);
        const roleRefused = routes[name].access === 'pmo' && expected(name, caller) === 403;
        expect([name, caller, answer.status]).toEqual([name, caller, roleRefused ? 403 : 404]);
        if (!roleRefused) bodies.add(JSON.stringify(answer.json));
      }
      expect(bodies.size).toBe(1);
    }
    const outsiderRefusals = new Set<string>();
    for (const name of names.filter((n) => routes[n].access === 'project')) {
      const answer = await call(name, 'outsider', shared[MATRIX[name].state!]);
      outsiderRefusals.add(JSON.stringify(gist(answer)));
    }
    expect([...outsiderRefusals].map((s) => JSON.parse(s) as unknown)).toEqual([
      expect.objectContaining({ status: 403, code: 'forbidden' }),
    ]);
  });

  it('lists a project only to those who may open it', async () => {
    const ids = (answer: Answer) => (answer.json.items as { id: string }[]).map((p) => p.id);
    const list = (user: string, path = '/api/projects') =>
      send(api.baseUrl, { method: 'GET', path, token: cast.tokens[user]! });
    const mine = Object.values(shared).map((ref) => ref.id);
    expect(ids(await list(cast.outsider))).toEqual([]);
    expect(ids(await list(steering))).toEqual(expect.arrayContaining(mine));
    expect(ids(await list(cast.pmo))).toEqual(expect.arrayContaining(mine));
    expect((await list(cast.outsider, '/api/inbox')).json.items).toEqual([]);
    expect((await list(cast.outsider, '/api/inbox/notifications')).json.items).toEqual([]);
  });

  it.each(names)('%s serves exactly whom it must', async (name) => {
    const row = MATRIX[name];
    const seen: Record<string, number> = {};
    const want: Record<string, number> = {};
    const callers = cells(name, false);
    // Made side by side: driving a project to hypercare or monitoring takes ~30 actions.
    const refs = await Promise.all(
      callers.map(async () => (row.state && row.consumes ? maker.make(row.state) : undefined)),
    );
    for (const [i, caller] of callers.entries()) {
      const answer = await call(name, caller, refs[i] ?? (row.state && shared[row.state]));
      seen[caller] = answer.status;
      want[caller] = expected(name, caller);
    }
    expect(seen).toEqual(want);
  });
}

it('has a matrix row for every route of the contract, and no other', () => {
  expect(Object.keys(MATRIX).sort()).toEqual([...NAMES].sort());
});

describe('on SQLite', () => describeMatrix(databaseFactory('sqlite'), NAMES));
// The same code path on PostgreSQL, without the rows whose projects take long to prepare.
describe('on PostgreSQL', () =>
  describeMatrix(
    databaseFactory('postgres'),
    NAMES.filter((n) => [undefined, 'gate', 'onHold'].includes(MATRIX[n].state)),
  ));
