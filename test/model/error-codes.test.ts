/**
 * One casing for every error code we emit: snake_case, like Zod's own issue codes and the
 * SPEC's examples. Walks what validation really answers for a spread of bad templates and
 * participant sets, and every code the model declares (template errors, refusals).
 */
import fc from 'fast-check';
import {
  checkParticipants,
  RejectionCode,
  seatParticipants,
  TemplateErrorCode,
  validateTemplate,
  type Template,
} from '../../workflows/model';
import { validBase } from '../fixtures/base-template';
import { arbValidTemplate } from '../fixtures/arbitraries';

const SNAKE = /^[a-z]+(_[a-z]+)*$/;

/** Mutations that break one rule or one field each, to make validation say as much as it can. */
const BREAKS: ((t: Template) => void)[] = [
  (t) => (t.edges[7]!.to = 'ghost'),
  (t) => (t.start = 'nowhere'),
  (t) => t.nodes.push({ ...t.nodes[0]! }),
  (t) => t.edges.push({ ...t.edges[0]! }),
  (t) => delete t.roles[1]!.operations,
  (t) => ((t as { name: unknown }).name = 7),
  (t) => ((t as { name: unknown }).name = 'a\u0000b'),
  (t) => ((t as { name: unknown }).name = ''),
  (t) => ((t as { name: unknown }).name = 'x'.repeat(5000)),
  (t) => ((t.nodes[0] as { type: unknown }).type = 'teleport'),
  (t) => ((t as { key: unknown }).key = 'Not A Slug'),
  (t) => (t.edges = []),
  (t) => (t.roles = []),
  (t) => ((t as { nodes: unknown }).nodes = {}),
];

function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  const collect = (input: unknown) => {
    for (const error of validateTemplate(input).errors) codes.add(error.code);
  };
  for (const input of [null, 7, 'text', [], {}, { key: 'k' }]) collect(input);
  for (const mutate of BREAKS) {
    const template = validBase();
    mutate(template);
    collect(template);
    // The same template with no participants: every staffing rule speaks.
    if (validateTemplate(template).valid) {
      for (const e of checkParticipants(template, {})) codes.add(e.code);
    }
  }
  for (const e of checkParticipants(validBase(), {})) codes.add(e.code);
  for (const e of checkParticipants(validBase(), { nobody: ['u1'] })) codes.add(e.code);
  return codes;
}

describe('error codes are snake_case', () => {
  it('in what template validation and participant checks emit', () => {
    const codes = emittedCodes();
    // Enough of a spread that the walk means something.
    expect(codes.size).toBeGreaterThanOrEqual(10);
    expect([...codes].filter((c) => !SNAKE.test(c))).toEqual([]);
  });

  it('for random templates with a field broken or participants missing', () => {
    fc.assert(
      fc.property(arbValidTemplate(), fc.jsonValue(), fc.nat(), (template, junk, pick) => {
        const broken = structuredClone(template) as unknown as Record<string, unknown>;
        const keys = Object.keys(broken);
        broken[keys[pick % keys.length]!] = junk;
        const codes = [
          ...validateTemplate(broken).errors.map((e) => e.code),
          ...checkParticipants(template, {}).map((e) => e.code),
          ...checkParticipants(template, seatParticipants(template)).map((e) => e.code),
        ];
        expect(codes.filter((c) => !SNAKE.test(c))).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('in every code the model declares', () => {
    const declared = [...TemplateErrorCode.options, ...RejectionCode.options];
    expect(declared.filter((c) => !SNAKE.test(c))).toEqual([]);
  });
});
