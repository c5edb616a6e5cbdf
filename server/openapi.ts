/**
 * The OpenAPI 3.2 document, generated from the contract (zod's JSON Schema): every operation
 * with its parameters, body, success answer and each problem status with the codes it may
 * carry. Named schemas (the template format, the problem document, the records the routes
 * answer with) are components, referenced where used. An event stream's answer declares each
 * event it sends (`itemSchema`, OpenAPI 3.2's schema of one item of a sequential media type:
 * one Server-Sent Event): see {@link eventItems}.
 */
import { z } from 'zod';
import { Template } from '../workflows/model';
import * as contract from './contract';
import {
  problemsOf,
  routes,
  type EventStream,
  type OpenApiDocument,
  type ResponseBody,
  type RouteSpec,
} from './contract';

const COMPONENT = '#/components/schemas/';
type JsonSchema = Record<string, unknown>;

/**
 * The schemas worth a name: the template format, and every schema the contract exports (the
 * problem document and the answers). Anything else is inlined where it is used.
 */
function namedSchemas(): Map<z.ZodType, string> {
  const named = new Map<z.ZodType, string>([[Template, 'Template']]);
  for (const [name, value] of Object.entries(contract)) {
    if (value instanceof z.ZodType && !named.has(value)) named.set(value, name);
  }
  return named;
}

/**
 * Converts every schema of the document at once, so that a named schema becomes one component
 * and each use of it a `$ref`. Answers the components and the JSON Schema of each schema given.
 */
function convert(schemas: Map<string, z.ZodType>): {
  components: Record<string, JsonSchema>;
  ref: (schema: z.ZodType) => JsonSchema;
} {
  const registry = z.registry<{ id: string }>();
  const named = namedSchemas();
  for (const [schema, id] of named) registry.add(schema, { id });
  // The rest under private ids, taken out of the components again below.
  const inline = new Map<z.ZodType, string>();
  for (const [id, schema] of schemas) {
    if (registry.has(schema) || inline.has(schema)) continue;
    inline.set(schema, `inline.${id}`);
    registry.add(schema, { id: `inline.${id}` });
  }
  const { schemas: converted } = z.toJSONSchema(registry, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
    uri: (id) => `${COMPONENT}${id}`,
  }) as { schemas: Record<string, JsonSchema> };
  // A private id is no component: each reference to one gets its schema in place.
  const bare = (schema: JsonSchema): JsonSchema => {
    const { $schema: _dialect, $id: _id, ...rest } = schema;
    return resolve(rest) as JsonSchema;
  };
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const { $ref, ...rest } = value as JsonSchema;
    const entries = Object.entries(rest).map(([key, v]) => [key, resolve(v)] as const);
    if (typeof $ref === 'string' && $ref.startsWith(`${COMPONENT}inline.`)) {
      return { ...bare(converted[$ref.slice(COMPONENT.length)]!), ...Object.fromEntries(entries) };
    }
    return { ...($ref !== undefined && { $ref }), ...Object.fromEntries(entries) };
  };
  const components: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(converted)) {
    if (!id.startsWith('inline.')) components[id] = bare(schema);
  }
  return {
    components,
    ref(schema) {
      const id = named.get(schema);
      if (id !== undefined) return { $ref: `${COMPONENT}${id}` };
      return bare(converted[inline.get(schema)!]!);
    },
  };
}

/** Every schema a route uses, under a unique id. */
function schemasOf(name: string, spec: RouteSpec): [string, z.ZodType][] {
  const out: [string, z.ZodType][] = [];
  for (const [where, schema] of [
    ['params', spec.params],
    ['query', spec.query],
  ] as const) {
    for (const [field, fieldSchema] of Object.entries(schema?.shape ?? {})) {
      out.push([`${name}.${where}.${field}`, fieldSchema as z.ZodType]);
    }
  }
  if (spec.body) out.push([`${name}.body`, spec.body]);
  for (const [status, body] of [
    [spec.status, spec.response],
    ...Object.entries(spec.otherResponses ?? {}),
  ] as const) {
    if (body instanceof z.ZodType) out.push([`${name}.response.${status}`, body]);
  }
  for (const [event, { data }] of Object.entries(spec.events?.events ?? {})) {
    out.push([`${name}.event.${event}`, data]);
  }
  return out;
}

