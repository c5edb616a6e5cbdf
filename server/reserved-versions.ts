/**
 * Published versions that hold a reserved id (workflows/model/reserved-ids.ts): publishing
 * refuses them now, but a version published before may hold one. Nothing runs on it: a
 * project started or migrated onto it would break (SPEC §2 "Reserved ids").
 */
import { reservedIdErrors, type Template } from '../workflows/model';
import { HttpProblem } from './problem';

/**
 * Throws a 422 `reserved_id` problem when version `version` of a template holds a reserved id:
 * each error's path is the request's `field` (`body.version`) then the template's field.
 */
export function refuseReservedIds(
  template: Template,
  version: number,
  field: (string | number)[],
): void {
  const found = reservedIdErrors(template);
  if (found.length === 0) return;
  const what = `version ${version} of "${template.key}"`;
  throw new HttpProblem(
    422,
    'reserved_id',
    `${what} uses a reserved id (${found.length} place(s)) and cannot run: publish a version without it`,
    found.map((e) => ({
      path: [...field, ...e.path],
      code: e.code,
      message: `${what}, field ${e.path.join('.')}: ${e.message}`,
    })),
  );
}
