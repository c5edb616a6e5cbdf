/**
 * The designer's validation: the shared `validateNewTemplate`, which checks the template's rules
 * (the graph, references, roles, reserved ids, bounds) only once its shape is right. While a text is merely over its
 * length (a node's name of 201 characters), that would hide every other problem of the
 * template; so, when over-long texts are the only shape errors, the rules are also checked over
 * a copy with those texts cut to their length — for that check only: the template keeps its
 * texts, and their errors stay listed first. Anything else wrong with the shape: as shared.
 */
import {
  Template as TemplateSchema,
  boundErrors,
  reservedIdErrors,
  templateRuleErrors,
  validateNewTemplate,
  type Template,
  type TemplateValidation,
} from '../../../workflows/model';

export function validateInDesigner(template: Template): TemplateValidation {
  const shared = validateNewTemplate(template);
  if (shared.valid) return shared;
  const parsed = TemplateSchema.safeParse(template);
  if (parsed.success) return shared;
  const issues = parsed.error.issues;
  const long = issues.every((i) => i.code === 'too_big' && i.origin === 'string');
  if (!long) return shared;
  const copy = structuredClone(template) as unknown;
  for (const issue of issues) {
    if (issue.code !== 'too_big' || !clip(copy, issue.path, Number(issue.maximum))) return shared;
  }
  const cut = TemplateSchema.safeParse(copy);
  if (!cut.success) return shared;
  const rules = [
    ...templateRuleErrors(cut.data),
    ...reservedIdErrors(cut.data),
    ...boundErrors(cut.data),
  ];
  return { valid: false, errors: [...shared.errors, ...rules] };
}

/** Cuts the string at `path` to `max` UTF-16 units (not inside a surrogate pair). */
function clip(root: unknown, path: readonly PropertyKey[], max: number): boolean {
  const last = path.at(-1);
  let parent = root;
  for (const key of path.slice(0, -1)) {
    if (typeof parent !== 'object' || parent === null) return false;
    parent = (parent as Record<PropertyKey, unknown>)[key];
  }
  if (typeof parent !== 'object' || parent === null || last === undefined) return false;
  const holder = parent as Record<PropertyKey, unknown>;
  const text = holder[last];
  if (typeof text !== 'string' || !Number.isInteger(max)) return false;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  holder[last] = text.slice(0, end);
  return true;
}
