/**
 * How a template edge is drawn, shared by the canvas, the diff and the simulation: an arrow
 * labelled with its outcome; an edge pointing backwards (a recycle, usually) is routed below
 * its nodes (`LoopBackEdge`) instead of a bezier cutting back through them.
 */
import { MarkerType, type Edge, type EdgeTypes } from '@xyflow/react';
import type { CanvasEdge, XY } from '../logic/canvas';
import { LoopBackEdge } from './LoopBackEdge';

/** The edge types every graph of a template registers (one object: React Flow wants it stable). */
export const edgeTypes: EdgeTypes = { loopBack: LoopBackEdge };

/** True when an edge from `from` to `to` points backwards (or straight up/down). */
export function pointsBack(from: XY | undefined, to: XY | undefined): boolean {
  return from !== undefined && to !== undefined && to.x <= from.x;
}

export function presentEdge(
  edge: CanvasEdge,
  positions: Readonly<Record<string, XY | undefined>>,
  className: string,
): Edge {
  const backward = pointsBack(positions[edge.source], positions[edge.target]);
  return {
    ...edge,
    className,
    markerEnd: { type: MarkerType.ArrowClosed },
    ariaLabel: `Edge ${edge.source} ${edge.data.on} to ${edge.target}`,
    ...(backward && { type: 'loopBack' }),
  };
}

/** Node positions of canvas nodes by id. */
export function positionsOf(nodes: readonly { id: string; position: XY }[]): Record<string, XY> {
  return Object.fromEntries(nodes.map((n) => [n.id, n.position]));
}

/** Edges routed for these positions: backwards ones loop back, the rest are plain. */
export function routeEdges<E extends Edge>(
  edges: readonly E[],
  positions: Readonly<Record<string, XY | undefined>>,
): E[] {
  return edges.map((edge) => {
    const backward = pointsBack(positions[edge.source], positions[edge.target]);
    if (backward === (edge.type === 'loopBack')) return edge;
    const { type: _type, ...plain } = edge;
    return (backward ? { ...edge, type: 'loopBack' } : plain) as E;
  });
}
