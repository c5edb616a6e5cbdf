/**
 * What publishing refuses on top of the model's rules so that no project it starts is handed an
 * instant it cannot hold. The model takes any duration that fits in a date counted from 1970,
 * but a project adds its durations to today and to each other: "P273780Y" after 2026 is past
 * the last date JavaScript holds (a NaN deadline), "P99999999999D" is a finite number no date
 * holds ("Invalid time value" wherever the instant is written out). Criteria weights summing
 * past the largest number make every score NaN.
 *
 * Checked when a template is published (`validateNewTemplate`) and by the API before a project
 * starts or migrates onto a version (server/runnable-versions.ts), not in `validateTemplate`:
 * the worker validates a project's template again when its first run starts, and a replay of
 * a project started before would fail on a rule it did not have then. Workflow code never
 * imports this module.
 */
import { addDuration } from './duration';
import type { Node, Template } from './template';
import type { ErrorPath, TemplateError } from './validate';

/** The longest duration a template or an action may name, and hypercare may run in all. */
export const MAX_DURATION = 'P1000Y';
const MAX_MS = addDuration(0, MAX_DURATION);

/** How far `text` moves the epoch, when it is a duration within MAX_DURATION; else undefined. */
export function boundedMs(text: string): number | undefined {
  let ms: number;
  try {
    ms = addDuration(0, text);
  } catch {
    return undefined;
  }
  return Number.isFinite(ms) && ms <= MAX_MS ? ms : undefined;
}

export const TOO_LONG = `at most ${MAX_DURATION} (1000 years): a project adds it to today's date`;

/** Template fields (at any depth of a node) that hold a duration or a list of them (SPEC §2). */
export const DURATION_FIELDS: ReadonlySet<string> = new Set([
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
    if (!DURATION_FIELDS.has(key)) durationsIn(field, at, out);
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
