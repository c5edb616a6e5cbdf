/**
 * Template validation beyond one rule at a time: how rules interact, that every error is
 * returned at once, and shape errors (the Zod schema) with their exact paths and codes.
 */
import { TemplateError, validateTemplate, type Template } from '../../workflows/model';
import { brief, errorsOf, nodeOf, validBase, type Brief } from '../fixtures/base-template';

describe('interplay of rules', () => {
  it('reports an edge into an unknown node, not also a missing edge', () => {
    expect(errorsOf((t) => (t.edges[7]!.to = 'ghost'))).toEqual([
      { code: 'unknown_node', path: ['edges', 7, 'to'], nodeId: 'tell' },
      { code: 'unreachable', path: ['nodes', 6], nodeId: 'done' },
      ...[2, 3, 4, 5].map((i) => ({
        code: 'no_end',
        path: ['nodes', i],
        nodeId: ['care', 'pir', 'watch', 'tell'][i - 2],
      })),
    ]);
  });

  it('does not follow a duplicate edge: only the first edge per outcome counts', () => {
    const errors = errorsOf((t) => {
      t.nodes.push({ id: 'side', type: 'notify', name: 'Side', to: ['pm'], message: 'Hi' });
      t.edges.push(
        { from: 'plan', to: 'side', on: 'done' },
        { from: 'side', to: 'done', on: 'done' },
      );
    });
    expect(errors).toEqual([
      { code: 'duplicate_edge', path: ['edges', 8], nodeId: 'plan' },
      { code: 'unreachable', path: ['nodes', 8], nodeId: 'side' },
    ]);
  });

  it('names every gate, PIR and exit when no role is an operations role', () => {
    expect(errorsOf((t) => delete t.roles[1]!.operations)).toEqual([
      { code: 'no_operations_role', path: ['nodes', 1, 'signoff', 'rules'], nodeId: 'approve' },
      { code: 'no_operations_role', path: ['nodes', 2, 'exit', 'rules'], nodeId: 'care' },
      { code: 'no_operations_role', path: ['nodes', 3, 'signoff', 'rules'], nodeId: 'pir' },
    ]);
  });

  it('reports end_has_edges rather than outcome_not_produced for an end', () => {
    expect(errorsOf((t) => t.edges.push({ from: 'killed', to: 'plan', on: 'go' }))).toEqual([
      { code: 'end_has_edges', path: ['edges', 8], nodeId: 'killed' },
    ]);
  });

  it('returns every error when several rules are broken at once', () => {
    const errors = errorsOf((t) => {
      t.roles.push({ key: 'ops', name: 'Ops again' });
      nodeOf(t, 'plan', 'stage').owner = 'ghost';
      nodeOf(t, 'pir', 'review').metrics = ['revenue'];
      nodeOf(t, 'pir', 'review').signoff.rules = [{ role: 'steering', min: 1 }];
      t.edges.push({ from: 'done', to: 'plan', on: 'done' });
      t.edges.push({ from: 'plan', to: 'missing', on: 'done' });
      t.nodes.push({ id: 'orphan', type: 'notify', name: 'Orphan', to: ['pm'], message: 'Hi' });
    });
    expect(errors).toEqual([
      { code: 'duplicate_id', path: ['roles', 3, 'key'] },
      { code: 'unknown_role', path: ['nodes', 0, 'owner'], nodeId: 'plan' },
      { code: 'unknown_metric', path: ['nodes', 3, 'metrics', 0], nodeId: 'pir' },
      { code: 'no_operations_role', path: ['nodes', 3, 'signoff', 'rules'], nodeId: 'pir' },
      { code: 'end_has_edges', path: ['edges', 8], nodeId: 'done' },
      { code: 'unknown_node', path: ['edges', 9, 'to'], nodeId: 'plan' },
      { code: 'duplicate_edge', path: ['edges', 9], nodeId: 'plan' },
      { code: 'missing_edge', path: ['nodes', 8], nodeId: 'orphan' },
      { code: 'unreachable', path: ['nodes', 8], nodeId: 'orphan' },
      { code: 'no_end', path: ['nodes', 8], nodeId: 'orphan' },
    ]);
  });
});

