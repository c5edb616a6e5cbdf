/**
 * Properties of `validateTemplate`: it never throws on any input, its answer is consistent
 * (valid exactly when there is no error), every path it reports points into the input, and it
 * accepts every template `arbValidTemplate` generates while catching single structural breaks.
 */
import fc from 'fast-check';
import {
  RULE_ERROR_CODES,
  TemplateError,
  checkParticipants,
  seatParticipants,
  validateTemplate,
  type Template,
} from '../../workflows/model';
import { arbValidTemplate } from '../fixtures/arbitraries';

const RUNS = { numRuns: 300 };
const ruleCodes = new Set<string>(RULE_ERROR_CODES);

/** The value at `path` through own properties only, or undefined. */
function at(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function nodeIds(input: unknown): Set<unknown> {
  const nodes = at(input, ['nodes']);
  return new Set(Array.isArray(nodes) ? nodes.map((node) => at(node, ['id'])) : []);
}

/** What must hold for any input whatsoever. */
function expectConsistent(input: unknown): void {
  const result = validateTemplate(input);
  expect(TemplateError.array().parse(result.errors)).toEqual(result.errors);
  if (result.valid) {
    expect(result.errors).toEqual([]);
    expect(result.template).toBeDefined();
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.template).toBeUndefined();
  }
  const ids = nodeIds(input);
  for (const error of result.errors) {
    // Shape errors may name a missing field, but always inside something that exists;
    // rule errors name a field that is there.
    const container = error.path.length === 0 ? input : at(input, error.path.slice(0, -1));
    if (error.path.length > 0) expect(typeof container).toBe('object');
    if (ruleCodes.has(error.code) && error.path.length > 0) {
      expect(at(input, error.path)).not.toBeUndefined();
    }
    if (error.nodeId !== undefined) expect(ids.has(error.nodeId)).toBe(true);
  }
}

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
});

/** Strings that hit the template's own vocabulary, so mutations reach the semantic rules. */
const nearMiss = fc.constantFrom(
  'node-0',
  'node-1',
  'completed',
  'killed',
  'role-0',
  'role-9',
  'metric-0',
  'go',
  'done',
  'recycle',
  'gate',
  'end',
  'PT0S',
  'P1D',
  '-P1D',
  '__proto__',
  'constructor',
);
const replacement = fc.oneof(fc.jsonValue(), nearMiss, fc.constantFrom(0, -1, 1e308, 2 ** 53));

type Mutation = { pick: number; op: 'replace' | 'delete' | 'duplicate' | 'proto'; value: unknown };

const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  pick: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'duplicate', 'proto'),
  value: replacement,
});

/** Every (container, key) slot in a JSON value, depth first. */
function slots(value: unknown, out: [object, string | number][] = []): [object, string | number][] {
  if (typeof value !== 'object' || value === null) return out;
  for (const key of Array.isArray(value) ? value.keys() : Object.keys(value)) {
    out.push([value, key]);
    slots((value as Record<string | number, unknown>)[key], out);
  }
  return out;
}