/**
 * One Server-Sent Event of `stream`, as OpenAPI 3.2 models an item of `text/event-stream`: an
 * object of the event's fields (`event`, `data`, `id`, `retry`; comments are no part of it).
 * One alternative per event the stream sends, told apart by `event`; its `data` a line of
 * JSON (`contentMediaType` and `contentSchema`, JSON Schema's keywords for a string's
 * content), its `id` there only when the event carries one. The first frame only sets the
 * reconnection delay (`retry`), an item of its own.
 */
function eventItems(stream: EventStream, ref: (schema: z.ZodType) => JsonSchema): JsonSchema {
  const events = Object.entries(stream.events).map(([event, spec]) => ({
    title: event,
    description: spec.description,
    type: 'object',
    properties: {
      event: { const: event },
      data: { type: 'string', contentMediaType: 'application/json', contentSchema: ref(spec.data) },
      ...(spec.id !== undefined && { id: { type: 'string', description: spec.id } }),
    },
    required: ['event', 'data', ...(spec.id !== undefined ? ['id'] : [])],
  }));
  const retry = {
    title: 'retry',
    description: 'The first frame: how long a client waits before it reconnects, in ms.',
    type: 'object',
    properties: { retry: { const: stream.retryMs } },
    required: ['retry'],
  };
  return { oneOf: [...events, retry] };
}

function parameters(spec: RouteSpec, ref: (schema: z.ZodType) => JsonSchema) {
  const out: JsonSchema[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    for (const [name, field] of Object.entries(schema.shape)) {
      out.push({
        name,
        in: where,
        required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
        schema: ref(field as z.ZodType),
      });
    }
  }
  return out;
}

function success(
  status: number,
  body: ResponseBody,
  spec: RouteSpec,
  ref: (schema: z.ZodType) => JsonSchema,
): JsonSchema {
  if (body === 'none') {
    return status === 303
      ? { description: 'Redirect', headers: { Location: { schema: { type: 'string' } } } }
      : { description: 'Done (no body)' };
  }
  if (body === 'csv') {
    return {
      description: 'CSV (RFC 4180, UTF-8), a header row first',
      content: { 'text/csv': { schema: { type: 'string' } } },
    };
  }
  if (body === 'event-stream') {
    if (!spec.events) throw new Error(`${spec.path}: an event stream declares its events`);
    return {
      description: `Server-Sent Events: ${Object.keys(spec.events.events).join(', ')}`,
      content: { 'text/event-stream': { itemSchema: eventItems(spec.events, ref) } },
    };
  }
  return { description: 'Success', content: { 'application/json': { schema: ref(body) } } };
}

/** A problem status: the problem document, its `code` one of those listed. */
function problem(status: number, codes: readonly string[]): JsonSchema {
  return {
    description: `Problem: ${codes.join(', ')}`,
    content: {
      'application/problem+json': {
        schema: {
          allOf: [
            { $ref: `${COMPONENT}Problem` },
            {
              type: 'object',
              properties: { status: { const: status }, code: { enum: [...codes] } },
            },
          ],
        },
      },
    },
  };
}

export function openApiDocument(): OpenApiDocument {
  const all = Object.entries(routes) as [string, RouteSpec][];
  const { components, ref } = convert(
    new Map(all.flatMap(([name, spec]) => schemasOf(name, spec))),
  );
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of all) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = {
      [spec.status]: success(spec.status, spec.response, spec, ref),
    };
    for (const [status, body] of Object.entries(spec.otherResponses ?? {})) {
      responses[status] = success(Number(status), body, spec, ref);
    }
    for (const [status, codes] of Object.entries(problemsOf(spec))) {
      responses[status] = problem(Number(status), codes);
    }
    paths[path] ??= {};
    paths[path][spec.method] = {
      operationId: name,
      summary: spec.summary,
      ...(spec.access !== 'anyone' && { security: [{ bearer: [] }] }),
      'x-gatehouse-access': spec.access,
      parameters: parameters(spec, ref),
      ...(spec.body && {
        requestBody: {
          required: !spec.body.safeParse(undefined).success,
          content: { 'application/json': { schema: ref(spec.body) } },
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.2.0',
    info: {
      title: 'Gatehouse API',
      version: '1',
      description: 'Stage-gate lifecycles with operations at every gate (SPEC §4).',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: components,
    },
    paths,
  };
}
