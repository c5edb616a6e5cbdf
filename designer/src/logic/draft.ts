/**
 * Drafts may be invalid (SPEC §4), and imports are arbitrary JSON, but the designer's forms
 * need every container they edit to exist. `coerceTemplate` keeps every value that has the
 * right JSON type and fills missing or mistyped containers with empty defaults, listing what
 * it changed; the validator then reports whatever is still wrong, exactly as for any edit.
 */
import {
  ADKAR_STAGES,
  NODE_TYPES,
  OUTCOMES,
  type AdkarStage,
  type Readiness,
  TEMPLATE_SCHEMA,
  type Node as TemplateNode,
  type NodeType,
  type Outcome,
  type Template,
} from '../../../workflows/model';
import type { XY } from './canvas';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number): number =>
  typeof v === 'number' && Number.isFinite(v) ? v : fallback;
const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/** Copies optional fields of the listed JSON types when present. */
function optional(from: Json, keys: Record<string, 'string' | 'number' | 'boolean'>): Json {
  const out: Json = {};
  for (const [key, type] of Object.entries(keys)) {
    if (typeof from[key] === type) out[key] = from[key];
  }
  return out;
}

const rules = (v: unknown) => ({
  rules: objects(isObject(v) ? v.rules : undefined).map((r) => ({
    role: str(r.role),
    min: num(r.min, 1),
  })),
});
/** A gate's or a review's criteria and pass score. */
const scoring = (raw: Json) => ({
  ...(Array.isArray(raw.criteria) && {
    criteria: objects(raw.criteria).map((c) => ({
      id: str(c.id),
      text: str(c.text),
      kind: c.kind === 'should' ? ('should' as const) : ('must' as const),
      ...optional(c, { weight: 'number' }),
    })),
  }),
  ...optional(raw, { passScore: 'number' }),
});
const escalations = (v: unknown) =>
  objects(v).map((e) => ({ after: str(e.after, 'PT0S'), notify: strings(e.notify) }));
const deliverableList = (v: unknown) =>
  objects(v).map((d) => ({ id: str(d.id), name: str(d.name), required: d.required === true }));
const sla = (v: unknown) =>
  isObject(v)
    ? {
        sla: {
          due: str(v.due),
          ...(Array.isArray(v.remind) && { remind: strings(v.remind) }),
          ...(Array.isArray(v.escalate) && { escalate: escalations(v.escalate) }),
        },
      }
    : {};

/** A gate's readiness checklist as far as it is shaped like one (validation says the rest). */
function readiness(v: unknown): { readiness?: Readiness } {
  if (!isObject(v)) return {};
  const training = isObject(v.training) ? v.training : undefined;
  const named = (o: Json) => ({ key: str(o.key), name: str(o.name) });
  return {
    readiness: {
      ...(Array.isArray(v.groups) && {
        groups: objects(v.groups).map((g) => ({
          ...named(g),
          ...((ADKAR_STAGES as readonly unknown[]).includes(g.stage) && {
            stage: g.stage as AdkarStage,
          }),
        })),
      }),
      ...(training && {
        training: {
          min: num(training.min, 1),
          roles: objects(training.roles).map((r) => ({
            ...named(r),
            ...optional(r, { min: 'number' }),
          })),
        },
      }),
      ...optional(v, { supportModel: 'boolean' }),
    },
  };
}

