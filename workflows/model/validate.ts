/**
 * Static validation of templates (SPEC §2): the one function the designer, the API and the
 * worker share. It never throws on any JSON input and returns every error it finds, each with
 * a stable code and the exact path of the field at fault, so each caller can point at it.
 */
import { z } from 'zod';
import { isPositiveDuration } from './duration';
import { TEMPLATE_LIMITS, Template } from './template';
import { utf8Bytes } from './text';
import { graphErrors } from './validate-graph';
import { deliveryErrors, metricRangeErrors } from './validate-metrics';
import { duplicateErrors, opsRoleErrors, referenceErrors } from './validate-refs';

/** Codes of shape errors: the input does not match the `Template` schema. */
export const SHAPE_ERROR_CODES = [
  'missing',
  'invalid_type',
  'invalid_value',
  'invalid_format',
  'invalid_duration',
  'invalid_text',
  'too_small',
  'too_big',
  'shape',
] as const;

/** Codes of semantic errors: a well-shaped template breaks a rule of SPEC §2. */
export const RULE_ERROR_CODES = [
  'duplicate_id',
  'duplicate_rule',
  'unknown_start',
  'unknown_node',
  'unknown_role',
  'unknown_metric',
  'outcome_not_produced',
  'hold_edge',
  'missing_edge',
  'duplicate_edge',
  'end_has_edges',
  'unreachable',
  'no_end',
  'no_operations_role',
  'missing_participants',
  'shared_signers',
  'no_stage_owner',
  'no_reviewer',
  'no_condition_owner',
  'metric_out_of_range',
  'reserved_id',
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
  const errors = [...sizeErrors(parsed.data), ...templateRuleErrors(parsed.data)];
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
    ...metricRangeErrors(template),
    ...deliveryErrors(template),
    ...graphErrors(template),
  ];
}

/** A template travels with every run of its projects' workflows: its size is capped. */
function sizeErrors(template: Template): TemplateError[] {
  const bytes = utf8Bytes(JSON.stringify(template));
  if (bytes <= TEMPLATE_LIMITS.bytes) return [];
  const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;
  return [
    {
      path: [],
      code: 'too_big',
      message: `the template takes ${kib(bytes)} as JSON; at most ${kib(TEMPLATE_LIMITS.bytes)}`,
    },
  ];
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
        : { code: 'invalid_type', message: issue.message };
    case 'invalid_value':
      return missing
        ? { code: 'missing', message: `required (one of ${issue.values.map(quote).join(', ')})` }
        : { code: 'invalid_value', message: issue.message };
    case 'invalid_union':
      // A missing or unknown `type` of a node lands here, at the discriminator's path.
      return missing
        ? { code: 'missing', message: `required: ${issue.message}` }
        : { code: 'invalid_value', message: issue.message };
    case 'invalid_format':
      return { code: 'invalid_format', message: issue.message };
    case 'too_small':
      return { code: 'too_small', message: issue.message };
    case 'too_big':
      return { code: 'too_big', message: issue.message };
    case 'custom':
      if ((issue.params as { code?: unknown } | undefined)?.code === 'invalid_text')
        return { code: 'invalid_text', message: issue.message };
      // Otherwise the refinements are the duration and list-size checks.
      return typeof value === 'string' && !isPositiveDuration(value)
        ? { code: 'invalid_duration', message: issue.message }
        : { code: 'invalid_value', message: issue.message };
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
