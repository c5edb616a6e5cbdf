/** diffTemplates: added/removed/changed nodes and edges, with the changed field names. */
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import { diffCanvas, diffTemplates, isEmptyDiff, standsOf } from '../../designer/src/logic/diff';

const base = opsIntegratedDelivery;

/** A "version 2": pilot renamed with a longer SLA, a notify node added, the PIR removed. */
function edited(): Template {
  return {
    ...base,
    name: 'Ops delivery v2',
    nodes: [
      ...base.nodes
        .filter((n) => n.id !== 'pir')
        .map((n) =>
          n.id === 'pilot' && n.type === 'stage'
            ? { ...n, name: 'Pilot run', sla: { due: 'P8W' } }
            : n,
        ),
      { id: 'announce', type: 'notify', name: 'Announce', to: ['pm'], message: 'Live!' },
    ],
    edges: [
      ...base.edges.filter((e) => e.from !== 'pir' && e.from !== 'hypercare'),
      { from: 'hypercare', on: 'done', to: 'announce' },
      { from: 'announce', on: 'done', to: 'kpi-monitoring' },
    ],
    // Moving a node is not a content change.
    layout: { ...base.layout, pilot: { x: 1, y: 2 } },
  };
}

describe('diffTemplates', () => {
  it('finds nothing between equal templates, whatever the key order or positions', () => {
    const reverse = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reverse)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reverse(x)]),
            )
          : v;
    const shuffled = reverse(base) as Template;
    expect(Object.keys(shuffled)[0]).toBe('layout');
    const moved = { ...base, layout: { ...base.layout, pilot: { x: 5, y: 5 } } };
    expect(isEmptyDiff(diffTemplates(base, shuffled))).toBe(true);
    expect(isEmptyDiff(diffTemplates(base, moved))).toBe(true);
  });

  it('reports added, removed and changed nodes with the changed fields', () => {
    const diff = diffTemplates(base, edited());
    expect(diff.template).toEqual(['name']);
    expect(diff.nodes).toEqual([
      { id: 'pilot', status: 'changed', type: 'stage', name: 'Pilot run', fields: ['name', 'sla'] },
      {
        id: 'pir',
        status: 'removed',
        type: 'review',
        name: 'Post-implementation review',
        fields: [],
      },
      { id: 'announce', status: 'added', type: 'notify', name: 'Announce', fields: [] },
    ]);
  });

  it('reports edges by source and outcome: retargeted ones as changed', () => {
    const diff = diffTemplates(base, edited());
    expect(diff.edges).toEqual([
      {
        id: 'hypercare~done',
        status: 'changed',
        from: 'hypercare',
        on: 'done',
        before: 'pir',
        after: 'announce',
        fields: ['to'],
      },
      {
        id: 'pir~done',
        status: 'removed',
        from: 'pir',
        on: 'done',
        before: 'kpi-monitoring',
        fields: [],
      },
      {
        id: 'announce~done',
        status: 'added',
        from: 'announce',
        on: 'done',
        after: 'kpi-monitoring',
        fields: [],
      },
    ]);
  });

  it('merges both versions into one graph marked per status', () => {
    const next = edited();
    const { nodes, edges } = diffCanvas(base, next);
    const status = Object.fromEntries(nodes.map((n) => [n.id, n.data.diff]));
    expect(status).toMatchObject({
      pilot: 'changed',
      pir: 'removed',
      announce: 'added',
      handoff: 'same',
    });
    expect(nodes).toHaveLength(base.nodes.length + 1);
    expect(nodes.find((n) => n.id === 'pilot')!.position).toEqual({ x: 1, y: 2 });
    expect(nodes.find((n) => n.id === 'pilot')!.data.changed).toEqual(['name', 'sla']);
    const edgeStatus = Object.fromEntries(edges.map((e) => [e.id, e.data.diff]));
    expect(edgeStatus).toMatchObject({
      'hypercare~done': 'changed',
      'hypercare~done~before': 'removed',
      'pir~done~before': 'removed',
      'announce~done': 'added',
      'pilot~done': 'same',
    });
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });
});

it('moves a removed node out from under a node the newer version placed there', () => {
  const a = opsIntegratedDelivery;
  const b: Template = {
    ...a,
    nodes: a.nodes.map((n) => (n.id === 'pir' ? { ...n, id: 'pir-2' } : n)),
    edges: a.edges.map((e) => ({
      ...e,
      from: e.from === 'pir' ? 'pir-2' : e.from,
      to: e.to === 'pir' ? 'pir-2' : e.to,
    })),
    layout: { ...a.layout, 'pir-2': a.layout!.pir! },
  };
  const { nodes } = diffCanvas(a, b);
  const removed = nodes.find((n) => n.id === 'pir')!;
  const added = nodes.find((n) => n.id === 'pir-2')!;
  expect(removed.data.diff).toBe('removed');
  expect(removed.position.x).toBe(added.position.x);
  expect(removed.position.y).toBeGreaterThan(added.position.y + 100);
});

describe('standsOf', () => {
  const project = { now: ['hypercare', 'pilot'], would: ['handoff', 'pilot'] };
  it.each([
    ['hypercare', { stands: 'now' }],
    ['handoff', { stands: 'would' }],
    ['pilot', { stands: 'both' }],
    ['inception', {}],
  ])('marks %s', (id, expected) => {
    expect(standsOf(project, id)).toEqual(expected);
  });
});
