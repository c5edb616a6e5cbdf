/**
 * What the API refuses on top of the model's checks so that no project it starts is handed an
 * instant it cannot hold. The model takes any duration that fits in a date counted from 1970,
 * but a project adds its durations to today and to each other: "P273780Y" after 2026 is past
 * the last date JavaScript holds (a NaN deadline), "P99999999999D" is a finite number no date
 * holds ("Invalid time value" wherever the instant is written out). Criteria weights summing
 * past the largest number make every score NaN.
 *
 * These checks live here, at publish time and at the API's door, not in `validateTemplate`:
 * the worker validates a project's template again when its first run starts, and a replay of
 * a project started before would fail on a rule it did not have then.
 */
import {
  addDuration,
  validateNewTemplate,
  type ErrorPath,
  type Node,
  type Template,
  type TemplateError,
  type TemplateValidation,
} from '../workflows/model';
import type { FieldError } from './problem';

/** The longest duration a template or an action may name, and hypercare may run in all. */
export const MAX_DURATION = 'P1000Y';
const MAX_MS = addDuration(0, MAX_DURATION);

/** How far `text` moves the epoch, when it is a duration within MAX_DURATION; else undefined. */
function boundedMs(text: string): number | undefined {
  let ms: number;
  try {
    ms = addDuration(0, text);
  } catch {
    return undefined;
  }
  return Number.isFinite(ms) && ms <= MAX_MS ? ms : undefined;
}

const TOO_LONG = `at most ${MAX_DURATION} (1000 years): a project adds it to today's date`;

/** Keys of a node's fields (at any depth) that hold a duration or a list of them. */
const DURATION_KEYS = new Set([
  'due',
  'remind',
  'after',
  'duration',
  'extendBy',
  'every',
  'reviewWithin',
  'respond',
  'resolve',
]);

/** Every duration inside `value` (a valid template's node or part of one), with its path. */
function durationsIn(value: unknown, path: ErrorPath, out: [ErrorPath, string][]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => durationsIn(item, [...path, i], out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, field] of Object.entries(value)) {
    const at = [...path, key];
    if (!DURATION_KEYS.has(key)) durationsIn(field, at, out);
    else if (typeof field === 'string') out.push([at, field]);
    else if (Array.isArray(field)) {
      field.forEach((item, i) => typeof item === 'string' && out.push([[...at, i], item]));
    }
  }
}

function nodeErrors(node: Node, path: ErrorPath): TemplateError[] {
  const error = (at: ErrorPath, code: TemplateError['code'], message: string): TemplateError => ({
    path: at,
    nodeId: node.id,
    code,
    message,
  });
  const durations: [ErrorPath, string][] = [];
  durationsIn(node, path, durations);
  const errors = durations
    .filter(([, text]) => boundedMs(text) === undefined)
    .map(([at]) => error(at, 'invalid_duration', TOO_LONG));
  if (node.type === 'hypercare' && errors.length === 0 && node.extendBy !== undefined) {
    const total = boundedMs(node.duration)! + (node.maxExtensions ?? 0) * boundedMs(node.extendBy)!;
    if (!(total <= MAX_MS)) {
      errors.push(
        error(
          [...path, 'maxExtensions'],
          'too_big',
          `with every extension taken, hypercare would run past ${MAX_DURATION} (1000 years)`,
        ),
      );
    }
  }
  if (node.type === 'gate' || node.type === 'review') {
    let weights = 0;
    for (const [i, c] of (node.criteria ?? []).entries()) {
      if (c.kind !== 'should') continue;
      weights += c.weight ?? 1;
      if (!Number.isFinite(weights)) {
        errors.push(
          error(
            [...path, 'criteria', i, 'weight'],
            'too_big',
            'the weights of the scored criteria must sum to a number (scale them down)',
          ),
        );
        break;
      }
    }
  }
  return errors;
}

/** The errors of a valid template that its projects could not run. */
export function boundErrors(template: Template): TemplateError[] {
  return template.nodes.flatMap((node, i) => nodeErrors(node, ['nodes', i]));
}

/**
 * `validateNewTemplate` (the model's rules and reserved ids), then these bounds: what the API
 * and the CLI check and publish by.
 */
export function validateForPublish(input: unknown): TemplateValidation {
  const validation = validateNewTemplate(input);
  if (!validation.valid || validation.template === undefined) return validation;
  const errors = boundErrors(validation.template);
  return errors.length === 0 ? validation : { valid: false, errors };
}

/**
 * Due dates of an action's input (a `go`'s conditions, a review's follow-up action) beyond
 * MAX_DURATION, as field errors of the body. A calendar date ("2027-03-31") always fits.
 */
export function actionDurationErrors(input: object): FieldError[] {
  const fields = input as { due?: unknown; conditions?: { due?: unknown }[] };
  const found: [ErrorPath, unknown][] = [[['body', 'due'], fields.due]];
  for (const [i, c] of (fields.conditions ?? []).entries()) {
    found.push([['body', 'conditions', i, 'due'], c.due]);
  }
  return found
    .filter(
      ([, due]) => typeof due === 'string' && due.startsWith('P') && boundedMs(due) === undefined,
    )
    .map(([path]) => ({ path, code: 'invalid_duration', message: TOO_LONG }));
}
