/**
 * Copy and paste of nodes: the copied nodes, the edges among them and their positions. Pasting
 * gives every node a fresh id (so a template never holds two nodes with one id), remaps the
 * internal edges to those ids and offsets the positions so the copy is visible.
 */
import type {
  Edge as TemplateEdge,
  Node as TemplateNode,
  Template,
} from '../../../workflows/model';
import type { XY } from './canvas';
import { uniqueKey } from './edit';

export interface Clip {
  nodes: TemplateNode[];
  /** Only edges whose both ends were copied: an edge to a node left behind has no meaning. */
  edges: TemplateEdge[];
  layout: Record<string, XY>;
}

/** What copying `ids` puts on the clipboard, or undefined when none of them exists. */
export function copyNodes(template: Template, ids: Iterable<string>): Clip | undefined {
  const wanted = new Set(ids);
  const nodes = template.nodes.filter((node) => wanted.has(node.id));
  if (nodes.length === 0) return undefined;
  const copied = new Set(nodes.map((node) => node.id));
  const layout: Record<string, XY> = {};
  for (const id of copied) {
    const at = template.layout?.[id];
    if (at) layout[id] = at;
  }
  return {
    nodes,
    edges: template.edges.filter((edge) => copied.has(edge.from) && copied.has(edge.to)),
    layout,
  };
}

/** Pastes a clip; returns the new template and the new nodes' ids (in clip order). */
export function pasteClip(
  template: Template,
  clip: Clip,
  offset: XY = { x: 40, y: 40 },
): { template: Template; ids: string[] } {
  const taken = new Set(template.nodes.map((node) => node.id));
  const rename = new Map<string, string>();
  for (const node of clip.nodes) {
    // "gate-2" pasted twice becomes "gate-2-copy", then "gate-2-copy-2".
    const id = uniqueKey(`${node.id.replace(/-copy(?:-\d+)?$/, '')}-copy`, taken);
    taken.add(id);
    rename.set(node.id, id);
  }
  const nodes = clip.nodes.map((node) => ({ ...node, id: rename.get(node.id)! }));
  const edges = clip.edges.map((edge) => ({
    ...edge,
    from: rename.get(edge.from)!,
    to: rename.get(edge.to)!,
  }));
  const layout = { ...template.layout };
  clip.nodes.forEach((node, i) => {
    const at = clip.layout[node.id] ?? { x: i * 40, y: 0 };
    layout[rename.get(node.id)!] = { x: at.x + offset.x, y: at.y + offset.y };
  });
  return {
    template: {
      ...template,
      nodes: [...template.nodes, ...nodes],
      edges: [...template.edges, ...edges],
      layout,
    },
    ids: nodes.map((node) => node.id),
  };
}
