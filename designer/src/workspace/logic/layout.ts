/**
 * Node positions for the read-only project graph: the template's own `layout` (saved by the
 * designer) where it has one, else a left-to-right layered layout: each node one column right
 * of its furthest predecessor, ignoring edges that loop back (recycle), rows centred per column.
 */
import type { Template } from '../../../../workflows/model';

export interface Point {
  x: number;
  y: number;
}

export interface LayoutOptions {
  column?: number;
  row?: number;
}

type Graph = Pick<Template, 'start' | 'nodes' | 'edges'>;

export function layeredLayout(graph: Graph, options: LayoutOptions = {}): Record<string, Point> {
  const column = options.column ?? 260;
  const row = options.row ?? 150;
  const ids = graph.nodes.map((n) => n.id);
  const known = new Set(ids);
  const out = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of graph.edges) {
    if (known.has(e.from) && known.has(e.to) && e.from !== e.to) out.get(e.from)!.push(e.to);
  }

  // Depth-first from the start (then from anything unreached): an edge to a node still on the
  // stack closes a loop and is left out of the layering; the post-order gives a topological one.
  const state = new Map<string, 'open' | 'closed'>();
  const back = new Set<string>();
  const postorder: string[] = [];
  const discovery: string[] = [];
  const visit = (id: string) => {
    state.set(id, 'open');
    discovery.push(id);
    for (const next of out.get(id) ?? []) {
      const s = state.get(next);
      if (s === 'open') back.add(`${id}\u0000${next}`);
      else if (s === undefined) visit(next);
    }
    state.set(id, 'closed');
    postorder.push(id);
  };
  if (known.has(graph.start)) visit(graph.start);
  for (const id of ids) if (!state.has(id)) visit(id);

  const layer = new Map<string, number>(ids.map((id) => [id, 0]));
  for (const id of [...postorder].reverse()) {
    for (const next of out.get(id) ?? []) {
      if (back.has(`${id}\u0000${next}`)) continue;
      layer.set(next, Math.max(layer.get(next)!, layer.get(id)! + 1));
    }
  }

  const columns = new Map<number, string[]>();
  for (const id of discovery) {
    const l = layer.get(id)!;
    columns.set(l, [...(columns.get(l) ?? []), id]);
  }
  const positions: Record<string, Point> = {};
  for (const [l, members] of columns) {
    members.forEach((id, i) => {
      positions[id] = { x: l * column, y: (i - (members.length - 1) / 2) * row };
    });
  }
  return positions;
}

/** The template's saved positions, completed by the layered layout for nodes it lacks. */
export function positionsFor(template: Template, options?: LayoutOptions): Record<string, Point> {
  const saved = template.layout ?? {};
  const missing = template.nodes.some((n) => saved[n.id] === undefined);
  const computed = missing ? layeredLayout(template, options) : {};
  return Object.fromEntries(
    template.nodes.map((n) => [n.id, saved[n.id] ?? computed[n.id] ?? { x: 0, y: 0 }]),
  );
}
