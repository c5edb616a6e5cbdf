/**
 * Reserved ids (SPEC §2): a slug that names a property of `Object.prototype` is refused
 * wherever a template holds a slug. The guard finds every slug position from the schema's
 * JSON Schema, independently of `reservedIdErrors`' own enumeration, plants `constructor` there
 * in the built-in template and expects an error at exactly that path.
 */
import { z } from 'zod';
import {
  isReservedId,
  opsIntegratedDelivery,
  RESERVED_IDS,
  reservedIdErrors,
  Slug,
  Template,
  validateNewTemplate,
  validateTemplate,
  BUILTIN_TEMPLATES,
} from '../../workflows/model';

type Json = Record<string, unknown>;
type Step = { prop: string } | { items: true; type?: string } | { keys: true };

const SLUG_PATTERN = (z.toJSONSchema(Slug) as { pattern?: string }).pattern;

/** Every path (in steps) of the schema to a string that must match the slug pattern. */
function slugPositions(schema: Json, root: Json, at: Step[] = []): Step[][] {
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    return slugPositions((root.$defs as Record<string, Json>)[name]!, root, at);
  }
  const found: Step[][] = [];
  if (schema.type === 'string' && schema.pattern === SLUG_PATTERN) found.push(at);
  for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    found.push(...slugPositions(sub, root, [...at, { prop: key }]));
  }
  if (schema.propertyNames) {
    found.push(...slugPositions(schema.propertyNames as Json, root, [...at, { keys: true }]));
  }
  for (const key of ['additionalProperties'] as const) {
    const sub = schema[key];
    if (sub && typeof sub === 'object') {
      found.push(...slugPositions(sub as Json, root, [...at, { prop: '*' }]));
    }
  }
  const items = schema.items as Json | undefined;
  if (items) {
    const branches = (items.oneOf ?? items.anyOf) as Json[] | undefined;
    if (branches) {
      for (const branch of branches) {
        const type = ((branch.properties as Json).type as { const: string }).const;
        found.push(...slugPositions(branch, root, [...at, { items: true, type }]));
      }
    } else found.push(...slugPositions(items, root, [...at, { items: true }]));
  }
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    for (const sub of (schema[key] ?? []) as Json[]) found.push(...slugPositions(sub, root, at));
  }
  return found;
}

/**
 * `template` with `constructor` at the position `steps` names (containers made as needed;
 * for a node type, the first node of that type or a new one): the path it now has.
 */
function plant(template: Json, steps: Step[]): { path: (string | number)[]; nodeId?: string } {
  let cur: Json | unknown[] = template;
  const path: (string | number)[] = [];
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    const next = steps[i + 1];
    const fresh = () => (next && 'items' in next ? [] : {});
    if ('keys' in step) {
      Object.assign(cur, { constructor: {} });
      path.push('constructor');
      return;
    }
    if ('prop' in step) {
      const obj = cur as Json;
      // A record's values: its first entry, or a new one.
      const key = step.prop === '*' ? (Object.keys(obj)[0] ?? 'entry') : step.prop;
      path.push(key);
      if (last) obj[key] = 'constructor';
      else cur = (obj[key] ??= fresh()) as Json;
      return;
    }
    const list = cur as unknown[];
    let index = step.type
      ? list.findIndex((item) => (item as Json).type === step.type)
      : list.length > 0
        ? 0
        : -1;
    if (index < 0) {
      list.push(step.type ? { type: step.type, id: `new-${step.type}`, name: 'New' } : fresh());
      index = list.length - 1;
    }
    path.push(index);
    if (last) list[index] = 'constructor';
    else cur = list[index] as Json;
  });
  // A node's error names the node; an edge's, the node it leaves (as validateTemplate's do).
  const item = (list: string) => (template[list] as Json[])[path[1] as number]!;
  if (path[0] === 'nodes') return { path, nodeId: item('nodes').id as string };
  if (path[0] === 'edges') return { path, nodeId: item('edges').from as string };
  return { path };
}

describe('reserved ids', () => {
  it('are the slugs among Object.prototype’s own names: constructor today', () => {
    const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
    const expected = Object.getOwnPropertyNames(Object.prototype).filter((n) => slug.test(n));
    expect([...RESERVED_IDS].sort()).toEqual(expected.sort());
    expect(RESERVED_IDS).toContain('constructor');
    expect(isReservedId('constructor')).toBe(true);
    expect(isReservedId('pilot')).toBe(false);
  });

  it('are in no built-in template', () => {
    for (const template of BUILTIN_TEMPLATES) {
      expect(reservedIdErrors(template)).toEqual([]);
      expect(validateNewTemplate(template).valid).toBe(true);
    }
  });

  const schema = z.toJSONSchema(Template, { io: 'input' }) as Json;
  const positions = slugPositions(schema, schema);
  const label = (steps: Step[]) =>
    steps
      .map((s) => ('prop' in s ? s.prop : 'keys' in s ? '{}' : s.type ? `[${s.type}]` : '[]'))
      .join('.');

  it('finds the slug positions of the schema', () => {
    expect(SLUG_PATTERN).toBe('^[a-z0-9]+(?:-[a-z0-9]+)*$');
    // Template key, roles, metrics, delivery, start, nodes of seven types, edges.
    expect(positions.length).toBeGreaterThan(40);
  });

  it.each(positions.map((steps) => [label(steps), steps] as const))(
    'reports constructor at %s',
    (_label, steps) => {
      const template = structuredClone(opsIntegratedDelivery) as unknown as Json;
      const { path, nodeId } = plant(template, steps);
      const errors = reservedIdErrors(template as unknown as Template);
      const error = errors.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
      expect(error).toEqual({
        path,
        ...(nodeId !== undefined && { nodeId }),
        code: 'reserved_id',
        message: expect.stringContaining('“constructor” is reserved; choose another'),
      });
    },
  );

  it('refuses a new template that validateTemplate (the workflow’s check) still accepts', () => {
    const template = structuredClone(opsIntegratedDelivery);
    const stage = template.nodes.findIndex((n) => n.type === 'stage');
    const node = template.nodes[stage]!;
    if (node.type !== 'stage') throw new Error('no stage');
    node.deliverables.push({ id: 'constructor', name: 'Constructor', required: true });
    const path = ['nodes', stage, 'deliverables', node.deliverables.length - 1, 'id'];
    // Running projects decide as they did: the workflow's validation is unchanged.
    expect(validateTemplate(template).valid).toBe(true);
    const checked = validateNewTemplate(template);
    expect(checked.valid).toBe(false);
    expect(checked.template).toBeUndefined();
    expect(checked.errors).toEqual([
      {
        path,
        nodeId: node.id,
        code: 'reserved_id',
        message: '“constructor” is reserved; choose another id',
      },
    ]);
  });

  it('adds its errors to those of the rules, and none to a template of the wrong shape', () => {
    const template = structuredClone(opsIntegratedDelivery);
    const id = template.nodes[0]!.id;
    template.nodes[0]!.id = 'constructor';
    const checked = validateNewTemplate(template);
    const rules = validateTemplate(template).errors;
    expect(rules.length).toBeGreaterThan(0);
    expect(checked.errors.slice(0, rules.length)).toEqual(rules);
    expect(checked.errors.slice(rules.length)).toContainEqual(
      expect.objectContaining({ path: ['nodes', 0, 'id'], nodeId: 'constructor' }),
    );
    expect(id).not.toBe('constructor');
    expect(validateNewTemplate({ key: 'constructor' })).toEqual(validateTemplate({ key: 'x' }));
  });
});
