import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import { layeredLayout, positionsFor } from '../../designer/src/workspace/logic/layout';

describe('layeredLayout', () => {
  const { layout: _saved, ...unplaced } = opsIntegratedDelivery;
  const template: Template = unplaced;

  it('puts every forward edge left to right and loops (recycle) back', () => {
    const at = layeredLayout(template);
    for (const e of template.edges) {
      if (e.on === 'recycle') expect(at[e.to]!.x).toBeLessThan(at[e.from]!.x);
      else expect(at[e.to]!.x).toBeGreaterThan(at[e.from]!.x);
    }
    expect(at['inception']).toEqual({ x: 0, y: 0 });
  });

  it('gives each node its own place, also unreachable ones', () => {
    const extra: Template = {
      ...template,
      nodes: [
        ...template.nodes,
        { id: 'orphan', type: 'end', name: 'Orphan', result: 'cancelled' },
      ],
    };
    const at = layeredLayout(extra);
    const places = Object.values(at).map((p) => `${p.x},${p.y}`);
    expect(Object.keys(at)).toHaveLength(extra.nodes.length);
    expect(new Set(places).size).toBe(places.length);
  });

  it('prefers the saved layout and completes it', () => {
    const partial: Template = { ...template, layout: { inception: { x: 11, y: 22 } } };
    const at = positionsFor(partial);
    expect(at['inception']).toEqual({ x: 11, y: 22 });
    expect(at['pilot']).toEqual(layeredLayout(template)['pilot']);
    expect(positionsFor(opsIntegratedDelivery)).toEqual(opsIntegratedDelivery.layout);
  });
});
