/**
 * Locating validation errors in the designer: which node, edge or template field an error
 * belongs to, so the canvas can mark the node, the inspector can mark the field and a click
 * in the problems panel can select and focus it. Paths are those of `validateTemplate`.
 */
import type { Template, TemplateError } from '../../../workflows/model';
import { edgeIdsOf } from './canvas';

export type ErrorPath = TemplateError['path'];

/** Where an error points: a node (by id), an edge (by canvas id) or the template itself. */
export type ErrorTarget =
  | { kind: 'node'; id: string; index: number }
  | { kind: 'edge'; id: string; index: number }
  | { kind: 'template' };

/** A dotted key for a path: ["nodes", 2, "sla", "due"] → "nodes.2.sla.due". */
export function pathKey(path: readonly (string | number)[]): string {
  return path.join('.');
}

/** The DOM id of the inspector field for a template path. */
export function fieldDomId(path: readonly (string | number)[]): string {
  return `f-${pathKey(path)}`;
}

/** Field ids to try focusing for an error, most specific first (a list, then its owner…). */
export function focusCandidates(path: readonly (string | number)[]): string[] {
  const ids: string[] = [];
  for (let n = path.length; n >= 1; n--) ids.push(fieldDomId(path.slice(0, n)));
  return ids;
}

/**
 * Errors the server returns for a publish are about the stored draft: their paths start with
 * "draft". Strip it so they locate like the designer's own.
 */
export function fromServerPath(path: readonly (string | number)[]): (string | number)[] {
  return path[0] === 'draft' ? path.slice(1) : [...path];
}

/** What an error is about. Paths win over `nodeId`: they name the exact element. */
export function locate(
  template: Template,
  error: Pick<TemplateError, 'path' | 'nodeId'>,
): ErrorTarget {
  const [head, index] = error.path;
  if (head === 'nodes' && typeof index === 'number' && template.nodes[index]) {
    return { kind: 'node', id: template.nodes[index].id, index };
  }
  if (head === 'edges' && typeof index === 'number' && template.edges[index]) {
    return { kind: 'edge', id: edgeIdsOf(template.edges)[index]!, index };
  }
  if (error.nodeId !== undefined) {
    const at = template.nodes.findIndex((node) => node.id === error.nodeId);
    if (at >= 0) return { kind: 'node', id: error.nodeId, index: at };
  }
  return { kind: 'template' };
}

/**
 * What the problems list shows: the designer's own errors, each once, and those of a refused
 * publish that they do not already say (same path and message). The server validates with the
 * same function, so most of its errors repeat the designer's.
 */
export function mergeProblems<T extends Pick<TemplateError, 'path' | 'message'>>(
  own: readonly T[],
  server: readonly T[] = [],
): { own: T[]; serverOnly: T[] } {
  const seen = new Set<string>();
  const fresh = (problem: T) => {
    const key = JSON.stringify([problem.path, problem.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const mine = own.filter(fresh);
  return { own: mine, serverOnly: server.filter(fresh) };
}

/**
 * The notice of a refused publish: it counts what the problems list then shows (the
 * designer's own errors and the server's, each once), so the two never disagree.
 */
export function publishRefusedText<T extends Pick<TemplateError, 'path' | 'message'>>(
  own: readonly T[],
  server: readonly T[],
): string {
  const listed = mergeProblems(own, server);
  const count = listed.own.length + listed.serverOnly.length;
  return `Publish refused: ${count} problem(s), listed under Problems.`;
}

/** Error counts per node id and per edge id, for the red outlines on the canvas. */
export function errorCounts(
  template: Template,
  errors: readonly Pick<TemplateError, 'path' | 'nodeId'>[],
): { nodes: Map<string, number>; edges: Map<string, number> } {
  const nodes = new Map<string, number>();
  const edges = new Map<string, number>();
  for (const error of errors) {
    const target = locate(template, error);
    if (target.kind === 'node') nodes.set(target.id, (nodes.get(target.id) ?? 0) + 1);
    if (target.kind === 'edge') edges.set(target.id, (edges.get(target.id) ?? 0) + 1);
  }
  return { nodes, edges };
}

/** Error messages by exact path key, so a form field finds its own in O(1). */
export function errorIndex(
  errors: readonly Pick<TemplateError, 'path' | 'message'>[],
): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const error of errors) {
    const key = pathKey(error.path);
    index.set(key, [...(index.get(key) ?? []), error.message]);
  }
  return index;
}

/** A short, readable rendering of a path for the problems list: nodes.2.sla.due → "sla.due". */
export function describePath(template: Template, path: readonly (string | number)[]): string {
  const [head, index, ...rest] = path;
  if (head === 'nodes' && typeof index === 'number') {
    const id = template.nodes[index]?.id ?? `#${index}`;
    return [`node "${id}"`, ...rest].join(' › ');
  }
  if (head === 'edges' && typeof index === 'number') {
    const edge = template.edges[index];
    const name = edge ? `edge ${edge.from} —${edge.on}→ ${edge.to}` : `edge #${index}`;
    return [name, ...rest].join(' › ');
  }
  return path.length === 0 ? 'template' : pathKey(path);
}
