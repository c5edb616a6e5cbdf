/**
 * What the bad-input properties send: a valid example per route (so a mutation has something
 * to break and a fault elsewhere is the only fault), and arbitraries for hostile bodies, path
 * segments, query strings and headers.
 */
import fc from 'fast-check';
import { routes, type RouteName, type RouteSpec } from '../../server/contract';
import { opsIntegratedDelivery as builtin } from '../../workflows/model';
import { fullMarks, nodeOf } from '../workflows/drive';
import { PARTICIPANTS } from './cast';

export const NAMES = Object.keys(routes) as RouteName[];
export const spec = (name: RouteName): RouteSpec => routes[name];

/** Routes that change nothing even when they accept a request: reads and validation. */
export const readOnly = (name: RouteName) =>
  spec(name).method === 'get' || name === 'validateTemplate';

const reason = { reason: 'Steering asked for it' };

/** A body each route with a body accepts (checked against the contract by the test). */
export const VALID_BODIES: Partial<Record<RouteName, Record<string, unknown>>> = {
  createUser: { name: 'New colleague', email: 'new@example.test', pmo: false },
  validateTemplate: builtin,
  saveDraft: { name: 'Work in progress', nodes: [] },
  startProject: {
    name: 'Fuzzed',
    template: builtin.key,
    version: 1,
    participants: Object.fromEntries(Object.entries(PARTICIPANTS).map(([r, u]) => [r, [u]])),
  },
  signoff: {
    decision: 'go',
    role: 'pm',
    comment: 'fine',
    criteria: fullMarks(nodeOf(builtin, 'inception')),
    conditions: [{ text: 'Rota agreed', due: 'P30D', owner: 'ops-lead' }],
    idempotencyKey: 'k-1',
  },
  submitDeliverable: { url: 'https://docs.example.test/map', text: 'v2', idempotencyKey: 'k-2' },
  completeStage: { idempotencyKey: 'k-3' },
  raiseIssue: { severity: 2, title: 'Slow export', idempotencyKey: 'k-4' },
  resolveIssue: { note: 'Fixed', idempotencyKey: 'k-5' },
  acknowledgeIssue: { note: 'On it', idempotencyKey: 'k-7' },
  respondToIssue: { text: 'Workaround: export as CSV', idempotencyKey: 'k-8' },
  extendHypercare: { ...reason, idempotencyKey: 'k-6' },
  recordKpi: { metric: 'adoption-rate', value: 42, at: '2030-01-01T00:00:00Z' },
  setMetrics: {
    metrics: { 'adoption-rate': { baseline: 10, target: 80 } },
    delivery: { targetDate: '2030-06-30', budget: 1000, currency: 'EUR' },
    idempotencyKey: 'k-10',
  },
  recordCost: {
    spent: 1250.5,
    currency: 'EUR',
    comment: 'Invoices to date',
    idempotencyKey: 'k-15',
  },
  agreeMetrics: { comment: 'Agreed with the service desk', idempotencyKey: 'k-11' },
  recordReadiness: {
    adkar: { 'frontline-users': 'ability' },
    training: { 'support-agents': { trained: 9, total: 10 } },
    supportModel: { inPlace: true },
    comment: 'Counted after the last session',
    idempotencyKey: 'k-12',
  },
  kpiReview: {
    values: { 'adoption-rate': 81 },
    decision: 'act',
    comment: 'Tickets high',
    actions: [{ text: 'FAQ for the top tickets', due: 'P14D', owner: 'support' }],
    idempotencyKey: 'k-9',
  },
  analyseImpact: { version: 1 },
  startMigration: { version: 1, projectIds: ['p-1'] },
  dryRunProject: { version: 1 },
  feedback: { kind: 'lesson', text: 'Invite the frontline early' },
  conditionMet: { note: 'Done' },
  recordReviewDecision: { text: 'Roll out to the second region', idempotencyKey: 'k-12' },
  recordReviewAction: {
    text: 'Refresher training',
    due: '2100-01-31',
    owner: 'support',
    assignee: PARTICIPANTS.support,
    idempotencyKey: 'k-13',
  },
  completeReviewAction: { note: 'Trained 14 of 14', idempotencyKey: 'k-14' },
  setFeedbackStatus: { status: 'acted_on', response: 'Rota moved', owner: PARTICIPANTS.pm },
  migrate: { version: 2 },
  reassign: { role: 'support', from: PARTICIPANTS.support, to: 'mx-petra', ...reason },
  createDelegation: {
    delegate: PARTICIPANTS.support,
    from: '2100-01-01T00:00:00Z',
    until: '2100-02-01T00:00:00Z',
  },
  resume: reason,
  retire: reason,
  cancel: reason,
  markRead: { all: true },
  updateUser: { name: 'Renamed', active: true, pmo: false, admin: false },
  createUserToken: { label: 'fuzz', expiresInDays: 30 },
  createMyToken: { label: 'fuzz', expiresInDays: 30 },
};

/** The body schema's verdict the way the server reaches it (JSON null counts as no body). */
export const bodyAccepted = (name: RouteName, body: unknown) =>
  spec(name).body?.safeParse(body ?? undefined).success ?? true;

/**
 * The status a refused body gets: 422 when it is well-formed but over a cap or holding text no
 * store can keep (every issue is one of those), else 400.
 */
