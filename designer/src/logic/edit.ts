/**
 * Template edits as pure functions: each takes a template and returns a new one, so the
 * history reducer can keep snapshots and undo is just "go back one".
 */
import {
  Slug,
  TEMPLATE_SCHEMA,
  type Escalation,
  type Node as TemplateNode,
  type NodeType,
  type Role,
  type Signoff,
  type Sla,
  type Template,
} from '../../../workflows/model';
import { edgeIdsOf, type XY } from './canvas';

/** A new template starts with a project manager and an operations role (ops at every gate). */
export const DEFAULT_ROLES: Role[] = [
  { key: 'pm', name: 'Project manager' },
  { key: 'ops-manager', name: 'Operations manager', operations: true },
];

export const TYPE_LABELS: Record<NodeType, string> = {
  stage: 'Stage',
  gate: 'Gate',
  hypercare: 'Hypercare',
  review: 'Review (PIR)',
  monitor: 'Monitor',
  notify: 'Notify',
  end: 'End',
};

/** An empty canvas with a default key, name and roles: the "New template" starting point. */
export function emptyTemplate(key = 'new-template', name = 'New template'): Template {
  return {
    schema: TEMPLATE_SCHEMA,
    key,
    name,
    roles: DEFAULT_ROLES.map((role) => ({ ...role })),
    start: '',
    nodes: [],
    edges: [],
    layout: {},
  };
}