describe('shape errors', () => {
  it.each<[string, (t: Template) => void, Brief[]]>([
    [
      'zero hypercare duration',
      (t) => {
        nodeOf(t, 'care', 'hypercare').duration = 'PT0S';
      },
      [{ code: 'invalid_duration', path: ['nodes', 2, 'duration'], nodeId: 'care' }],
    ],
    [
      'negative SLA due',
      (t) => {
        nodeOf(t, 'plan', 'stage').sla!.due = '-P1D';
      },
      [{ code: 'invalid_duration', path: ['nodes', 0, 'sla', 'due'], nodeId: 'plan' }],
    ],
    [
      'zero reminder',
      (t) => {
        nodeOf(t, 'plan', 'stage').sla!.remind = ['P1D', 'P0D'];
      },
      [{ code: 'invalid_duration', path: ['nodes', 0, 'sla', 'remind', 1], nodeId: 'plan' }],
    ],
    [
      'malformed escalation offset',
      (t) => {
        nodeOf(t, 'care', 'hypercare').escalation[0]!.after = '3 days';
      },
      [{ code: 'invalid_duration', path: ['nodes', 2, 'escalation', 0, 'after'], nodeId: 'care' }],
    ],
    [
      'zero monitor period',
      (t) => {
        nodeOf(t, 'watch', 'monitor').every = 'P0M';
      },
      [{ code: 'invalid_duration', path: ['nodes', 4, 'every'], nodeId: 'watch' }],
    ],
    [
      'unknown node type',
      (t) => {
        Object.assign(t.nodes[5]!, { type: 'email' });
      },
      [{ code: 'invalid_value', path: ['nodes', 5, 'type'], nodeId: 'tell' }],
    ],
    [
      'missing node name',
      (t) => {
        Object.assign(t.nodes[0]!, { name: undefined });
      },
      [{ code: 'missing', path: ['nodes', 0, 'name'], nodeId: 'plan' }],
    ],
    [
      'a node id that is not a slug',
      (t) => {
        t.nodes[0]!.id = 'Plan!';
      },
      [{ code: 'invalid_format', path: ['nodes', 0, 'id'], nodeId: 'Plan!' }],
    ],
    [
      'a quorum of zero',
      (t) => {
        nodeOf(t, 'approve', 'gate').signoff.rules[0]!.min = 0;
      },
      [{ code: 'too_small', path: ['nodes', 1, 'signoff', 'rules', 0, 'min'], nodeId: 'approve' }],
    ],
    [
      'a pass score above 1',
      (t) => {
        nodeOf(t, 'approve', 'gate').passScore = 2;
      },
      [{ code: 'too_big', path: ['nodes', 1, 'passScore'], nodeId: 'approve' }],
    ],
    [
      'an unknown schema',
      (t) => {
        Object.assign(t, { schema: 'gatehouse/template@2' });
      },
      [{ code: 'invalid_value', path: ['schema'] }],
    ],
    [
      'a string where a number belongs',
      (t) => {
        Object.assign(t.metrics![0]!, { target: '80' });
      },
      [{ code: 'invalid_type', path: ['metrics', 0, 'target'] }],
    ],
    [
      'an empty role list',
      (t) => {
        t.roles = [];
      },
      [{ code: 'too_small', path: ['roles'] }],
    ],
    [
      'a layout position without y',
      (t) => {
        t.layout = { plan: { x: 1 } as { x: number; y: number } };
      },
      [{ code: 'missing', path: ['layout', 'plan', 'y'] }],
    ],
  ])('%s', (_, mutate, expected) => {
    expect(errorsOf(mutate)).toEqual(expected);
  });

  it.each([null, [], 'template', 42, true])('rejects %p at the root', (input) => {
    const result = validateTemplate(input);
    expect(result.valid).toBe(false);
    expect(brief(result.errors)).toEqual([{ path: [], code: 'invalid_type' }]);
  });

  it('reports shape errors only: rules need a well-shaped template', () => {
    expect(
      errorsOf((t) => {
        t.start = 'ghost';
        nodeOf(t, 'care', 'hypercare').duration = 'PT0S';
      }),
    ).toEqual([{ code: 'invalid_duration', path: ['nodes', 2, 'duration'], nodeId: 'care' }]);
  });

  it('reports every shape error with a readable message', () => {
    const result = validateTemplate({ schema: 'gatehouse/template@1', nodes: [{ id: 'a' }] });
    expect(brief(result.errors)).toEqual([
      { code: 'missing', path: ['key'] },
      { code: 'missing', path: ['name'] },
      { code: 'missing', path: ['roles'] },
      { code: 'missing', path: ['start'] },
      { code: 'missing', path: ['nodes', 0, 'type'], nodeId: 'a' },
      { code: 'missing', path: ['edges'] },
    ]);
    expect(result.errors[0]!.message).toBe('required (string)');
    expect(TemplateError.array().parse(result.errors)).toEqual(result.errors);
  });

  it('says what is missing from an empty template, at the same paths and codes', () => {
    const empty = { ...validBase(), start: '', nodes: [], edges: [], roles: [] };
    expect(validateTemplate(empty).errors).toEqual([
      { code: 'too_small', path: ['roles'], message: 'a template needs at least one role' },
      // Empty: missing, not a misspelled slug (the code stays that of a bad slug).
      { code: 'invalid_format', path: ['start'], message: 'required' },
      { code: 'too_small', path: ['nodes'], message: 'a template needs at least one node' },
    ]);
    const misspelled = validateTemplate({ ...validBase(), start: 'Plan!' }).errors;
    expect(misspelled.map((e) => e.message)).toEqual([
      'a slug: lower-case letters, digits and single hyphens',
    ]);
  });

  it.each<[string, (t: Template) => void, string]>([
    ['a sign-off without rules', (t) => (nodeOf(t, 'approve', 'gate').signoff.rules = []), 'rule'],
    ['a gate without decisions', (t) => (nodeOf(t, 'approve', 'gate').decisions = []), 'decision'],
    ['a monitor without reviewers', (t) => (nodeOf(t, 'watch', 'monitor').reviewers = []), 'role'],
    ['a notification to nobody', (t) => (nodeOf(t, 'tell', 'notify').to = []), 'role'],
    ['a quorum of zero', (t) => (nodeOf(t, 'approve', 'gate').signoff.rules[0]!.min = 0), 'signer'],
  ])('names what %s lacks, not a Zod limit', (_, mutate, lacks) => {
    const t = validBase();
    mutate(t);
    const [error, ...rest] = validateTemplate(t).errors;
    expect(rest).toEqual([]);
    expect(error!.code).toBe('too_small');
    expect(error!.message).toContain(lacks);
    expect(error!.message).not.toMatch(/too small|>=/i);
  });

  it('ignores a __proto__ key without being polluted by it', () => {
    const json = JSON.stringify(validBase()).replace('{', '{"__proto__":{"polluted":true},');
    const result = validateTemplate(JSON.parse(json));
    expect(result.valid).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
