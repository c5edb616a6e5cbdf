/** Canvas ⇄ template conversion: the designer must never lose or reorder anything. */
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import {
  edgeIdsOf,
  fromCanvas,
  hasFullLayout,
  metaOf,
  toCanvas,
} from '../../designer/src/logic/canvas';
import { canonical } from '../../designer/src/logic/diff';

const roundTrip = (template: Template) => {
  const { nodes, edges } = toCanvas(template);
  return fromCanvas(metaOf(template), nodes, edges);
};

describe('canvas ⇄ template', () => {
  it('round-trips the built-in template exactly, layout included', () => {
    const back = roundTrip(opsIntegratedDelivery);
    expect(back).toEqual(opsIntegratedDelivery);
    expect(canonical(back)).toBe(canonical(opsIntegratedDelivery));
    expect(back.layout).toEqual(opsIntegratedDelivery.layout);
  });

  it('places nodes at their layout positions and marks the start node', () => {
    const { nodes, edges } = toCanvas(opsIntegratedDelivery);
    expect(nodes).toHaveLength(opsIntegratedDelivery.nodes.length);
    const pilot = nodes.find((n) => n.id === 'pilot')!;
    expect(pilot.position).toEqual(opsIntegratedDelivery.layout!.pilot);
    expect(pilot.type).toBe('stage');
    expect(nodes.filter((n) => n.data.start).map((n) => n.id)).toEqual(['inception']);
    expect(edges.map((e) => e.label)).toEqual(opsIntegratedDelivery.edges.map((e) => e.on));
    expect(new Set(edges.map((e) => e.id)).size).toBe(edges.length);
  });

  it('keeps moved positions and gives nodes without layout a grid position', () => {
    const { layout: _layout, ...bare } = opsIntegratedDelivery;
    expect(hasFullLayout(bare)).toBe(false);
    const { nodes, edges } = toCanvas(bare);
    expect(new Set(nodes.map((n) => `${n.position.x},${n.position.y}`)).size).toBe(nodes.length);
    nodes[0]!.position = { x: 7, y: 9 };
    const back = fromCanvas(metaOf(bare), nodes, edges);
    expect(back.layout!.inception).toEqual({ x: 7, y: 9 });
    expect(hasFullLayout(back)).toBe(true);
    expect({ ...back, layout: undefined }).toEqual({ ...bare, layout: undefined });
  });

  it('gives duplicate (invalid) edges distinct ids so they can still be shown and deleted', () => {
    const ids = edgeIdsOf([
      { from: 'a', to: 'b', on: 'done' },
      { from: 'a', to: 'c', on: 'done' },
    ]);
    expect(ids).toEqual(['a~done', 'a~done~1']);
  });
});
