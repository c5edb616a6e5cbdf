import {
  BAND_GAP,
  boundsOf,
  columnsOf,
  foldColumns,
  MAX_WHOLE_NODES,
  READABLE_ZOOM,
  readableLayout,
  zoomToFit,
} from '../../designer/src/logic/readable';
import { opsIntegratedDelivery } from '../../workflows/model';

const row = (n: number, column = 260) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`n${i}`, { x: i * column, y: 0 }]));

describe('readable layout', () => {
  it('groups cards into columns by their left edge', () => {
    const at = { a: { x: 0, y: 0 }, b: { x: 40, y: 200 }, c: { x: 260, y: 0 } };
    expect(columnsOf(at)).toEqual([['a', 'b'], ['c']]);
  });

  it('folds columns into bands stacked top to bottom, keeping places within a band', () => {
    const at = { ...row(5), under: { x: 260, y: 200 } };
    const folded = foldColumns(at, 2);
    expect(folded['n0']).toEqual({ x: 0, y: 0 });
    expect(folded['n1']).toEqual({ x: 260, y: 0 });
    expect(folded['under']).toEqual({ x: 260, y: 200 });
    // The first band is 200 + 150 tall (the card under n1 included).
    expect(folded['n2']).toEqual({ x: 0, y: 350 + BAND_GAP });
    expect(folded['n4']).toEqual({ x: 0, y: 2 * (150 + BAND_GAP) + 200 });
  });

  it('keeps a layout that fits readably, and opens it whole', () => {
    const at = row(3);
    const result = readableLayout(at, { width: 1200, height: 600 }, 'n0');
    expect(result).toEqual({ positions: at, folded: false, opening: { kind: 'fit' } });
  });

  it('folds one long row of the built-in template until it fits readably', () => {
    const at = opsIntegratedDelivery.layout!;
    const box = { width: 900, height: 700 };
    expect(zoomToFit(boundsOf(at), box)).toBeLessThan(READABLE_ZOOM);
    const result = readableLayout(at, box, opsIntegratedDelivery.start);
    expect(result.folded).toBe(true);
    expect(result.opening).toEqual({ kind: 'fit' });
    expect(zoomToFit(boundsOf(result.positions, {}), box)).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(Object.keys(result.positions).sort()).toEqual(Object.keys(at).sort());
  });

  it('prefers fewer bands when more would not show the cards larger', () => {
    // Wide and tall enough that two bands already reach the largest opening zoom.
    const result = readableLayout(row(8), { width: 1400, height: 1400 }, 'n0');
    expect(new Set(Object.values(result.positions).map((p) => p.y)).size).toBe(2);
  });

  it('opens a graph larger than the whole-view limit on its focus node, unfolded', () => {
    const at = row(MAX_WHOLE_NODES + 1);
    const result = readableLayout(at, { width: 900, height: 600 }, 'n3');
    expect(result).toEqual({
      positions: at,
      folded: false,
      opening: { kind: 'focus', nodeId: 'n3' },
    });
  });

  it('opens on the focus node when even the best fold is too small (a tiny pane)', () => {
    const result = readableLayout(row(12), { width: 200, height: 150 }, 'n0');
    expect(result.opening).toEqual({ kind: 'focus', nodeId: 'n0' });
  });

  it('uses measured sizes where known', () => {
    const at = row(2);
    expect(boundsOf(at, { n1: { width: 100, height: 400 } })).toEqual({
      x: 0,
      y: 0,
      width: 360,
      height: 400,
    });
    expect(boundsOf({})).toEqual({ x: 0, y: 0, width: 0, height: 0 });
  });
});
