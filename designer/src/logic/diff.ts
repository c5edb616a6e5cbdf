/**
 * What changed between two template versions: nodes by id, edges by (source, outcome) — the
 * pair the runtime follows — and the template's own fields. Positions are not content: a node
 * that only moved is unchanged. `diffCanvas` turns the result into one merged graph to draw;
 * `standsOf` marks a project's place on it.
 */
import type {
  Edge as TemplateEdge,
  Node as TemplateNode,
  Template,
} from '../../../workflows/model';
import {
  NODE_SIZE,
  fallbackPosition,
  type CanvasEdge,
  type CanvasNode,
  type DiffStatus,
  type Stands,
  type XY,
} from './canvas';

export interface NodeDiff {
  id: string;
  status: Exclude<DiffStatus, 'same'>;
  type: TemplateNode['type'];
  name: string;
  /** Top-level fields that differ (changed nodes only), e.g. ["name", "sla"]. */
  fields: string[];
}

export interface EdgeDiff {
  /** `from~on`: one edge per source and outcome. */
  id: string;
  status: Exclude<DiffStatus, 'same'>;
  from: string;
  on: TemplateEdge['on'];
  /** Target before (removed/changed) and after (added/changed). */
  before?: string;
  after?: string;
  fields: string[];
}

export interface TemplateDiff {
  /** Changed template-level fields besides nodes, edges and layout ("name", "roles", …). */
  template: string[];
  nodes: NodeDiff[];
  edges: EdgeDiff[];
}

/** JSON with object keys sorted, so key order never counts as a change. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Keys whose values differ between two objects. */
function changedFields(a: object, b: object, ignore: readonly string[] = []): string[] {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
  return keys
    .filter((key) => !ignore.includes(key) && canonical(left[key]) !== canonical(right[key]))
    .sort();
}

function edgeMap(edges: readonly TemplateEdge[]): Map<string, TemplateEdge> {
  const map = new Map<string, TemplateEdge>();
  // With duplicate (invalid) edges the first one is the one the runtime would follow.
  for (const edge of edges) {
    const id = `${edge.from}~${edge.on}`;
    if (!map.has(id)) map.set(id, edge);
  }
  return map;
}

export function diffTemplates(a: Template, b: Template): TemplateDiff {
  const before = new Map(a.nodes.map((node) => [node.id, node]));
  const after = new Map(b.nodes.map((node) => [node.id, node]));
  const nodes: NodeDiff[] = [];
  for (const node of a.nodes) {
    const next = after.get(node.id);
    if (!next) {
      nodes.push({ id: node.id, status: 'removed', type: node.type, name: node.name, fields: [] });
      continue;
    }
    const fields = changedFields(node, next);
    if (fields.length > 0) {
      nodes.push({ id: node.id, status: 'changed', type: next.type, name: next.name, fields });
    }
  }
  for (const node of b.nodes) {
    if (!before.has(node.id)) {
      nodes.push({ id: node.id, status: 'added', type: node.type, name: node.name, fields: [] });
    }
  }

  const oldEdges = edgeMap(a.edges);
  const newEdges = edgeMap(b.edges);
  const edges: EdgeDiff[] = [];
  for (const [id, edge] of oldEdges) {
    const next = newEdges.get(id);
    const base = { id, from: edge.from, on: edge.on, before: edge.to };
    if (!next) edges.push({ ...base, status: 'removed', fields: [] });
    else if (next.to !== edge.to) {
      edges.push({ ...base, status: 'changed', after: next.to, fields: ['to'] });
    }
  }
  for (const [id, edge] of newEdges) {
    if (!oldEdges.has(id)) {
      edges.push({ id, from: edge.from, on: edge.on, after: edge.to, status: 'added', fields: [] });
    }
  }
  return { template: changedFields(a, b, ['nodes', 'edges', 'layout']), nodes, edges };
}

function overlaps(a: XY, b: XY): boolean {
  return Math.abs(a.x - b.x) < NODE_SIZE.width && Math.abs(a.y - b.y) < NODE_SIZE.height;
}

/** True when the two versions have the same content (positions aside). */
export function isEmptyDiff(diff: TemplateDiff): boolean {
  return diff.template.length === 0 && diff.nodes.length === 0 && diff.edges.length === 0;
}

/**
 * One graph showing both versions: every node of either (positions from the newer version,
 * else the older), each marked added/removed/changed/same; a retargeted edge appears twice,
 * its old target as removed and its new one as changed.
 */
export function diffCanvas(
  a: Template,
  b: Template,
  diff: TemplateDiff = diffTemplates(a, b),
): { nodes: CanvasNode[]; edges: CanvasEdge[] } {
  const status = new Map(diff.nodes.map((d) => [d.id, d]));
  const merged = [...b.nodes, ...a.nodes.filter((n) => status.get(n.id)?.status === 'removed')];
  const placed: XY[] = [];
  const nodes = merged.map((node, index): CanvasNode => {
    const change = status.get(node.id);
    let position: XY = b.layout?.[node.id] ?? a.layout?.[node.id] ?? fallbackPosition(index);
    // A removed node may sit where the new version put another one: move it below.
    while (change?.status === 'removed' && placed.some((p) => overlaps(p, position))) {
      position = { x: position.x, y: position.y + NODE_SIZE.height + 40 };
    }
    placed.push(position);
    return {
      id: node.id,
      type: node.type,
      position,
      data: {
        node,
        diff: change?.status ?? 'same',
        ...(change?.fields.length && { changed: change.fields }),
        ...(node.id === b.start && { start: true }),
      },
    };
  });
  const edgeStatus = new Map(diff.edges.map((d) => [d.id, d]));
  const edges: CanvasEdge[] = [];
  const push = (edge: TemplateEdge, id: string, diffStatus: DiffStatus) =>
    edges.push({
      id,
      source: edge.from,
      target: edge.to,
      label: edge.on,
      data: { on: edge.on, diff: diffStatus },
    });
  for (const [id, edge] of edgeMap(b.edges)) push(edge, id, edgeStatus.get(id)?.status ?? 'same');
  for (const [id, edge] of edgeMap(a.edges)) {
    const change = edgeStatus.get(id)?.status;
    if (change === 'removed' || change === 'changed') push(edge, `${id}~before`, 'removed');
  }
  return { nodes, edges };
}

/**
 * Where a project seen through a diff (impact) is on node `id`: it stands there now, would
 * stand there under the other version, both, or neither (no mark).
 */
export function standsOf(
  project: { now: readonly string[]; would: readonly string[] },
  id: string,
): { stands?: Stands } {
  const now = project.now.includes(id);
  const would = project.would.includes(id);
  if (now && would) return { stands: 'both' };
  if (now) return { stands: 'now' };
  return would ? { stands: 'would' } : {};
}
