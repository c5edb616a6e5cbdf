/**
 * How a template edge is drawn, shared by the canvas, the diff and the simulation: an arrow
 * labelled with its outcome; an edge pointing backwards (a recycle, usually) is routed as a
 * step path around the nodes instead of a bezier cutting back through them.
 */
import { MarkerType, type Edge } from '@xyflow/react';
import type { CanvasEdge, XY } from '../logic/canvas';

export function presentEdge(
  edge: CanvasEdge,
  positions: Readonly<Record<string, XY | undefined>>,
  className: string,
): Edge {
  const from = positions[edge.source];
  const to = positions[edge.target];
  const backward = from !== undefined && to !== undefined && to.x <= from.x;
  return {
    ...edge,
    className,
    markerEnd: { type: MarkerType.ArrowClosed },
    ariaLabel: `Edge ${edge.source} ${edge.data.on} to ${edge.target}`,
    ...(backward && { type: 'smoothstep', pathOptions: { offset: 28, borderRadius: 10 } }),
  };
}

/** Node positions of canvas nodes by id. */
export function positionsOf(nodes: readonly { id: string; position: XY }[]): Record<string, XY> {
  return Object.fromEntries(nodes.map((n) => [n.id, n.position]));
}
