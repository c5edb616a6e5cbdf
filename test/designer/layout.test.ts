/** Auto-layout with elkjs (which runs in Node too): every node placed, left to right. */
import { opsIntegratedDelivery } from '../../workflows/model';
import { autoLayout, layoutPositions } from '../../designer/src/logic/layout';
import { addNode, emptyTemplate } from '../../designer/src/logic/edit';

describe('auto-layout', () => {
  it('gives every node of the built-in template a position, flowing left to right', async () => {
    const { layout: _layout, ...bare } = opsIntegratedDelivery;
    const laid = await autoLayout(bare);
    for (const node of bare.nodes) {
      expect(laid.layout?.[node.id]).toEqual({ x: expect.any(Number), y: expect.any(Number) });
    }
    const x = (id: string) => laid.layout![id]!.x;
    expect(x('inception')).toBeLessThan(x('operationalization-plan'));
    expect(x('handoff')).toBeLessThan(x('hypercare'));
    expect(x('kpi-monitoring')).toBeLessThan(x('completed'));
    const spots = Object.values(laid.layout!).map((p) => `${p.x},${p.y}`);
    expect(new Set(spots).size).toBe(spots.length);
    expect({ ...laid, layout: undefined }).toEqual({ ...bare, layout: undefined });
  });

  it('copes with dangling edges, self-loops and an edgeless template', async () => {
    let t = emptyTemplate();
    t = addNode(t, 'gate', { x: 0, y: 0 }).template;
    t = addNode(t, 'end', { x: 0, y: 0 }).template;
    t = {
      ...t,
      edges: [
        { from: 'gate-1', to: 'gate-1', on: 'recycle' },
        { from: 'gate-1', to: 'ghost', on: 'go' },
      ],
    };
    const positions = await layoutPositions(t);
    expect(Object.keys(positions).sort()).toEqual(['end-1', 'gate-1']);
    expect(await layoutPositions(emptyTemplate())).toEqual({});
  });
});