/** `base`, `base-2`, `base-3`… : the first that no other key in `taken` uses. */
export function uniqueKey(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** `prefix-1`, `prefix-2`… : the first that `taken` does not hold (new ids in lists). */
export function nextSlug(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n++) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

/** A node id not used in the template: `gate-1`, `gate-2`… */
export function uniqueNodeId(template: Template, base: string): string {
  return nextSlug(
    base,
    template.nodes.map((node) => node.id),
  );
}

/**
 * A freshly dropped node, filled so it is valid on its own: sign-offs include an operations
 * role when the template has one, durations are the built-in template's usual ones.
 */
export function createNode(template: Template, type: NodeType, id: string): TemplateNode {
  const roles = template.roles.map((role) => role.key);
  const ops = template.roles.find((role) => role.operations)?.key;
  const lead = roles.find((role) => role !== ops) ?? roles[0] ?? 'pm';
  const opsRole = ops ?? lead;
  const signers = [...new Set([lead, opsRole])].map((role) => ({ role, min: 1 }));
  const name = `${TYPE_LABELS[type].replace(/ \(.*\)$/, '')} ${id.split('-').pop() ?? ''}`.trim();
  switch (type) {
    case 'stage':
      return { id, type, name, owner: lead, deliverables: [] };
    case 'gate':
      return { id, type, name, owner: lead, signoff: { rules: signers } };
    case 'hypercare':
      return {
        id,
        type,
        name,
        owner: opsRole,
        duration: 'P28D',
        exit: { rules: [{ role: opsRole, min: 1 }] },
        escalation: [{ after: 'PT0S', notify: [opsRole] }],
      };
    case 'review':
      return { id, type, name, owner: lead, signoff: { rules: signers } };
    case 'monitor':
      return { id, type, name, owner: opsRole, every: 'P1M', reviewers: [opsRole] };
    case 'notify':
      return { id, type, name, to: [lead], message: 'Please take note.' };
    case 'end':
      return { id, type, name, result: 'completed' };
  }
}

/** Adds a node of `type` at `position`; the first node of an empty template becomes start. */
export function addNode(
  template: Template,
  type: NodeType,
  position: XY,
): { template: Template; id: string } {
  const id = uniqueNodeId(template, type);
  const node = createNode(template, type, id);
  const startKnown = template.nodes.some((n) => n.id === template.start);
  return {
    id,
    template: {
      ...template,
      start: startKnown ? template.start : id,
      nodes: [...template.nodes, node],
      layout: { ...template.layout, [id]: position },
    },
  };
}

/** Replaces the node with id `id` (same id) by `next`. */
export function updateNode(template: Template, id: string, next: TemplateNode): Template {
  return { ...template, nodes: template.nodes.map((node) => (node.id === id ? next : node)) };
}

/** Renames a node everywhere it is referenced: edges, start, layout and the handover. */
export function renameNode(template: Template, from: string, to: string): Template {
  if (from === to) return template;
  const rename = (id: string) => (id === from ? to : id);
  const layout = template.layout && { ...template.layout };
  if (layout && layout[from] !== undefined) {
    layout[to] = layout[from]!;
    delete layout[from];
  }
  return {
    ...template,
    start: rename(template.start),
    nodes: template.nodes.map((node) => (node.id === from ? { ...node, id: to } : node)),
    edges: template.edges.map((edge) => ({
      ...edge,
      from: rename(edge.from),
      to: rename(edge.to),
    })),
    ...(layout && { layout }),
    ...(template.delivery?.handover !== undefined && {
      delivery: { ...template.delivery, handover: rename(template.delivery.handover) },
    }),
  };
}

/**
 * Renames a role everywhere it is referenced: node owners and joint owners, sign-off and
 * hypercare exit rules, SLA and hypercare escalations, who hears of hypercare and its issues
 * and their escalations, monitor reviewers and escalation, notify recipients, cost recorders.
 */
export function renameRole(template: Template, from: string, to: string): Template {
  if (from === to) return template;
  const role = (key: string) => (key === from ? to : key);
  const roles = (keys: string[]) => keys.map(role);
  const signoff = (s: Signoff): Signoff => ({
    ...s,
    rules: s.rules.map((rule) => ({ ...rule, role: role(rule.role) })),
  });
  const escalations = (list: Escalation[]): Escalation[] =>
    list.map((e) => ({ ...e, notify: roles(e.notify) }));
  const sla = (s: Sla): Sla => ({ ...s, ...(s.escalate && { escalate: escalations(s.escalate) }) });
  const owned = <N extends TemplateNode>(node: N): N => ({
    ...node,
    ...(node.owner !== undefined && { owner: role(node.owner) }),
    ...(node.owners && { owners: roles(node.owners) }),
  });
  const nodes = template.nodes.map((n): TemplateNode => {
    const node = owned(n);
    switch (node.type) {
      case 'stage':
        return { ...node, ...(node.sla && { sla: sla(node.sla) }) };
      case 'gate':
        return { ...node, signoff: signoff(node.signoff), ...(node.sla && { sla: sla(node.sla) }) };
      case 'hypercare':
        return {
          ...node,
          exit: signoff(node.exit),
          escalation: escalations(node.escalation),
          ...(node.notifyStart && { notifyStart: roles(node.notifyStart) }),
          ...(node.notifyIssues && { notifyIssues: roles(node.notifyIssues) }),
          ...(node.issueSla && {
            issueSla: node.issueSla.map((t) => ({
              ...t,
              ...(t.escalate && { escalate: escalations(t.escalate) }),
            })),
          }),
        };
      case 'review':
        return { ...node, signoff: signoff(node.signoff) };
      case 'monitor':
        return {
          ...node,
          reviewers: roles(node.reviewers),
          ...(node.escalate && { escalate: roles(node.escalate) }),
        };
      case 'notify':
        return { ...node, to: roles(node.to) };
      case 'end':
        return node;
    }
  });
  return {
    ...template,
    roles: template.roles.map((r) => (r.key === from ? { ...r, key: to } : r)),
    nodes,
    ...(template.delivery?.costBy && {
      delivery: { ...template.delivery, costBy: roles(template.delivery.costBy) },
    }),
  };
}

/** Why `key` cannot become a role's new key, or undefined when it can. */
export function roleKeyProblem(
  template: Template,
  current: string,
  key: string,
): string | undefined {
  const taken = template.roles.map((r) => r.key);
  return renameProblem(taken, current, key, `another role already has the key "${key}"`);
}

/** Why `id` cannot become a node's new id, or undefined when it can. */
export function nodeIdProblem(template: Template, current: string, id: string): string | undefined {
  const taken = template.nodes.map((node) => node.id);
  return renameProblem(taken, current, id, `another node already has the id "${id}"`);
}

/** Node ids and role keys alike: a slug that nothing else of the same kind uses. */
function renameProblem(
  taken: readonly string[],
  current: string,
  next: string,
  clash: string,
): string | undefined {
  const slug = Slug.safeParse(next);
  // The schema's own words: "required" for an empty one, else what a slug is.
  if (!slug.success) return slug.error.issues[0]?.message ?? 'not a slug';
  return next !== current && taken.includes(next) ? clash : undefined;
}

/**
 * Removes nodes (with every edge touching them and their positions) and edges by canvas id.
 * A deleted start stays named in `start` so the validator points at it rather than the
 * designer silently picking another entry point.
 */
export function deleteElements(
  template: Template,
  nodeIds: Iterable<string>,
  edgeIds: Iterable<string>,
): Template {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return template;
  const ids = edgeIdsOf(template.edges);
  const layout = template.layout && { ...template.layout };
  for (const id of nodes) if (layout) delete layout[id];
  return {
    ...template,
    nodes: template.nodes.filter((node) => !nodes.has(node.id)),
    edges: template.edges.filter(
      (edge, i) => !edges.has(ids[i]!) && !nodes.has(edge.from) && !nodes.has(edge.to),
    ),
    ...(layout && { layout }),
  };
}

/** Stores new positions for some nodes. */
export function moveNodes(template: Template, positions: Record<string, XY>): Template {
  return { ...template, layout: { ...template.layout, ...positions } };
}

/**
 * `obj` with `key` set to `value`, or without `key` when `value` is undefined: optional
 * template fields are left out rather than stored as undefined, so exports stay clean JSON.
 */
export function withField<T extends object, K extends keyof T>(
  obj: T,
  key: K,
  value: T[K] | undefined,
): T {
  const next = { ...obj };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}