function coerceNode(raw: Json, index: number): TemplateNode | undefined {
  const type = raw.type;
  if (!NODE_TYPES.includes(type as NodeType)) return undefined;
  const base = {
    id: str(raw.id, `node-${index + 1}`),
    name: str(raw.name),
    ...optional(raw, { description: 'string', owner: 'string' }),
    ...(Array.isArray(raw.owners) && { owners: strings(raw.owners) }),
  };
  switch (type as NodeType) {
    case 'stage':
      return {
        ...base,
        type: 'stage',
        deliverables: deliverableList(raw.deliverables),
        ...sla(raw.sla),
      };
    case 'gate':
      return {
        ...base,
        type: 'gate',
        signoff: rules(raw.signoff),
        ...scoring(raw),
        ...optional(raw, { opsOptional: 'boolean', metricsAgreed: 'boolean' }),
        ...(Array.isArray(raw.metrics) && { metrics: strings(raw.metrics) }),
        ...readiness(raw.readiness),
        ...(Array.isArray(raw.deliverables) && { deliverables: deliverableList(raw.deliverables) }),
        ...sla(raw.sla),
        ...(Array.isArray(raw.decisions) && {
          decisions: strings(raw.decisions).filter((d): d is 'go' | 'recycle' | 'hold' | 'kill' =>
            ['go', 'recycle', 'hold', 'kill'].includes(d),
          ),
        }),
      };
    case 'hypercare':
      return {
        ...base,
        type: 'hypercare',
        duration: str(raw.duration),
        ...optional(raw, {
          extendBy: 'string',
          maxExtensions: 'number',
          blockingSeverity: 'number',
        }),
        exit: rules(raw.exit),
        escalation: escalations(raw.escalation),
        ...(Array.isArray(raw.notifyStart) && { notifyStart: strings(raw.notifyStart) }),
        ...(Array.isArray(raw.notifyIssues) && { notifyIssues: strings(raw.notifyIssues) }),
        ...(Array.isArray(raw.issueSla) && {
          issueSla: objects(raw.issueSla).map((t) => ({
            severity: num(t.severity, 1),
            respond: str(t.respond),
            resolve: str(t.resolve),
            ...(Array.isArray(t.remind) && { remind: strings(t.remind) }),
            ...(Array.isArray(t.escalate) && { escalate: escalations(t.escalate) }),
          })),
        }),
      };
    case 'review':
      return {
        ...base,
        type: 'review',
        signoff: rules(raw.signoff),
        ...scoring(raw),
        ...(Array.isArray(raw.metrics) && { metrics: strings(raw.metrics) }),
      };
    case 'monitor':
      return {
        ...base,
        type: 'monitor',
        every: str(raw.every),
        reviewers: strings(raw.reviewers),
        ...optional(raw, { alertAfter: 'number', reviewWithin: 'string' }),
        ...(Array.isArray(raw.escalate) && { escalate: strings(raw.escalate) }),
      };
    case 'notify':
      return { ...base, type: 'notify', to: strings(raw.to), message: str(raw.message) };
    case 'end': {
      const result = ['completed', 'killed', 'cancelled'].includes(str(raw.result))
        ? (raw.result as 'completed' | 'killed' | 'cancelled')
        : 'completed';
      return { ...base, type: 'end', result };
    }
  }
}

export type Coerced =
  { ok: true; template: Template; notes: string[] } | { ok: false; reason: string };

/** A template the designer can edit, built from any JSON value (or why none can be). */
export function coerceTemplate(input: unknown): Coerced {
  if (!isObject(input)) return { ok: false, reason: 'a template is a JSON object' };
  const notes: string[] = [];
  const nodes: TemplateNode[] = [];
  objects(input.nodes).forEach((raw, i) => {
    const node = coerceNode(raw, i);
    if (node) nodes.push(node);
    else notes.push(`node #${i + 1} has an unknown type "${String(raw.type)}" and was left out`);
  });
  const edges = objects(input.edges).flatMap((e) => {
    const on = str(e.on) as Outcome;
    if (OUTCOMES.includes(on)) return [{ from: str(e.from), to: str(e.to), on }];
    notes.push(`an edge with outcome "${String(e.on)}" was left out`);
    return [];
  });
  const layout: Record<string, XY> = {};
  if (isObject(input.layout)) {
    for (const [id, at] of Object.entries(input.layout)) {
      if (isObject(at)) layout[id] = { x: num(at.x, 0), y: num(at.y, 0) };
    }
  }
  if (input.schema !== TEMPLATE_SCHEMA) notes.push(`schema set to "${TEMPLATE_SCHEMA}"`);
  const template: Template = {
    schema: TEMPLATE_SCHEMA,
    key: str(input.key),
    name: str(input.name),
    ...optional(input, { description: 'string' }),
    roles: objects(input.roles).map((r) => ({
      key: str(r.key),
      name: str(r.name),
      ...optional(r, { operations: 'boolean' }),
    })),
    ...(Array.isArray(input.metrics) && {
      metrics: objects(input.metrics).map((m) => ({
        key: str(m.key),
        name: str(m.name),
        ...optional(m, { unit: 'string', baseline: 'number', min: 'number', max: 'number' }),
        target: num(m.target, 0),
        direction: m.direction === 'decrease' ? ('decrease' as const) : ('increase' as const),
      })),
    }),
    ...(isObject(input.delivery) && {
      delivery: {
        ...optional(input.delivery, { handover: 'string' }),
        ...(Array.isArray(input.delivery.costBy) && { costBy: strings(input.delivery.costBy) }),
      },
    }),
    start: str(input.start),
    nodes,
    edges,
    ...(isObject(input.layout) && { layout }),
  };
  return { ok: true, template, notes };
}
