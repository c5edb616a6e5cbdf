/**
 * The answer checker's closed reading of the OpenAPI document (test/support/answer-check.ts): a
 * copy in which an answer may carry no property its schema does not declare. Every object
 * schema that lists `properties` gets `unevaluatedProperties: false`, unless it says itself what
 * other properties may be (`additionalProperties`, `patternProperties`, `unevaluatedProperties`):
 * an open map (`additionalProperties: <schema>`) and a schema without `properties` stay open.
 *
 * A schema that is a branch of an `allOf`, or of an `anyOf`/`oneOf` beside `properties`, is one
 * part of an object: the part alone does not see its siblings' properties, so the closing goes
 * on the whole (JSON Schema's `unevaluatedProperties` sees every property a part evaluated)
 * and the part stays open. A component referenced as such a part is read through an open twin
 * (`x-answer-check-open`), so that it stays closed where it is used whole.
 *
 * The document itself stays open on purpose: it is the API's promise to clients, and a client
 * generated from `additionalProperties: false` would refuse the answers of a later version that
 * adds a field. Completeness is the API's duty, checked here, not a rule for its clients.
 */
import type { ErrorObject } from 'ajv';

type Schema = Record<string, unknown>;

const COMPONENTS = '#/components/schemas/';
const OPEN = 'x-answer-check-open';

/**
 * Keywords whose value is a schema, and those whose value is a list or a map of schemas.
 * `contentSchema`: what a string holds (the JSON `data` of a Server-Sent Event).
 */
const ONE = [
  'items',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
  'contentSchema',
] as const;
const MAP = ['properties', 'patternProperties', '$defs', 'dependentSchemas'] as const;
const LIST = ['prefixItems'] as const;
const BRANCHES = ['allOf', 'anyOf', 'oneOf'] as const;
/** What makes an object schema say for itself which other properties it takes. */
const OPENNESS = ['additionalProperties', 'patternProperties', 'unevaluatedProperties'] as const;

const isSchema = (value: unknown): value is Schema =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** A copy of the OpenAPI document whose schemas refuse undeclared answer properties. */
export function closedDocument(document: Record<string, unknown>): Record<string, unknown> {
  const components = ((document.components as Schema | undefined)?.schemas ?? {}) as Record<
    string,
    unknown
  >;
  const open: Record<string, unknown> = {};

  /** `part`: a parent closes this schema's object (it is one part of it). */
  function close(schema: unknown, part: boolean): unknown {
    if (!isSchema(schema)) return schema;
    const out: Schema = { ...schema };
    const declares = isSchema(schema.properties);
    // Properties of its own beside a reference or branches, or an allOf: an object in parts.
    const inParts = part || declares || Array.isArray(schema.allOf);
    const ref = schema.$ref;
    if (inParts && typeof ref === 'string' && ref.startsWith(COMPONENTS)) {
      const name = ref.slice(COMPONENTS.length);
      if (!(name in open) && name in components) {
        open[name] = {}; // taken before the twin is made: a component may refer to itself
        open[name] = close(components[name], true);
      }
      out.$ref = `#/${OPEN}/${encodeURIComponent(name)}`;
    }
    for (const key of ONE) if (key in schema) out[key] = close(schema[key], false);
    for (const key of LIST) {
      if (Array.isArray(schema[key])) out[key] = schema[key].map((s) => close(s, false));
    }
    for (const key of MAP) {
      if (isSchema(schema[key])) {
        const entries = Object.entries(schema[key]).map(([k, s]) => [k, close(s, false)]);
        out[key] = Object.fromEntries(entries);
      }
    }
    if (isSchema(schema.additionalProperties)) {
      out.additionalProperties = close(schema.additionalProperties, false);
    }
    for (const key of BRANCHES) {
      if (Array.isArray(schema[key])) out[key] = schema[key].map((s) => close(s, inParts));
    }
    const says = OPENNESS.some((key) => key in schema);
    if (!part && !says && inParts) out.unevaluatedProperties = false;
    return out;
  }

  return closeAll(structuredClone(document), open, close);
}

/**
 * Closes the document's schemas: the components and every operation's answers, the whole body
 * (`schema`) or each item of a stream (`itemSchema`: one Server-Sent Event).
 */
function closeAll(
  document: Record<string, unknown>,
  open: Record<string, unknown>,
  close: (schema: unknown, part: boolean) => unknown,
): Record<string, unknown> {
  const components = document.components as Schema | undefined;
  if (components && isSchema(components.schemas)) {
    const schemas = Object.entries(components.schemas).map(([k, s]) => [k, close(s, false)]);
    components.schemas = Object.fromEntries(schemas);
  }
  const paths = (document.paths ?? {}) as Record<string, Record<string, Schema>>;
  for (const methods of Object.values(paths)) {
    for (const operation of Object.values(methods)) {
      const responses = (operation.responses ?? {}) as Record<string, Schema>;
      for (const response of Object.values(responses)) {
        const content = (response.content ?? {}) as Record<string, Schema>;
        for (const media of Object.values(content)) {
          for (const key of ['schema', 'itemSchema']) {
            if (key in media) media[key] = close(media[key], false);
          }
        }
      }
    }
  }
  document[OPEN] = open;
  return document;
}

/** A JSON pointer token. */
const escape = (part: string) => part.replace(/~/g, '~0').replace(/\//g, '~1');

/** What ajv found wrong with a value, each with its JSON path; an undeclared property as such. */
export function mismatchesOf(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) =>
    e.keyword === 'unevaluatedProperties'
      ? `${e.instancePath}/${escape(String(e.params.unevaluatedProperty))} is not declared`
      : `${e.instancePath || '/'} ${e.message ?? e.keyword}`,
  );
}
