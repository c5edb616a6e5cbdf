/**
 * Durations an action's input names (a `go`'s conditions, a review's follow-up action), bounded
 * as a template's are (workflows/model/duration-bounds.ts): a project adds them to today's date.
 */
import { boundedMs, TOO_LONG, type ErrorPath } from '../workflows/model';
import type { FieldError } from './problem';

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
