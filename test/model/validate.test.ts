/**
 * Static template validation (SPEC §2): every rule, its code and the exact path it reports.
 * Each invalid template is the valid base fixture with one change.
 */
import { BUILTIN_TEMPLATES, validateTemplate, type Template } from '../../workflows/model';
import { errorsOf, nodeOf, validBase, type Brief } from '../fixtures/base-template';

describe('valid templates', () => {
  it('accepts the base fixture and returns the parsed template', () => {
    const result = validateTemplate(validBase());
    expect(result).toEqual({ valid: true, errors: [], template: validBase() });
  });

  it.each(BUILTIN_TEMPLATES.map((t) => [t.key, t] as const))('accepts built-in %s', (_, t) => {
    expect(validateTemplate(t)).toMatchObject({ valid: true, errors: [] });
  });

  it.each<[string, (t: Template) => void]>([
    [
      'hold allowed without an edge',
      (t) => {
        nodeOf(t, 'approve', 'gate').decisions = ['go', 'recycle', 'hold', 'kill'];
      },
    ],
    [
      'a gate without operations when it opts out',
      (t) => {
        const gate = nodeOf(t, 'approve', 'gate');
        gate.signoff.rules = [{ role: 'pm', min: 1 }];
        gate.opsOptional = true;
      },
    ],
    [
      'fewer decisions, fewer edges',
      (t) => {
        nodeOf(t, 'approve', 'gate').decisions = ['go', 'kill'];
        t.edges.splice(2, 1);
      },
    ],
    [
      'a zero escalation offset',
      (t) => {
        nodeOf(t, 'plan', 'stage').sla!.escalate![0]!.after = 'PT0S';
      },
    ],
    [
      'a layout for some nodes only',
      (t) => {
        t.layout = { plan: { x: 0, y: 0 } };
      },
    ],
  ])('accepts %s', (_, mutate) => {
    expect(errorsOf(mutate)).toEqual([]);
  });
});

