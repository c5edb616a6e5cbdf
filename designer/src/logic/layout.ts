/**
 * Auto-layout with elkjs: the layered (Sugiyama) algorithm, left to right, which suits a
 * lifecycle — the happy path runs along a line and recycle edges loop back. The browser app
 * runs ELK in a Web Worker (`runElkWith`), so laying out a large template never freezes the
 * page; elsewhere (tests, Node) the bundled build runs in place.
 */
import type { ElkNode } from 'elkjs/lib/elk-api.js';
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

/** What layout needs of ELK: the bundled build and elk-api over a worker both offer it. */
export interface ElkLayouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

let makeElk = (): Promise<ElkLayouter> => Promise.resolve(new ELK());
let elk: Promise<ElkLayouter> | undefined;

/** Lays out with the ELK `make` returns from now on (the app: elk-api over a Web Worker). */
export function runElkWith(make: () => ElkLayouter): void {
  makeElk = () => Promise.resolve(make());
  elk = undefined;
}

/** Positions (top-left corners) for every node; `sizes` overrides the default card size. */
export async function layoutPositions(
  template: Template,
  sizes: Record<string, { width: number; height: number }> = {},
): Promise<Record<string, XY>> {
  elk ??= makeElk();
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
  const laid = await (await elk).layout(graph);
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
