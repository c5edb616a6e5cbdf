/**
 * Auto-layout with elkjs: the layered (Sugiyama) algorithm, left to right, which suits a
 * lifecycle — the happy path runs along a line and recycle edges loop back. The bundled ELK
 * build runs in the browser and in Node alike, so tests exercise the real thing.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Template } from '../../../workflows/model';
import { NODE_SIZE, type XY } from './canvas';

export { NODE_SIZE };

const OPTIONS: Record<string, string> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '90',
  'elk.spacing.nodeNode': '60',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  // Recycle edges point backwards; ELK reverses them for layering and keeps the rest in order.
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
};

let elk: InstanceType<typeof ELK> | undefined;

/** Positions (top-left corners) for every node; `sizes` overrides the default card size. */
export async function layoutPositions(
  template: Template,
  sizes: Record<string, { width: number; height: number }> = {},
): Promise<Record<string, XY>> {
  elk ??= new ELK();
  const ids = new Set(template.nodes.map((node) => node.id));
  const graph = {
    id: 'root',
    layoutOptions: OPTIONS,
    children: [...ids].map((id) => ({ id, ...(sizes[id] ?? NODE_SIZE) })),
    // ELK rejects edges to unknown nodes; self-loops add nothing to the layering.
    edges: template.edges
      .filter((edge) => ids.has(edge.from) && ids.has(edge.to) && edge.from !== edge.to)
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.from], targets: [edge.to] })),
  };
  const laid = await elk.layout(graph);
  const positions: Record<string, XY> = {};
  for (const child of laid.children ?? []) {
    positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
  }
  return positions;
}

/** The template with `layout` replaced by an automatic one. */
export async function autoLayout(
  template: Template,
  sizes?: Record<string, { width: number; height: number }>,
): Promise<Template> {
  return { ...template, layout: await layoutPositions(template, sizes) };
}
