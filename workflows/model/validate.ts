/**
 * Static validation of templates (SPEC §2): the one function the designer, the API and the
 * worker share. It never throws on any JSON input and returns every error it finds, each with
 * a stable code and the exact path of the field at fault, so each caller can point at it.
 */
import { z } from 'zod';
import { isPositiveDuration } from './duration';
import { Template } from './template';
import { graphErrors } from './validate-graph';
import { duplicateErrors, opsRoleErrors, referenceErrors, signoffRules } from './validate-refs';

/** Codes of shape errors: the input does not match the `Template` schema. */
export const SHAPE_ERROR_CODES = [
  'missing',
  'invalid-type',
  'invalid-value',
  'invalid-format',
  'invalid-duration',
  'too-small',
  'too-big',
  'shape',
] as const;

/** Codes of semantic errors: a well-shaped template breaks a rule of SPEC §2. */
export const RULE_ERROR_CODES = [
  'duplicate-id',
  'duplicate-rule',
  'unknown-start',
  'unknown-node',
  'unknown-role',
  'unknown-metric',
  'outcome-not-produced',
  'hold-edge',
  'missing-edge',
  'duplicate-edge',
  'end-has-edges',
  'unreachable',
  'no-end',
  'no-operations-role',
  'missing-participants',
] as const;

/** Every error code; stable across releases so clients may switch on it. */
export const TemplateErrorCode = z.enum([...SHAPE_ERROR_CODES, ...RULE_ERROR_CODES]);
export type TemplateErrorCode = z.infer<typeof TemplateErrorCode>;

/** Path of a field in the validated JSON: object keys and array indexes. */
export const ErrorPath = z.array(z.union([z.string(), z.number()]));
export type ErrorPath = z.infer<typeof ErrorPath>;

/** One problem with a template, located by `path` (and the node it concerns, when one does). */
export const TemplateError = z.object({
  path: ErrorPath,
  /** The node to highlight in the designer. */
  nodeId: z.string().optional(),
  code: TemplateErrorCode,
  message: z.string(),
});
export type TemplateError = z.infer<typeof TemplateError>;

/** Result of `validateTemplate`: the parsed template only when there is no error at all. */
export const TemplateValidation = z.object({
  valid: z.boolean(),
  errors: z.array(TemplateError),
  template: Template.optional(),
});
export type TemplateValidation = z.infer<typeof TemplateValidation>;

/** Checks shape, then (when the shape is right) every semantic rule; never throws. */
export function validateTemplate(input: unknown): TemplateValidation {
  const parsed = Template.safeParse(input);
  if (!parsed.success) {
    return { valid: false, errors: parsed.error.issues.map((issue) => shapeError(input, issue)) };
  }
  const errors = templateRuleErrors(parsed.data);
  return errors.length === 0
    ? { valid: true, errors, template: parsed.data }
    : { valid: false, errors };
}

/** Every semantic rule of SPEC §2 over a well-shaped template. */
export function templateRuleErrors(template: Template): TemplateError[] {
  return [
    ...duplicateErrors(template),
    ...referenceErrors(template),
    ...opsRoleErrors(template),
    ...graphErrors(template),
  ];
}

/**
 * Participants a project would start with, checked against the template's quorum rules:
 * `missing-participants` per role with too few distinct users, `unknown-role` per stray key.
 */
export function checkParticipants(
  template: Template,
  participants: Record<string, string[]>,
): TemplateError[] {
  const errors: TemplateError[] = [];
  const roleKeys = new Set(template.roles.map((role) => role.key));
  for (const key of Object.keys(participants)) {
    if (!roleKeys.has(key)) {
      errors.push({
        path: ['participants', key],
        code: 'unknown-role',
        message: `"${key}" is not a role of template "${template.key}"`,
      });
    }
  }
  const needs = new Map<string, { nodeId: string; label: string; min: number }[]>();
  for (const node of template.nodes) {
    for (const rule of signoffRules(node)?.rules ?? []) {
      const list = needs.get(rule.role) ?? [];
      list.push({ nodeId: node.id, label: `${node.type} "${node.id}"`, min: rule.min });
      needs.set(rule.role, list);
    }
  }
  for (const [role, list] of needs) {
    // Own properties only: a role named "constructor" must not find Object.prototype's.
    const users = Object.hasOwn(participants, role) ? participants[role] : undefined;
    const have = new Set(users ?? []).size;
    const short = list.filter((need) => need.min > have).sort((a, b) => b.min - a.min);
    const worst = short[0];
    if (worst === undefined) continue;
    const where = short.map((need) => `${need.label} needs ${need.min}`).join(', ');
    errors.push({
      path: ['participants', role],
      nodeId: worst.nodeId,
      code: 'missing-participants',
      message: `role "${role}" has ${have} distinct participant(s): ${where}`,
    });
  }
  return errors;
}

type Issue = z.core.$ZodIssue;

/** Maps a Zod issue to a stable, path-exact error; reads the input only through own keys. */
function shapeError(input: unknown, issue: Issue): TemplateError {
  // Zod paths may hold symbols; JSON never does, but the contract is (string|number)[].
  const path = issue.path.map((key) => (typeof key === 'symbol' ? String(key) : key));
  const nodeId = path[0] === 'nodes' ? valueAt(input, [...path.slice(0, 2), 'id']) : undefined;
  const { code, message } = describeIssue(issue, valueAt(input, path));
  return typeof nodeId === 'string' ? { path, nodeId, code, message } : { path, code, message };
}

/** Our code for a Zod issue; `value` is what the input holds at the issue's path. */
function describeIssue(issue: Issue, value: unknown): { code: TemplateErrorCode; message: string } {
  // Absent, or an own key holding `undefined` (possible from JS callers, never in JSON).
  const missing = value === undefined;
  switch (issue.code) {
    case 'invalid_type':
      return missing
        ? { code: 'missing', message: `required (${issue.expected})` }
        : { code: 'invalid-type', message: issue.message };
    case 'invalid_value':
      return missing
        ? { code: 'missing', message: `required (one of ${issue.values.map(quote).join(', ')})` }
        : { code: 'invalid-value', message: issue.message };
    case 'invalid_union':
      // A missing or unknown `type` of a node lands here, at the discriminator's path.
      return missing
        ? { code: 'missing', message: `required: ${issue.message}` }
        : { code: 'invalid-value', message: issue.message };
    case 'invalid_format':
      return { code: 'invalid-format', message: issue.message };
    case 'too_small':
      return { code: 'too-small', message: issue.message };
    case 'too_big':
      return { code: 'too-big', message: issue.message };
    case 'custom':
      // The template schema's only refinements are the duration checks.
      return typeof value === 'string' && !isPositiveDuration(value)
        ? { code: 'invalid-duration', message: issue.message }
        : { code: 'invalid-value', message: issue.message };
    default:
      return { code: 'shape', message: issue.message };
  }
}

function quote(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : String(value);
}

/** The value at `path` in untrusted input, following own properties only; else undefined. */
function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}
