/**
 * Edge rules the designer enforces while connecting (the validator reports the same things
 * after the fact): an edge carries an outcome its source produces, one edge per outcome,
 * nothing leaves an `end`, `hold` has no edge (it reopens the same gate) and a node may only
 * point at itself to recycle.
 */
import { outcomesOf, type Outcome, type Template } from '../../../workflows/model';
import { edgeIdsOf } from './canvas';

/** Outcomes that already have an edge out of `from`. */
export function usedOutcomes(template: Template, from: string): Set<Outcome> {
  return new Set(template.edges.filter((edge) => edge.from === from).map((edge) => edge.on));
}

/**
 * Outcomes an edge from `from` (to `to`, when known) may still take, in the order the node
 * type lists them. Empty for an unknown source, an `end`, or when every outcome is taken.
 */
export function availableOutcomes(template: Template, from: string, to?: string): Outcome[] {
  const source = template.nodes.find((node) => node.id === from);
  if (!source || source.type === 'end') return [];
  const used = usedOutcomes(template, from);
  return outcomesOf(source).filter(
    (on) => on !== 'hold' && !used.has(on) && (to !== from || on === 'recycle'),
  );
}

/** Why an edge `from` → `to` cannot be drawn, or undefined when some outcome is still free. */
export function connectionProblem(
  template: Template,
  from: string,
  to: string,
): string | undefined {
  const source = template.nodes.find((node) => node.id === from);
  if (!source) return `no node "${from}"`;
  if (!template.nodes.some((node) => node.id === to)) return `no node "${to}"`;
  if (source.type === 'end') return 'an end has no outgoing edges';
  if (availableOutcomes(template, from, to).length > 0) return undefined;
  if (from === to) return 'a node may only point at itself to recycle';
  return `"${source.name}" already has an edge for every outcome it produces`;
}

/** Adds the edge, or explains why it is refused (the template is then unchanged). */
export function connect(
  template: Template,
  from: string,
  to: string,
  on: Outcome,
): { ok: true; template: Template } | { ok: false; reason: string } {
  const problem = connectionProblem(template, from, to);
  if (problem) return { ok: false, reason: problem };
  if (!availableOutcomes(template, from, to).includes(on)) {
    return { ok: false, reason: `"${on}" is not free on "${from}"` };
  }
  return { ok: true, template: { ...template, edges: [...template.edges, { from, to, on }] } };
}

/** Index of the edge with canvas id `id`, or -1. */
export function edgeIndex(template: Template, id: string): number {
  return edgeIdsOf(template.edges).indexOf(id);
}

/**
 * Outcomes the edge at `index` may switch to: its own plus the source's free ones. An edge
 * that is already invalid keeps its own outcome listed so the form can show it.
 */
export function outcomeChoices(template: Template, index: number): Outcome[] {
  const edge = template.edges[index];
  if (!edge) return [];
  const free = availableOutcomes(template, edge.from, edge.to);
  const source = template.nodes.find((node) => node.id === edge.from);
  const order = source ? outcomesOf(source) : [];
  return [...new Set([edge.on, ...free])].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Changes one edge's outcome or target. */
export function updateEdge(
  template: Template,
  index: number,
  patch: { on?: Outcome; to?: string },
): Template {
  return {
    ...template,
    edges: template.edges.map((edge, i) => (i === index ? { ...edge, ...patch } : edge)),
  };
}
