/**
 * Published versions no project can run. Publishing refuses them now, but a version published
 * before a rule may break it: a reserved id (workflows/model/reserved-ids.ts), or a duration no
 * date can hold (workflows/model/duration-bounds.ts). Nothing starts or migrates onto such a version: the
 * project would break for good, or its worker with it.
 */
import { boundErrors, reservedIdErrors, type Template } from '../workflows/model';
import { HttpProblem } from './problem';

/**
 * Throws a 422 `invalid_template` problem when version `version` of a template cannot run:
 * each error keeps its own code (`reserved_id`, `invalid_duration`, `too_big`), its path is the
 * request's `field` (`body.version`, `body.template`) then the template's field.
 */
export function refuseUnrunnable(
  template: Template,
  version: number,
  field: (string | number)[],
): void {
  const found = [...reservedIdErrors(template), ...boundErrors(template)];
  if (found.length === 0) return;
  const what = `version ${version} of "${template.key}"`;
  throw new HttpProblem(
    422,
    'invalid_template',
    `${what} cannot run (${found.length} place(s)): publish a corrected version`,
    found.map((e) => ({
      path: [...field, ...e.path],
      code: e.code,
      message: `${what}, field ${e.path.join('.')}: ${e.message}`,
    })),
  );
}
