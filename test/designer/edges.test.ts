/** Edge rules while connecting: outcomes a source can still take, no edge out of an end. */
import { opsIntegratedDelivery, type Template } from '../../workflows/model';
import {
  availableOutcomes,
  connect,
  connectionProblem,
  outcomeChoices,
  updateEdge,
} from '../../designer/src/logic/edges';
import { addNode, emptyTemplate } from '../../designer/src/logic/edit';

/** stage-1, gate-1, end-1 on an empty template. */
function small(): Template {
  let t = emptyTemplate();
  for (const type of ['stage', 'gate', 'end'] as const)
    t = addNode(t, type, { x: 0, y: 0 }).template;
  return t;
}

describe('edge rules', () => {
  it('offers the outcomes each node type produces, minus hold', () => {
    const t = small();
    expect(availableOutcomes(t, 'stage-1')).toEqual(['done']);
    expect(availableOutcomes(t, 'gate-1')).toEqual(['go', 'recycle', 'kill']);
    expect(availableOutcomes(t, 'end-1')).toEqual([]);
    expect(availableOutcomes(t, 'nope')).toEqual([]);
  });

  it("follows a gate's allowed decisions", () => {
    // inception allows go, hold, kill and already uses go and kill.
    expect(availableOutcomes(opsIntegratedDelivery, 'inception')).toEqual([]);
    expect(availableOutcomes(opsIntegratedDelivery, 'kpi-monitoring')).toEqual([]);
    const { edges: _edges, ...rest } = opsIntegratedDelivery;
    expect(availableOutcomes({ ...rest, edges: [] }, 'inception')).toEqual(['go', 'kill']);
  });

  it('refuses duplicates: a used outcome is no longer offered', () => {
    let t = small();
    const first = connect(t, 'stage-1', 'gate-1', 'done');
    expect(first.ok).toBe(true);
    if (first.ok) t = first.template;
    expect(availableOutcomes(t, 'stage-1')).toEqual([]);
    const again = connect(t, 'stage-1', 'end-1', 'done');
    expect(again).toEqual({ ok: false, reason: expect.stringContaining('every outcome') });
    expect(connectionProblem(t, 'stage-1', 'end-1')).toMatch(/every outcome/);
  });

  it('never connects out of an end', () => {
    const t = small();
    expect(connectionProblem(t, 'end-1', 'stage-1')).toMatch(/end has no outgoing/);
    expect(connect(t, 'end-1', 'stage-1', 'done').ok).toBe(false);
  });

  it('allows a self-edge only to recycle', () => {
    const t = small();
    expect(availableOutcomes(t, 'gate-1', 'gate-1')).toEqual(['recycle']);
    expect(availableOutcomes(t, 'stage-1', 'stage-1')).toEqual([]);
    expect(connectionProblem(t, 'stage-1', 'stage-1')).toMatch(/recycle/);
    expect(connect(t, 'gate-1', 'gate-1', 'go').ok).toBe(false);
    expect(connect(t, 'gate-1', 'gate-1', 'recycle').ok).toBe(true);
  });

  it('lets an edge switch only to its own or a free outcome', () => {
    let t = small();
    for (const [to, on] of [
      ['end-1', 'go'],
      ['stage-1', 'recycle'],
    ] as const) {
      const r = connect(t, 'gate-1', to, on);
      if (r.ok) t = r.template;
    }
    expect(outcomeChoices(t, 0)).toEqual(['go', 'kill']);
    t = updateEdge(t, 0, { on: 'kill' });
    expect(t.edges[0]).toEqual({ from: 'gate-1', to: 'end-1', on: 'kill' });
    expect(availableOutcomes(t, 'gate-1')).toEqual(['go']);
  });
});
