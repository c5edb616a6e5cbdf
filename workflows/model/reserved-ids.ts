/**
 * Reserved ids (SPEC §2): the lifecycle looks nodes, deliverables, criteria, metrics and roles
 * up by id on plain objects, so an id that names a property of `Object.prototype` (the one slug
 * among them is `constructor`) would find the prototype's value instead of nothing: a node of
 * that id breaks its project's first workflow task, a required deliverable of it counts as
 * submitted. New templates are refused with such an id anywhere a `Slug` stands.
 *
 * Not part of `validateTemplate`: workflow code calls that at a project's start and on a
 * migration, and replaying a project started on such a template must decide as it did then.
 * Workflow code never imports this module.
 */
import { boundErrors } from './duration-bounds';
import { Slug, Template, type Node } from './template';
import { validateTemplate, type TemplateError, type TemplateValidation } from './validate';

type Path = (string | number)[];

/**
 * The slugs a plain object answers without holding them: the names of `Object.prototype`'s
 * own properties that are slugs (today `constructor` alone). Computed, so an engine that adds
 * one is covered.
 */
export const RESERVED_IDS: readonly string[] = Object.getOwnPropertyNames(Object.prototype)
  .filter((name) => Slug.safeParse(name).success)
  .sort();

const reserved = new Set(RESERVED_IDS);

/** Whether `id` may not name anything in a template. */
export function isReservedId(id: string): boolean {
  return reserved.has(id);
}

/** The message of a reserved id at a key (`roles[].key`) or id position. */
export function reservedIdMessage(id: string, noun: 'id' | 'key' = 'id'): string {
  return `“${id}” is reserved; choose another ${noun}`;
}

/**
 * An error for every `Slug` position of `template` (ids, keys and the references to them)
 * holding a reserved id, at its exact path, with the node it concerns.
 */
export function reservedIdErrors(template: Template): TemplateError[] {
  const errors: TemplateError[] = [];
  const check = (value: string | undefined, path: Path, nodeId?: string) => {
    if (value === undefined || !reserved.has(value)) return;
    const noun = path[path.length - 1] === 'key' ? 'key' : 'id';
    const message = reservedIdMessage(value, noun);
    errors.push({ path, ...(nodeId !== undefined && { nodeId }), code: 'reserved_id', message });
  };
  const each = (values: readonly string[] | undefined, path: Path, nodeId?: string) =>
    values?.forEach((value, i) => check(value, [...path, i], nodeId));

  check(template.key, ['key']);
  template.roles.forEach((role, i) => check(role.key, ['roles', i, 'key']));
  template.metrics?.forEach((metric, i) => check(metric.key, ['metrics', i, 'key']));
  check(template.delivery?.handover, ['delivery', 'handover']);
  each(template.delivery?.costBy, ['delivery', 'costBy']);
  check(template.start, ['start']);
  template.nodes.forEach((node, i) => nodeIds(node, ['nodes', i], check, each));
  template.edges.forEach((edge, i) => {
    check(edge.from, ['edges', i, 'from'], edge.from);
    check(edge.to, ['edges', i, 'to'], edge.from);
  });
  return errors;
}

type Check = (value: string | undefined, path: Path, nodeId?: string) => void;
type Each = (values: readonly string[] | undefined, path: Path, nodeId?: string) => void;

/** Passes every slug position of one node to `check` or `each`. */
function nodeIds(node: Node, at: Path, check: Check, each: Each): void {
  const id = node.id;
  const ladder = (escalations: readonly { notify: readonly string[] }[] | undefined, path: Path) =>
    escalations?.forEach((e, k) => each(e.notify, [...path, k, 'notify'], id));
  const rules = (signoff: { rules: readonly { role: string }[] } | undefined, path: Path) =>
    signoff?.rules.forEach((rule, k) => check(rule.role, [...path, 'rules', k, 'role'], id));
  const ids = (items: readonly { id: string }[] | undefined, path: Path) =>
    items?.forEach((item, k) => check(item.id, [...path, k, 'id'], id));

  check(id, [...at, 'id'], id);
  check(node.owner, [...at, 'owner'], id);
  each(node.owners, [...at, 'owners'], id);
  switch (node.type) {
    case 'stage':
      ids(node.deliverables, [...at, 'deliverables']);
      ladder(node.sla?.escalate, [...at, 'sla', 'escalate']);
      break;
    case 'gate': {
      rules(node.signoff, [...at, 'signoff']);
      ids(node.criteria, [...at, 'criteria']);
      ids(node.deliverables, [...at, 'deliverables']);
      ladder(node.sla?.escalate, [...at, 'sla', 'escalate']);
      each(node.metrics, [...at, 'metrics'], id);
      const readiness = [...at, 'readiness'];
      node.readiness?.groups?.forEach((g, k) =>
        check(g.key, [...readiness, 'groups', k, 'key'], id),
      );
      node.readiness?.training?.roles.forEach((r, k) =>
        check(r.key, [...readiness, 'training', 'roles', k, 'key'], id),
      );
      break;
    }
    case 'hypercare':
      rules(node.exit, [...at, 'exit']);
      ladder(node.escalation, [...at, 'escalation']);
      each(node.notifyStart, [...at, 'notifyStart'], id);
      each(node.notifyIssues, [...at, 'notifyIssues'], id);
      node.issueSla?.forEach((sla, k) => ladder(sla.escalate, [...at, 'issueSla', k, 'escalate']));
      break;
    case 'review':
      rules(node.signoff, [...at, 'signoff']);
      ids(node.criteria, [...at, 'criteria']);
      each(node.metrics, [...at, 'metrics'], id);
      break;
    case 'monitor':
      each(node.reviewers, [...at, 'reviewers'], id);
      each(node.escalate, [...at, 'escalate'], id);
      break;
    case 'notify':
      each(node.to, [...at, 'to'], id);
      break;
    case 'end':
      break;
  }
}

/**
 * `validateTemplate` plus reserved ids and the bounds on durations (./duration-bounds.ts): what
 * a template must pass to be published, imported or shown as valid. Valid only when all three
 * find nothing.
 */
export function validateNewTemplate(input: unknown): TemplateValidation {
  const validation = validateTemplate(input);
  const parsed = validation.template ?? parsedShape(input);
  const more = parsed ? [...reservedIdErrors(parsed), ...boundErrors(parsed)] : [];
  if (more.length === 0) return validation;
  return { valid: false, errors: [...validation.errors, ...more] };
}

/** The template `input` is when its shape is right (even if a rule fails), else undefined. */
function parsedShape(input: unknown): Template | undefined {
  const parsed = Template.safeParse(input);
  return parsed.success ? parsed.data : undefined;
}
