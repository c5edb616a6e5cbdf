/**
 * Graph rules of template validation: the start node, edge endpoints and outcomes, one edge per
 * producible outcome, reachability from `start` and of an `end`. Reachability runs over the
 * edges the runtime would actually follow, so an edge that is itself an error never hides one.
 */
import { outcomesOf, type Edge, type Node, type Outcome, type Template } from './template';
import type { TemplateError } from './validate';

/** Nodes by id; with duplicate ids the first wins (the others are `duplicate_id` errors). */
interface Indexed {
  node: Node;
  index: number;
}

/** Start, edge and reachability errors. */
export function graphErrors(template: Template): TemplateError[] {
  const byId = new Map<string, Indexed>();
  template.nodes.forEach((node, index) => {
    if (!byId.has(node.id)) byId.set(node.id, { node, index });
  });
  const { errors, live } = edgeErrors(template.edges, byId);
  const startKnown = byId.has(template.start);
  if (!startKnown) {
    errors.unshift({
      path: ['start'],
      code: 'unknown_start',
      message: `start "${template.start}" is not a node`,
    });
  }
  errors.push(...missingEdgeErrors(template.edges, byId));
  // Without a known start everything would be "unreachable": one error says it better.
  if (startKnown) errors.push(...unreachableErrors(template.start, live, byId));
  errors.push(...noEndErrors(live, byId));
  return errors;
}

function edgeErrors(
  edges: readonly Edge[],
  byId: ReadonlyMap<string, Indexed>,
): { errors: TemplateError[]; live: Edge[] } {
  const errors: TemplateError[] = [];
  const live: Edge[] = [];
  const followed = new Set<string>();
  edges.forEach((edge, k) => {
    const source = byId.get(edge.from)?.node;
    const fromNode = source ? { nodeId: source.id } : {};
    if (!source) {
      errors.push({
        path: ['edges', k, 'from'],
        code: 'unknown_node',
        message: `edge source "${edge.from}" is not a node`,
      });
    }
    if (!byId.has(edge.to)) {
      errors.push({
        path: ['edges', k, 'to'],
        ...fromNode,
        code: 'unknown_node',
        message: `edge target "${edge.to}" is not a node`,
      });
    }
    if (!source) return;
    const problem = edgeProblem(edge, source, followed);
    if (problem) {
      errors.push({ ...problem, path: ['edges', k, ...problem.path], ...fromNode });
      return;
    }
    followed.add(outcomeKey(edge.from, edge.on));
    if (byId.has(edge.to)) live.push(edge);
  });
  return { errors, live };
}

/** Why the runtime would never follow this edge out of a known source, if it would not. */
function edgeProblem(
  edge: Edge,
  source: Node,
  followed: ReadonlySet<string>,
): Pick<TemplateError, 'path' | 'code' | 'message'> | undefined {
  if (source.type === 'end') {
    return { path: [], code: 'end_has_edges', message: `end "${source.id}" cannot have edges` };
  }
  if (!outcomesOf(source).includes(edge.on)) {
    const can = outcomesOf(source).join(', ');
    return {
      path: ['on'],
      code: 'outcome_not_produced',
      message: `${source.type} "${source.id}" never produces "${edge.on}" (only ${can})`,
    };
  }
  if (edge.on === 'hold') {
    return {
      path: ['on'],
      code: 'hold_edge',
      message: `"hold" reopens gate "${source.id}" itself: an edge on it is never followed`,
    };
  }
  // The runtime follows exactly one edge per outcome; a second one would be silently ignored.
  if (followed.has(outcomeKey(edge.from, edge.on))) {
    return {
      path: [],
      code: 'duplicate_edge',
      message: `"${source.id}" already has an edge for "${edge.on}"`,
    };
  }
  return undefined;
}

function outcomeKey(from: string, on: Outcome): string {
  // Node ids are slugs, so a space cannot occur in either part.
  return `${from} ${on}`;
}

/** Every producible outcome but `hold` (which reopens the same gate) needs an edge. */
function missingEdgeErrors(
  edges: readonly Edge[],
  byId: ReadonlyMap<string, Indexed>,
): TemplateError[] {
  const covered = new Set(edges.map((edge) => outcomeKey(edge.from, edge.on)));
  const errors: TemplateError[] = [];
  for (const { node, index } of byId.values()) {
    for (const outcome of new Set(outcomesOf(node))) {
      if (outcome === 'hold' || covered.has(outcomeKey(node.id, outcome))) continue;
      errors.push({
        path: ['nodes', index],
        nodeId: node.id,
        code: 'missing_edge',
        message: `${node.type} "${node.id}" can produce "${outcome}" but no edge leaves on it`,
      });
    }
  }
  return errors;
}

function unreachableErrors(
  start: string,
  live: readonly Edge[],
  byId: ReadonlyMap<string, Indexed>,
): TemplateError[] {
  const seen = closure([start], live, (edge) => [edge.from, edge.to]);
  return [...byId.values()]
    .filter(({ node }) => !seen.has(node.id))
    .map(({ node, index }) => ({
      path: ['nodes', index],
      nodeId: node.id,
      code: 'unreachable' as const,
      message: `${node.type} "${node.id}" cannot be reached from start "${start}"`,
    }));
}

function noEndErrors(live: readonly Edge[], byId: ReadonlyMap<string, Indexed>): TemplateError[] {
  const ends = [...byId.values()].filter(({ node }) => node.type === 'end');
  const seen = closure(
    ends.map(({ node }) => node.id),
    live,
    (edge) => [edge.to, edge.from],
  );
  return [...byId.values()]
    .filter(({ node }) => !seen.has(node.id))
    .map(({ node, index }) => ({
      path: ['nodes', index],
      nodeId: node.id,
      code: 'no_end' as const,
      message: `no end can be reached from ${node.type} "${node.id}"`,
    }));
}

/** Ids reachable from `roots` along edges, read as [tail, head] by `direction`. */
function closure(
  roots: readonly string[],
  edges: readonly Edge[],
  direction: (edge: Edge) => [string, string],
): Set<string> {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [tail, head] = direction(edge);
    const heads = next.get(tail);
    if (heads) heads.push(head);
    else next.set(tail, [head]);
  }
  const seen = new Set(roots);
  const queue = [...roots];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    for (const head of next.get(id) ?? []) {
      if (seen.has(head)) continue;
      seen.add(head);
      queue.push(head);
    }
  }
  return seen;
}