/** Sets an own, enumerable property, as JSON.parse does, even for a "__proto__" key. */
function put(container: object, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

function mutate(json: unknown, { pick, op, value }: Mutation): unknown {
  const all = slots(json);
  const slot = all[pick % Math.max(all.length, 1)];
  if (!slot) return value;
  const [container, key] = slot;
  const record = container as Record<string | number, unknown>;
  if (op === 'replace') put(container, key, value);
  if (op === 'delete' && Array.isArray(container)) container.splice(Number(key), 1);
  if (op === 'delete' && !Array.isArray(container)) delete record[key];
  if (op === 'duplicate' && Array.isArray(container)) container.push(structuredClone(record[key]));
  if (op === 'proto') put(container, '__proto__', value);
  return json;
}

const arbMutated = fc
  .tuple(arbValidTemplate(), fc.array(arbMutation, { minLength: 1, maxLength: 4 }))
  .map(([template, mutations]) =>
    mutations.reduce<unknown>((json, m) => mutate(json, m), JSON.parse(JSON.stringify(template))),
  );

describe('validateTemplate on arbitrary input', () => {
  it('never throws on anything and answers consistently', () => {
    fc.assert(
      fc.property(anything, (input) => expectConsistent(input)),
      RUNS,
    );
  });

  it('never throws on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => expectConsistent(input)),
      RUNS,
    );
  });

  it('never throws on mutated valid templates', () => {
    fc.assert(
      fc.property(arbMutated, (input) => expectConsistent(input)),
      { numRuns: 1000 },
    );
  });

  it('never throws on deep nesting or huge numbers where the template expects scalars', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    for (const input of [deep, { nodes: deep }, { roles: [{ key: 'a', name: deep }] }]) {
      expectConsistent(input);
    }
    // JSON.parse reads out-of-range numbers as ±Infinity.
    const huge = JSON.parse('[1e309, -1e309, 1e-400, 9007199254740993]') as number[];
    for (const min of huge) {
      expectConsistent({ nodes: [{ type: 'gate', signoff: { rules: [{ role: 'a', min }] } }] });
    }
    expectConsistent(JSON.parse('{"roles":[{"key":"a","name":"A"}],"metrics":[{"target":1e309}]}'));
  });
});

describe('arbValidTemplate', () => {
  it('generates only templates validateTemplate accepts', () => {
    fc.assert(
      fc.property(arbValidTemplate(), (template) => {
        expect(validateTemplate(template).errors).toEqual([]);
      }),
      RUNS,
    );
  });

  it('honours its duration pool', () => {
    const durations = ['PT1S', 'PT2S'];
    fc.assert(
      fc.property(arbValidTemplate({ durations, maxSpine: 3 }), (template) => {
        const json = JSON.stringify(template);
        const used = json.match(/"P[^"]*"/g) ?? [];
        expect(used.every((d) => ['"PT0S"', '"PT1S"', '"PT2S"'].includes(d))).toBe(true);
        expect(template.nodes.filter((n) => n.id.startsWith('node-')).length).toBeLessThanOrEqual(
          3,
        );
      }),
      RUNS,
    );
  });

  it('comes with participants that satisfy every quorum', () => {
    fc.assert(
      fc.property(arbValidTemplate(), (template) => {
        expect(checkParticipants(template, seatParticipants(template))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('survives a JSON round trip unchanged in validity', () => {
    fc.assert(
      fc.property(arbValidTemplate(), (template) => {
        expect(validateTemplate(JSON.parse(JSON.stringify(template))).valid).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('single structural breaks of valid templates', () => {
  const withIndex = (pick: (t: Template) => number) =>
    arbValidTemplate().chain((t) => fc.nat({ max: pick(t) - 1 }).map((i) => [t, i] as const));

  it('dropping any edge leaves its source without an edge for that outcome', () => {
    fc.assert(
      fc.property(
        withIndex((t) => t.edges.length),
        ([template, i]) => {
          const edge = template.edges[i]!;
          const broken = { ...template, edges: template.edges.filter((_, k) => k !== i) };
          const { errors } = validateTemplate(broken);
          const source = template.nodes.findIndex((node) => node.id === edge.from);
          expect(errors).toContainEqual(
            expect.objectContaining({ code: 'missing_edge', path: ['nodes', source] }),
          );
        },
      ),
      RUNS,
    );
  });

  it('dropping any node is caught', () => {
    fc.assert(
      fc.property(
        withIndex((t) => t.nodes.length),
        ([template, i]) => {
          const broken = { ...template, nodes: template.nodes.filter((_, k) => k !== i) };
          expect(validateTemplate(broken).valid).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('a node nothing leads to is unreachable', () => {
    fc.assert(
      fc.property(arbValidTemplate(), (template) => {
        const orphan = {
          id: 'orphan',
          type: 'end' as const,
          name: 'Orphan',
          result: 'cancelled' as const,
        };
        const { errors } = validateTemplate({ ...template, nodes: [...template.nodes, orphan] });
        expect(errors).toEqual([
          expect.objectContaining({ code: 'unreachable', nodeId: 'orphan' }),
        ]);
      }),
      RUNS,
    );
  });
});
