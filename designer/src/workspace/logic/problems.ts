/**
 * problem+json `errors[]` placed where they belong on a form: grouped by the field under a
 * prefix (`['body', 'participants']` → per role), the rest shown as general messages.
 */

export interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

const startsWith = (path: (string | number)[], prefix: (string | number)[]) =>
  prefix.every((p, i) => String(path[i]) === String(p));

/** Messages under `prefix`, keyed by the path segment right after it ('' for the prefix itself). */
export function errorsByKey(
  errors: readonly FieldError[],
  prefix: (string | number)[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const e of errors) {
    if (!startsWith(e.path, prefix)) continue;
    const key = e.path.length > prefix.length ? String(e.path[prefix.length]) : '';
    (out[key] ??= []).push(e.message);
  }
  return out;
}

/** Errors under none of `prefixes`: what a form cannot pin to one of its fields. */
export function errorsOutside(
  errors: readonly FieldError[],
  prefixes: (string | number)[][],
): FieldError[] {
  return errors.filter((e) => !prefixes.some((p) => startsWith(e.path, p)));
}

/** A path for people: "criteria › budget", without the `body`/`query`/`params` root. */
export function pathLabel(path: readonly (string | number)[]): string {
  const rest = ['body', 'query', 'params'].includes(String(path[0])) ? path.slice(1) : path;
  return rest.map(String).join(' › ');
}
