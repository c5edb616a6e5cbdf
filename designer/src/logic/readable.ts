/**
 * A graph that opens readable (issue 10, item 2): a lifecycle laid out in one long row and
 * fitted into the view shrinks until no card can be read. Every graph of a template (designer,
 * simulation, diff, project view) asks these functions how to open it:
 * - up to {@link MAX_WHOLE_NODES} nodes, a layout too wide or too tall for the view is folded
 *   into rows (bands of columns, like lines of text) so that the whole graph fits at a zoom
 *   of at least {@link READABLE_ZOOM};
 * - the view never fits below that zoom: what does not fit opens on its current or start node.
 * Pure: positions and sizes in, positions and a view decision out.
 */
import type { XY } from './canvas';

/** The smallest zoom at which a card's name (14 px) and facts (12 px) stay readable. */
export const READABLE_ZOOM = 0.7;
/** How far a person may zoom out by hand (an overview, not for reading). */
export const MIN_ZOOM = 0.1;
/** Graphs up to this many nodes open whole; larger ones open on one node. */
export const MAX_WHOLE_NODES = 20;
/** Fraction of the graph's size left around it when fitting (React Flow's `padding`). */
export const FIT_PADDING = 0.1;
/** The largest zoom a graph opens at: beyond it cards only grow, nothing more becomes legible. */
export const OPEN_MAX_ZOOM = 1;
/** Size assumed for a card not measured yet (cards with facts run about this tall). */
export const CARD_ESTIMATE = { width: 230, height: 150 };
/** Space between two bands of a folded layout: room for edges that loop back or wrap. */
export const BAND_GAP = 90;

export interface Size {
  width: number;
  height: number;
}
export type Sizes = Readonly<Record<string, Size | undefined>>;

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

const sizeOf = (sizes: Sizes, id: string): Size => sizes[id] ?? CARD_ESTIMATE;

/** The rectangle around every card. */
export function boundsOf(positions: Readonly<Record<string, XY>>, sizes: Sizes = {}): Bounds {
  const ids = Object.keys(positions);
  if (ids.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const id of ids) {
    const p = positions[id]!;
    const s = sizeOf(sizes, id);
    left = Math.min(left, p.x);
    top = Math.min(top, p.y);
    right = Math.max(right, p.x + s.width);
    bottom = Math.max(bottom, p.y + s.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** The zoom at which `bounds` fills `box` (as React Flow's fitView computes it), uncapped. */
export function zoomToFit(bounds: Size, box: Size, padding = FIT_PADDING): number {
  if (bounds.width <= 0 || bounds.height <= 0) return Infinity;
  return Math.min(
    box.width / (bounds.width * (1 + padding)),
    box.height / (bounds.height * (1 + padding)),
  );
}

/** Columns of a layout: cards whose left edges lie within half a card of each other. */
export function columnsOf(positions: Readonly<Record<string, XY>>, sizes: Sizes = {}): string[][] {
  const ids = Object.keys(positions).sort(
    (a, b) => positions[a]!.x - positions[b]!.x || positions[a]!.y - positions[b]!.y,
  );
  const columns: { x: number; ids: string[] }[] = [];
  for (const id of ids) {
    const last = columns.at(-1);
    const x = positions[id]!.x;
    if (last && x - last.x < sizeOf(sizes, id).width / 2) last.ids.push(id);
    else columns.push({ x, ids: [id] });
  }
  return columns.map((c) => c.ids);
}

/**
 * Folds a layout into bands of `perBand` columns stacked top to bottom: within a band every
 * card keeps its place relative to the band's first column and top card.
 */
export function foldColumns(
  positions: Readonly<Record<string, XY>>,
  perBand: number,
  sizes: Sizes = {},
): Record<string, XY> {
  const columns = columnsOf(positions, sizes);
  const out: Record<string, XY> = {};
  let top = 0;
  for (let start = 0; start < columns.length; start += perBand) {
    const band = columns.slice(start, start + perBand).flat();
    const bandBounds = boundsOf(Object.fromEntries(band.map((id) => [id, positions[id]!])), sizes);
    for (const id of band) {
      const p = positions[id]!;
      out[id] = { x: p.x - bandBounds.x, y: top + (p.y - bandBounds.y) };
    }
    top += bandBounds.height + BAND_GAP;
  }
  return out;
}

/** How a graph should open in a view of size `box`. */
export type Opening =
  /** Everything fits readably: fit the view to the whole graph. */
  | { kind: 'fit' }
  /** Too large: open at a readable zoom on this node. */
  | { kind: 'focus'; nodeId: string };

export interface Readable {
  positions: Record<string, XY>;
  /** True when `positions` differ from the ones given (the layout was folded). */
  folded: boolean;
  opening: Opening;
}

/**
 * The positions to show a graph with in `box`, and how to open the view on them. `focus` is
 * the node to open on when the graph cannot be shown whole (the current node, else the start);
 * cards not `measured` yet count as `estimate`.
 */
export function readableLayout(
  positions: Readonly<Record<string, XY>>,
  box: Size,
  focus: string,
  measured: Sizes = {},
  estimate: Size = CARD_ESTIMATE,
): Readable {
  const ids = Object.keys(positions);
  const sizes = Object.fromEntries(ids.map((id) => [id, measured[id] ?? estimate]));
  const same = { ...positions };
  // Past the largest opening zoom a fold gains nothing: fewer bands win then.
  const zoomOf = (p: Readonly<Record<string, XY>>) =>
    Math.min(OPEN_MAX_ZOOM, zoomToFit(boundsOf(p, sizes), box));
  if (ids.length === 0 || zoomOf(positions) >= READABLE_ZOOM) {
    return { positions: same, folded: false, opening: { kind: 'fit' } };
  }
  if (ids.length > MAX_WHOLE_NODES) {
    return { positions: same, folded: false, opening: { kind: 'focus', nodeId: focus } };
  }
  // Every band width from widest to narrowest; the fold that shows the cards largest wins
  // (on a tie, the one with fewer bands: the original arrangement stays more recognisable).
  const columns = columnsOf(positions, sizes).length;
  let best = { positions: same, zoom: zoomOf(positions), folded: false };
  for (let perBand = columns - 1; perBand >= 1; perBand--) {
    const folded = foldColumns(positions, perBand, sizes);
    const zoom = zoomOf(folded);
    if (zoom > best.zoom + 1e-9) best = { positions: folded, zoom, folded: true };
  }
  return {
    positions: best.positions,
    folded: best.folded,
    opening: best.zoom >= READABLE_ZOOM ? { kind: 'fit' } : { kind: 'focus', nodeId: focus },
  };
}
