/**
 * Canvas ⇄ template conversion. The template is the designer's single source of truth; the
 * canvas (React Flow nodes and edges) is derived from it for display and folded back into it
 * when the canvas is the natural place an edit happens. Pure and framework-free: the shapes
 * below are structurally what @xyflow/react expects, without importing it.
 */
import type {
  Edge as TemplateEdge,
  Node as TemplateNode,
  NodeType,
  Outcome,
  Template,
} from '../../../workflows/model';

export interface XY {
  x: number;
  y: number;
}

/** How a node or edge differs between two versions (diff view). */
export type DiffStatus = 'added' | 'removed' | 'changed' | 'same';
/** Where a simulated project stands on a node. */
export type SimStatus = 'current' | 'done' | 'visited' | 'pending' | 'on_hold';

/**
 * A canvas node carries its template node intact, so converting back loses nothing; the
 * optional decorations are display-only and never reach the template.
 */
export type CanvasNodeData = {
  node: TemplateNode;
  /** Validation errors located on this node. */
  errors?: number;
  /** The template's start node. */
  start?: boolean;
  diff?: DiffStatus;
  /** Fields that changed, for the diff view's tooltip. */
  changed?: string[];
  sim?: SimStatus;
  /** A project's place in a diff (impact): it stands here now, would stand here, or both. */
  stands?: Stands;
};

export type Stands = 'now' | 'would' | 'both';

export type CanvasNode = {
  id: string;
  type: NodeType;
  position: XY;
  data: CanvasNodeData;
  selected?: boolean;
};

export type CanvasEdgeData = { on: Outcome; diff?: DiffStatus; errors?: number };

export type CanvasEdge = {
  id: string;
  source: string;
  target: string;
  label: string;
  data: CanvasEdgeData;
  selected?: boolean;
};

/** Template fields that are neither graph nor positions. */
export type TemplateMeta = Omit<Template, 'nodes' | 'edges' | 'layout'>;

/** The size a node card is laid out with when its rendered size is not known. */
export const NODE_SIZE = { width: 230, height: 120 };

/** Spacing of the fallback grid used for nodes without a stored position. */
const GRID = { x: 260, y: 180, columns: 5 };

/**
 * A stable id per edge: the runtime follows one edge per (source, outcome), so that pair names
 * an edge; repeats (invalid, but importable) get their index appended to stay unique.
 */
export function edgeIdsOf(edges: readonly TemplateEdge[]): string[] {
  const seen = new Set<string>();
  return edges.map((edge, index) => {
    const base = `${edge.from}~${edge.on}`;
    const id = seen.has(base) ? `${base}~${index}` : base;
    seen.add(id);
    return id;
  });
}

/** Where a node without a stored position goes until auto-layout places it. */
export function fallbackPosition(index: number): XY {
  return { x: (index % GRID.columns) * GRID.x, y: Math.floor(index / GRID.columns) * GRID.y };
}

/** Template → canvas: positions from `layout`, else a grid (auto-layout may refine them). */
export function toCanvas(template: Template): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const nodes = template.nodes.map((node, index): CanvasNode => ({
    id: node.id,
    type: node.type,
    position: template.layout?.[node.id] ?? fallbackPosition(index),
    data: { node, ...(node.id === template.start && { start: true }) },
  }));
  const ids = edgeIdsOf(template.edges);
  const edges = template.edges.map((edge, index): CanvasEdge => ({
    id: ids[index]!,
    source: edge.from,
    target: edge.to,
    label: edge.on,
    data: { on: edge.on },
  }));
  return { nodes, edges };
}

/** Canvas + metadata → template: node order and edge order are kept, positions become layout. */
export function fromCanvas(
  meta: TemplateMeta,
  nodes: readonly CanvasNode[],
  edges: readonly CanvasEdge[],
): Template {
  return {
    ...meta,
    nodes: nodes.map((n) => (n.data.node.id === n.id ? n.data.node : { ...n.data.node, id: n.id })),
    edges: edges.map((e) => ({ from: e.source, to: e.target, on: e.data.on })),
    layout: Object.fromEntries(nodes.map((n) => [n.id, { x: n.position.x, y: n.position.y }])),
  };
}

/** The metadata part of a template (everything but nodes, edges and layout). */
export function metaOf(template: Template): TemplateMeta {
  const { nodes: _nodes, edges: _edges, layout: _layout, ...meta } = template;
  return meta;
}

/** True when every node has a stored position (else auto-layout should place them). */
export function hasFullLayout(template: Template): boolean {
  return template.nodes.every((node) => template.layout?.[node.id] !== undefined);
}