export function bodyStatus(name: RouteName, body: unknown): 400 | 422 {
  const parsed = spec(name).body?.safeParse(body ?? undefined);
  if (!parsed || parsed.success) throw new Error(`${name}: the body is accepted`);
  const content = parsed.error.issues.every(
    (i) => i.code === 'too_big' || (i.code === 'custom' && i.params?.code === 'invalid_text'),
  );
  return content ? 422 : 400;
}

/** Any JSON value, strings over all of Unicode (lone surrogates included). */
export const anyJson = fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' });

/** A string too long for any field of the contract, kept under the body limit. */
const huge = fc.integer({ min: 4_001, max: 20_000 }).map((n) => 'ẞ'.repeat(n));

function nest(value: unknown, depth: number, asArray: boolean): unknown {
  let nested = value;
  for (let i = 0; i < depth; i++) nested = asArray ? [nested] : { body: nested };
  return nested;
}

/** A valid body broken in one of the ways clients break bodies. */
export function mutated(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const field = fc.constantFrom(...keys);
  return fc.oneof(
    // A member of the wrong type (or an absurd value of the right one).
    fc.tuple(field, fc.oneof(anyJson, huge)).map(([k, v]) => ({ ...valid, [k]: v })),
    // A member missing.
    field.map((k) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== k))),
    // Exotic extra members beside a broken one.
    fc
      .tuple(field, fc.string({ unit: 'binary' }), huge)
      .map(([k, name, text]) => ({ ...valid, [name]: text, [k]: [text] })),
    // Deep nesting around the body.
    fc
      .tuple(fc.integer({ min: 1, max: 3_000 }), fc.boolean())
      .map(([depth, asArray]) => nest(valid, depth, asArray)),
    // Not an object at all.
    fc.oneof(fc.constant([valid]), fc.string(), fc.double(), fc.boolean(), fc.constant(null)),
  );
}

/** Strings that no id, slug or version number of the contract should take in stride. */
export const weirdSegment = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 201, maxLength: 1_500 }),
  fc.constantFrom(
    ' ',
    'a b',
    'a/b',
    '\\',
    '%',
    '%25',
    '?x=1',
    '#frag',
    'null',
    '__proto__',
    'constructor',
    '-1',
    '0',
    '1.5',
    '1e309',
    'NaN',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '\u0000',
    '\u202eevil',
    'İstanbul',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
    '🧨',
  ),
);

/** Path segments sent as is: broken percent-encoding the router cannot decode. */
export const brokenEncoding = fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4%A', '%C0%AF', '%ED%A0%80');

/** A query string of known and unknown keys with hostile values (repeated keys included). */
export const queryString = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom('status', 'template', 'cursor', 'limit', 'unread'),
        fc.string({ maxLength: 10 }),
      ),
      fc.oneof(
        weirdSegment,
        fc.constantFrom('0', '201', '-5', '1e3', 'true', 'TRUE', 'active', 'gone', 'abc=='),
      ),
    ),
    { maxLength: 5 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`));

/** A header value: any byte HTTP allows in one (visible ASCII, Latin-1, space, tab). */
const headerValue = fc.oneof(
  fc.string({
    unit: fc
      .oneof(
        fc.integer({ min: 0x20, max: 0x7e }),
        fc.integer({ min: 0x80, max: 0xff }),
        fc.constant(9),
      )
      .map((c) => String.fromCharCode(c)),
    maxLength: 60,
  }),
  fc.string({ unit: 'grapheme-ascii', minLength: 1_000, maxLength: 4_000 }),
);

/** Authorization headers that name nobody. */
export const garbageAuthorization = fc.oneof(
  headerValue,
  headerValue.map((v) => `Bearer ${v}`),
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'bearer gh_',
    'Basic Zm9vOmJhcg==',
    'Bearer a.b.c',
    'Bearer gh_admin gh_admin',
    'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.',
  ),
);

/** Headers a confused or hostile client adds to an otherwise ordinary request. */
export const noiseHeaders = fc.record(
  {
    'last-event-id': fc.oneof(headerValue, fc.constantFrom('-1', '1e99', '99999999999999999999')),
    accept: fc.oneof(headerValue, fc.constant('text/event-stream')),
    'accept-language': headerValue,
    'x-forwarded-for': headerValue,
    'x-request-id': headerValue,
  },
  { requiredKeys: [] },
);

/** JSON that is not: what a body parser has to refuse. */
export const malformedJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '{nope}',
    "{'a':1}",
    '[1,2',
    'undefined',
    'NaN',
    '{"a":1}}',
    '\u0000',
  ),
  fc.string({ unit: 'binary', minLength: 1 }).filter((s) => {
    try {
      JSON.parse(s);
      return false;
    } catch {
      return true;
    }
  }),
);

/**
 * A valid body's JSON with its first text (or an extra one) broken by bytes UTF-8 does not
 * have: a surrogate encoded on its own, which a lenient decoder turns into U+FFFD.
 */
export function brokenUtf8(body: Record<string, unknown>): Buffer {
  const key = Object.keys(body).find((k) => typeof body[k] === 'string') ?? 'note';
  const [before = '', after = ''] = JSON.stringify({ ...body, [key]: 'x\u0001' }).split('\\u0001');
  return Buffer.concat([Buffer.from(before), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(after)]);
}

/** Content types the API does not read, for a body that is valid JSON. */
export const foreignContentType = fc.constantFrom(
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'json',
);
