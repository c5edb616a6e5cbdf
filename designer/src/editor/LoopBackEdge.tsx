/**
 * An edge that points backwards (a recycle, usually), routed below the cards it passes: out of
 * the source's right handle, down under the lowest card between its ends, back left and up into
 * the target's left handle. Drawn straight back instead, it would run over the forward edges
 * between the same nodes and put its label on theirs. Loop-backs that overlap get lanes of
 * their own, the shorter one above the longer.
 */
import { useCallback } from 'react';
import {
  BaseEdge,
  useStore,
  type Edge,
  type EdgeProps,
  type InternalNode,
  type ReactFlowState,
} from '@xyflow/react';

/** Clearance below the lowest card and beside each handle, and between lanes, in flow px. */
const BELOW = 32;
const SIDE = 24;
const LANE = 14;
const RADIUS = 10;

export function LoopBackEdge({
  id,
  source,
  target,
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
  const floor = useStore(
    useCallback((s: ReactFlowState) => floorBetween(s, left, right), [left, right]),
  );
  const lane = useStore(useCallback((s: ReactFlowState) => laneOf(s, id), [id]));
  const bottom = Math.max(floor, sourceY, targetY) + BELOW + lane * LANE;
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

/** The lowest card bottom among the nodes that overlap [left, right] horizontally. */
function floorBetween(s: ReactFlowState, left: number, right: number): number {
  let floor = Number.NEGATIVE_INFINITY;
  for (const node of s.nodeLookup.values()) {
    const [x0, x1] = xRange(node);
    if (x1 < left || x0 > right) continue;
    floor = Math.max(floor, node.internals.positionAbsolute.y + (node.measured.height ?? 0));
  }
  return floor;
}

/**
 * How many lanes below the floor this loop-back runs: one more than each overlapping loop-back
 * that spans less (on a tie, whose id sorts first), so nested ones stack inside each other.
 */
function laneOf(s: ReactFlowState, id: string): number {
  const own = s.edges.find((e) => e.id === id);
  const mine = own && spanOf(s, own);
  if (!mine) return 0;
  let lane = 0;
  for (const edge of s.edges) {
    if (edge.id === id || edge.type !== 'loopBack') continue;
    const other = spanOf(s, edge);
    if (!other || other[1] <= mine[0] || mine[1] <= other[0]) continue;
    const [width, ownWidth] = [other[1] - other[0], mine[1] - mine[0]];
    if (width < ownWidth || (width === ownWidth && edge.id < id)) lane += 1;
  }
  return lane;
}

/** From the target's left side to the source's right side. */
function spanOf(s: ReactFlowState, edge: Edge): [number, number] | undefined {
  const from = s.nodeLookup.get(edge.source);
  const to = s.nodeLookup.get(edge.target);
  return from && to ? [xRange(to)[0], xRange(from)[1]] : undefined;
}

function xRange(node: InternalNode): [number, number] {
  const x = node.internals.positionAbsolute.x;
  return [x, x + (node.measured.width ?? 0)];
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
