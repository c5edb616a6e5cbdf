/** The OpenAPI 3.1 document, generated from the contract's Zod schemas (zod's JSON Schema). */
import { z } from 'zod';
import { routes, type RouteSpec } from './contract';

const PROBLEM = {
  description: 'Problem details (RFC 9457)',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status', 'errors'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                path: { type: 'array' },
                code: { type: 'string' },
                message: { type: 'string' },
              },
            },
          },
        },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
}

function parameters(spec: RouteSpec) {
  const out: Record<string, unknown>[] = [];
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
        schema: jsonSchema(field as z.ZodType),
      });
    }
  }
  return out;
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(routes) as [string, RouteSpec][]) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}');
    const responses: Record<string, unknown> = { [spec.status]: { description: 'Success' } };
    for (const status of [
      400,
      ...(spec.access === 'anyone' ? [] : [401, 403]),
      // A body over the limit, or one not sent as JSON.
      ...(spec.body ? [413, 415] : []),
      ...(spec.failures ?? []),
    ])
      responses[status] = PROBLEM;
    paths[path] ??= {};
    paths[path][spec.method] = {
      operationId: name,
      summary: spec.summary,
      ...(spec.access !== 'anyone' && { security: [{ bearer: [] }] }),
      'x-gatehouse-access': spec.access,
      parameters: parameters(spec),
      ...(spec.body && {
        requestBody: {
          required: !spec.body.safeParse(undefined).success,
          content: { 'application/json': { schema: jsonSchema(spec.body) } },
        },
      }),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gatehouse API',
      version: '1',
      description: 'Stage-gate lifecycles with operations at every gate (SPEC §4).',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
