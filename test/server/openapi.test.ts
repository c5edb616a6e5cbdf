/**
 * The OpenAPI document: valid OpenAPI 3.2 (checked by @seriousme/openapi-schema-validator),
 * complete (every operation has its success answer with a schema and every problem status it
 * may answer, with their codes; an event stream each event it sends), the template format a
 * component used by reference, and every problem code the contract declares in snake_case.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { problemsOf, routes, type RouteName, type RouteSpec } from '../../server/contract';
import { openApiDocument } from '../../server/openapi';

interface Operation {
  operationId: string;
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown; itemSchema?: unknown }> }
  >;
}

const VALIDATOR = path.join(__dirname, '../support/openapi-validate.mjs');

/** The validator's verdict (it runs in a child process: it ships ES modules only). */
function validate(document: unknown): { valid: boolean; errors: unknown[] } {
  const run = spawnSync(process.execPath, [VALIDATOR], {
    input: JSON.stringify(document),
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as { valid: boolean; errors: unknown[] };
}

const document = openApiDocument() as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
const operations = new Map(
  Object.values(document.paths).flatMap((methods) =>
    Object.values(methods).map((op) => [op.operationId as RouteName, op] as const),
  ),
);
const names = Object.keys(routes) as RouteName[];

it('is valid OpenAPI 3.2', () => {
  expect(document).toMatchObject({ openapi: '3.2.0' });
  expect(validate(document)).toEqual({ valid: true, errors: [] });
});

it('is refused by the validator when broken (the check can fail)', () => {
  const broken = structuredClone(document) as unknown as Record<string, unknown>;
  delete broken.info;
  expect(validate(broken).valid).toBe(false);
});

it('has every route as an operation', () => {
  expect([...operations.keys()].sort()).toEqual([...names].sort());
});

it.each(names)('%s: declares its success with a schema and each problem status', (name) => {
  const spec: RouteSpec = routes[name];
  const op = operations.get(name)!;
  const ok = op.responses[String(spec.status)]!;
  if (spec.response === 'none') expect(ok.content).toBeUndefined();
  else if (spec.response === 'csv') expect(Object.keys(ok.content!)).toEqual(['text/csv']);
  else if (spec.response === 'event-stream') {
    expect(Object.keys(ok.content!)).toEqual(['text/event-stream']);
    // Each event it sends, its data a JSON component, and the frame that sets `retry`.
    const items = ok.content!['text/event-stream']!.itemSchema as {
      oneOf: { properties: { event?: { const: string }; data?: { contentSchema: unknown } } }[];
    };
    const events = items.oneOf.flatMap((a) =>
      a.properties.event ? [a.properties.event.const] : [],
    );
    expect(events).toEqual(Object.keys(spec.events.events));
    for (const alternative of items.oneOf.filter((a) => a.properties.event)) {
      expect(alternative.properties.data).toMatchObject({
        contentMediaType: 'application/json',
        contentSchema: { $ref: expect.stringMatching(/^#\/components\/schemas\//) },
      });
    }
    expect(items.oneOf.at(-1)).toMatchObject({ properties: { retry: { const: 2000 } } });
  } else expect(ok.content!['application/json']!.schema).toBeDefined();
  const problems = problemsOf(spec);
  for (const [status, codes] of Object.entries(problems)) {
    const schema = op.responses[status]!.content!['application/problem+json']!.schema;
    expect(JSON.stringify(schema)).toContain('#/components/schemas/Problem');
    expect(schema).toMatchObject({ allOf: [{}, { properties: { code: { enum: codes } } }] });
  }
  expect(Object.keys(op.responses).sort()).toEqual(
    [
      String(spec.status),
      ...Object.keys(spec.otherResponses ?? {}),
      ...Object.keys(problems),
    ].sort(),
  );
  // Statuses only a client's mistake or our own fault can make are there for every route.
  expect(Object.keys(problems)).toEqual(expect.arrayContaining(['400', '500', '503']));
});

it('has the template format as a component, referenced where a template is answered', () => {
  expect(document.components.schemas.Template).toMatchObject({ type: 'object' });
  const version = JSON.stringify(document.components.schemas.TemplateVersion);
  expect(version).toContain('"$ref":"#/components/schemas/Template"');
  expect(
    operations.get('getVersion')!.responses['200']!.content!['application/json']!.schema,
  ).toEqual({ $ref: '#/components/schemas/TemplateVersion' });
  // Every reference resolves to a component.
  const refs = JSON.stringify(document).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
  for (const ref of new Set(refs)) {
    expect(Object.keys(document.components.schemas)).toContain(
      ref.slice(1, -1).replace('#/components/schemas/', ''),
    );
  }
});

it('declares every problem code in snake_case', () => {
  const codes = names.flatMap((name) => Object.values(problemsOf(routes[name])).flat());
  expect(codes.length).toBeGreaterThan(50);
  expect([...new Set(codes)].filter((code) => !/^[a-z]+(_[a-z]+)*$/.test(code))).toEqual([]);
});

it("declares what a bulk migration's answer says may still change", () => {
  const view = document.components.schemas.MigrationView as {
    properties: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
  };
  const job = view.properties.job!;
  expect(job.properties).toMatchObject({ provisional: { type: 'integer' } });
  expect(job.required).toContain('provisional');
  const item = (view.properties.items as unknown as { items: { properties: object } }).items;
  expect(item.properties).toMatchObject({
    settledLate: { type: 'string' },
    answeredLate: { type: 'string' },
    provisional: { type: 'boolean' },
  });
});

it("declares where each listed project stands (the portfolio's rows need no other call)", () => {
  const list = operations.get('listProjects')!.responses['200']!.content!['application/json']!;
  expect(JSON.stringify(list.schema)).toContain('"$ref":"#/components/schemas/ProjectSummary"');
  const summary = document.components.schemas.ProjectSummary as {
    properties: Record<string, { properties?: Record<string, unknown> }>;
    required: string[];
  };
  expect(Object.keys(summary.properties.progress?.properties ?? {})).toEqual([
    'current',
    'hypercare',
    'cost',
  ]);
  // Additive: clients that know no `progress` read the list as before.
  expect(summary.required).not.toContain('progress');
});
