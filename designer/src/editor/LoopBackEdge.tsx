/**
 * An edge that points backwards (a recycle, usually), routed below the cards it passes: out of
 * the source's right handle, down under the lowest card between its ends, back left and up into
 * the target's left handle. Drawn straight back instead, it would run over the forward edges
 * between the same nodes and put its label on theirs. Loop-backs that overlap get lanes of
 * their own, the shorter one above the longer. In a layout folded into rows
 * (logic/readable.ts) an edge from the end of one row to the start of the next "wraps": it
 * runs through the gap above the target's row, like a carriage return.
 */
import { useCallback } from 'react';
import {
  BaseEdge,
  useStore,
  type EdgeProps,
  type InternalNode,
  type ReactFlowState,
} from '@xyflow/react';

/** Clearance below the lowest card and beside each handle, and between lanes, in flow px. */
const BELOW = 32;
const SIDE = 24;
const LANE = 14;
const RADIUS = 10;
/** How far above the target's row a wrapping edge runs. */
const WRAP_ABOVE = 36;

export function LoopBackEdge({
  id,
  sourceX,
  sourceY,
  targetX,
  targetY,
  markerEnd,
  markerStart,
  style,
  label,
  labelStyle,
  labelShowBg,
  labelBgStyle,
  labelBgPadding,
  labelBgBorderRadius,
  interactionWidth,
}: EdgeProps) {
  const right = sourceX + SIDE;
  const left = targetX - SIDE;
  // Numbers out of the shared routing: this edge re-renders only when its own route moves.
  const floor = useStore(useCallback((s: ReactFlowState) => routesOf(s).get(id)?.floor, [id]));
  const lane = useStore(useCallback((s: ReactFlowState) => routesOf(s).get(id)?.lane ?? 0, [id]));
  const ceiling = useStore(useCallback((s: ReactFlowState) => routesOf(s).get(id)?.ceiling, [id]));
  const bottom =
    ceiling !== undefined
      ? ceiling - WRAP_ABOVE - lane * LANE
      : Math.max(floor ?? Number.NEGATIVE_INFINITY, sourceY, targetY) + BELOW + lane * LANE;
  const path = roundedPath([
    [sourceX, sourceY],
    [right, sourceY],
    [right, bottom],
    [left, bottom],
    [left, targetY],
    [targetX, targetY],
  ]);
  return (
    <BaseEdge
      id={id}
      path={path}
      labelX={(left + right) / 2}
      labelY={bottom}
      {...{ markerEnd, markerStart, style, label, labelStyle, labelShowBg, labelBgStyle }}
      {...{ labelBgPadding, labelBgBorderRadius, interactionWidth }}
    />
  );
}

interface Route {
  /** The lowest card bottom among the nodes the loop passes under. */
  floor: number;
  /** How many lanes below that floor (or above the ceiling) it runs. */
  lane: number;
  /** A wrap into a lower row: the top of the target's card, which the edge runs above. */
  ceiling?: number;
}

/**
 * Every loop-back's route, worked out once per state of the graph and shared by all of them
 * (each edge asking for its own would cost loops × nodes on every change, per edge).
 */
const routeCache = new WeakMap<ReactFlowState, Map<string, Route>>();

function routesOf(s: ReactFlowState): Map<string, Route> {
  const cached = routeCache.get(s);
  if (cached) return cached;
  const loops = s.edges.flatMap((edge) => {
    const from = s.nodeLookup.get(edge.source);
    const to = s.nodeLookup.get(edge.target);
    if (edge.type !== 'loopBack' || !from || !to) return [];
    const rows = [yRange(from), yRange(to)];
    return [
      {
        id: edge.id,
        left: xRange(to)[0] - SIDE,
        right: xRange(from)[1] + SIDE,
        bottom: Math.max(rows[0]![1], rows[1]![1]),
        wraps: rows[1]![0] > rows[0]![1],
        targetTop: rows[1]![0],
      },
    ];
  });
  // Top to bottom, once for all loops.
  const cards = [...s.nodeLookup.values()]
    .map((node) => ({ x: xRange(node), y: yRange(node) }))
    .sort((a, b) => a.y[0] - b.y[0]);
  // Where each loop runs: under the lowest card it passes, or (a wrap) above its target's row.
  const levels = loops.map((loop) => {
    if (loop.wraps) return { loop, floor: loop.bottom, level: `above:${loop.targetTop}` };
    // Down from its ends past every card in its way; a card further down, past a gap wider
    // than the loop needs (the next row of a folded layout), is not in its way.
    // One pass top to bottom: once a card starts below the gap, so do all after it.
    const across = cards.filter((c) => c.x[1] >= loop.left && c.x[0] <= loop.right);
    let floor = loop.bottom;
    for (const card of across) {
      if (card.y[1] <= floor) continue;
      if (card.y[0] >= floor + BELOW + 2 * LANE) break;
      floor = card.y[1];
    }
    return { loop, floor, level: `below:${floor}` };
  });
  const routes = new Map<string, Route>();
  for (const { loop, floor, level } of levels) {
    // One lane further out per overlapping loop at the same level that spans less (on a tie,
    // whose id sorts first), so nested loops stack inside each other.
    let lane = 0;
    const width = loop.right - loop.left;
    for (const other of levels) {
      const o = other.loop;
      if (o === loop || other.level !== level || o.right <= loop.left || loop.right <= o.left) {
        continue;
      }
      const otherWidth = o.right - o.left;
      if (otherWidth < width || (otherWidth === width && o.id < loop.id)) lane += 1;
    }
    routes.set(loop.id, { floor, lane, ...(loop.wraps && { ceiling: loop.targetTop }) });
  }
  routeCache.set(s, routes);
  return routes;
}

function xRange(node: InternalNode): [number, number] {
  const x = node.internals.positionAbsolute.x;
  return [x, x + (node.measured.width ?? 0)];
}

function yRange(node: InternalNode): [number, number] {
  const y = node.internals.positionAbsolute.y;
  return [y, y + (node.measured.height ?? 0)];
}

/** An SVG path through the points, each corner rounded (less where a leg is short). */
function roundedPath(points: readonly (readonly [number, number])[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  let d = `M ${first[0]},${first[1]}`;
  for (let i = 0; i < rest.length; i++) {
    const [x, y] = rest[i]!;
    const before = points[i]!;
    const after = rest[i + 1];
    if (!after) {
      d += ` L ${x},${y}`;
      break;
    }
    const r = Math.min(
      RADIUS,
      Math.hypot(x - before[0], y - before[1]) / 2,
      Math.hypot(after[0] - x, after[1] - y) / 2,
    );
    const into = towards([x, y], before, r);
    const out = towards([x, y], after, r);
    d += ` L ${into[0]},${into[1]} Q ${x},${y} ${out[0]},${out[1]}`;
  }
  return d;
}

/** The point `distance` from `from` in the direction of `to`. */
function towards(
  from: readonly [number, number],
  to: readonly [number, number],
  distance: number,
): [number, number] {
  const length = Math.hypot(to[0] - from[0], to[1] - from[1]);
  if (length === 0) return [from[0], from[1]];
  const t = distance / length;
  return [from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t];
}