describe('one broken rule, one exact error', () => {
  it.each<[string, (t: Template) => void, Brief[]]>([
    [
      'duplicate node id',
      (t) => {
        t.nodes.push({ ...nodeOf(t, 'tell', 'notify') });
      },
      [{ code: 'duplicate_id', path: ['nodes', 8, 'id'] }],
    ],
    [
      'duplicate role key',
      (t) => {
        t.roles.push({ key: 'pm', name: 'Another PM' });
      },
      [{ code: 'duplicate_id', path: ['roles', 3, 'key'] }],
    ],
    [
      'duplicate metric key',
      (t) => {
        t.metrics!.push({ key: 'adoption', name: 'Again', target: 1, direction: 'increase' });
      },
      [{ code: 'duplicate_id', path: ['metrics', 1, 'key'] }],
    ],
    [
      'duplicate deliverable id',
      (t) => {
        nodeOf(t, 'plan', 'stage').deliverables.push({ id: 'doc', name: 'Again', required: false });
      },
      [{ code: 'duplicate_id', path: ['nodes', 0, 'deliverables', 1, 'id'], nodeId: 'plan' }],
    ],
    [
      'duplicate criterion id',
      (t) => {
        nodeOf(t, 'approve', 'gate').criteria!.push({ id: 'c1', text: 'Again', kind: 'must' });
      },
      [{ code: 'duplicate_id', path: ['nodes', 1, 'criteria', 2, 'id'], nodeId: 'approve' }],
    ],
    [
      'two rules for one role',
      (t) => {
        nodeOf(t, 'approve', 'gate').signoff.rules.push({ role: 'pm', min: 2 });
      },
      [
        {
          code: 'duplicate_rule',
          path: ['nodes', 1, 'signoff', 'rules', 2, 'role'],
          nodeId: 'approve',
        },
      ],
    ],
    [
      'unknown start',
      (t) => {
        t.start = 'nowhere';
      },
      [{ code: 'unknown_start', path: ['start'] }],
    ],
    [
      'unknown edge source',
      (t) => {
        t.edges.push({ from: 'ghost', to: 'done', on: 'done' });
      },
      [{ code: 'unknown_node', path: ['edges', 8, 'from'] }],
    ],
    [
      'unknown edge target (its old target becomes unreachable)',
      (t) => {
        t.edges[3]!.to = 'ghost';
      },
      [
        { code: 'unknown_node', path: ['edges', 3, 'to'], nodeId: 'approve' },
        { code: 'unreachable', path: ['nodes', 7], nodeId: 'killed' },
      ],
    ],
    [
      'unknown owner',
      (t) => {
        nodeOf(t, 'plan', 'stage').owner = 'ghost';
      },
      [{ code: 'unknown_role', path: ['nodes', 0, 'owner'], nodeId: 'plan' }],
    ],
    [
      'unknown signoff role',
      (t) => {
        nodeOf(t, 'approve', 'gate').signoff.rules[0]!.role = 'ghost';
      },
      [
        {
          code: 'unknown_role',
          path: ['nodes', 1, 'signoff', 'rules', 0, 'role'],
          nodeId: 'approve',
        },
      ],
    ],
    [
      'unknown SLA escalation role',
      (t) => {
        nodeOf(t, 'plan', 'stage').sla!.escalate![0]!.notify = ['steering', 'ghost'];
      },
      [
        {
          code: 'unknown_role',
          path: ['nodes', 0, 'sla', 'escalate', 0, 'notify', 1],
          nodeId: 'plan',
        },
      ],
    ],
    [
      'unknown hypercare escalation role',
      (t) => {
        nodeOf(t, 'care', 'hypercare').escalation[0]!.notify[1] = 'ghost';
      },
      [{ code: 'unknown_role', path: ['nodes', 2, 'escalation', 0, 'notify', 1], nodeId: 'care' }],
    ],
    [
      'unknown monitor reviewer',
      (t) => {
        nodeOf(t, 'watch', 'monitor').reviewers = ['ghost'];
      },
      [{ code: 'unknown_role', path: ['nodes', 4, 'reviewers', 0], nodeId: 'watch' }],
    ],
    [
      'unknown monitor escalation role',
      (t) => {
        nodeOf(t, 'watch', 'monitor').escalate = ['ops', 'ghost'];
      },
      [{ code: 'unknown_role', path: ['nodes', 4, 'escalate', 1], nodeId: 'watch' }],
    ],
    [
      'unknown notify recipient',
      (t) => {
        nodeOf(t, 'tell', 'notify').to = ['ghost'];
      },
      [{ code: 'unknown_role', path: ['nodes', 5, 'to', 0], nodeId: 'tell' }],
    ],
    [
      'unknown PIR metric',
      (t) => {
        nodeOf(t, 'pir', 'review').metrics = ['adoption', 'revenue'];
      },
      [{ code: 'unknown_metric', path: ['nodes', 3, 'metrics', 1], nodeId: 'pir' }],
    ],
    [
      'an outcome the node type never produces',
      (t) => {
        t.edges.push({ from: 'plan', to: 'done', on: 'go' });
      },
      [{ code: 'outcome_not_produced', path: ['edges', 8, 'on'], nodeId: 'plan' }],
    ],
    [
      'a decision the gate does not allow',
      (t) => {
        nodeOf(t, 'approve', 'gate').decisions = ['go', 'kill'];
      },
      [{ code: 'outcome_not_produced', path: ['edges', 2, 'on'], nodeId: 'approve' }],
    ],
    [
      'an edge on hold, which reopens the gate instead',
      (t) => {
        t.edges.push({ from: 'approve', to: 'approve', on: 'hold' });
      },
      [{ code: 'hold_edge', path: ['edges', 8, 'on'], nodeId: 'approve' }],
    ],
    [
      'a missing edge for an outcome',
      (t) => {
        t.edges.splice(3, 1);
        t.nodes.splice(7, 1);
      },
      [{ code: 'missing_edge', path: ['nodes', 1], nodeId: 'approve' }],
    ],
    [
      'a second edge for one outcome',
      (t) => {
        t.edges.push({ from: 'plan', to: 'killed', on: 'done' });
      },
      [{ code: 'duplicate_edge', path: ['edges', 8], nodeId: 'plan' }],
    ],
    [
      'an edge leaving an end',
      (t) => {
        t.edges.push({ from: 'done', to: 'plan', on: 'done' });
      },
      [{ code: 'end_has_edges', path: ['edges', 8], nodeId: 'done' }],
    ],
    [
      'a node nothing leads to',
      (t) => {
        t.nodes.push({ id: 'orphan', type: 'notify', name: 'Orphan', to: ['pm'], message: 'Hi' });
        t.edges.push({ from: 'orphan', to: 'done', on: 'done' });
      },
      [{ code: 'unreachable', path: ['nodes', 8], nodeId: 'orphan' }],
    ],
    [
      'a node that leads to no end',
      (t) => {
        t.nodes.push({ id: 'limbo', type: 'stage', name: 'Limbo', deliverables: [] });
        t.edges.push({ from: 'limbo', to: 'limbo', on: 'done' });
        t.edges[2]!.to = 'limbo';
      },
      [{ code: 'no_end', path: ['nodes', 8], nodeId: 'limbo' }],
    ],
    [
      'a gate without operations',
      (t) => {
        nodeOf(t, 'approve', 'gate').signoff.rules = [{ role: 'pm', min: 1 }];
      },
      [{ code: 'no_operations_role', path: ['nodes', 1, 'signoff', 'rules'], nodeId: 'approve' }],
    ],
    [
      'a PIR without operations',
      (t) => {
        nodeOf(t, 'pir', 'review').signoff.rules = [{ role: 'steering', min: 1 }];
      },
      [{ code: 'no_operations_role', path: ['nodes', 3, 'signoff', 'rules'], nodeId: 'pir' }],
    ],
    [
      'a hypercare exit without operations',
      (t) => {
        nodeOf(t, 'care', 'hypercare').exit.rules = [{ role: 'pm', min: 1 }];
      },
      [{ code: 'no_operations_role', path: ['nodes', 2, 'exit', 'rules'], nodeId: 'care' }],
    ],
  ])('%s', (_, mutate, expected) => {
    expect(errorsOf(mutate)).toEqual(expected);
  });
});
