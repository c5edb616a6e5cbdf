/**
 * Zod is evaluated once per worker and shared by its workflows (workflows/preload.ts): the
 * suite's bundle loaded by the SDK's own reusable context, which preloads and deep-freezes the
 * shared modules (test/support/workflow-sandbox.ts). No workflow evaluates a module of Zod for
 * itself, and after the freeze the schemas of several workflows answer every input exactly as
 * a Zod of their own does (this process's): recorded Update and start inputs of the replay
 * histories, the built-in templates, and invalid variants of each, whose refusals carry the
 * locale's messages.
 */
import type { z } from 'zod';
import type * as ActionsModule from '../../workflows/model/actions';
import type * as CommandsModule from '../../workflows/model/commands';
import type * as TemplateModule from '../../workflows/model/template';
import { ACTION_NAMES, ACTIONS } from '../../workflows/model/actions';
import { LIMITS, ProjectInput } from '../../workflows/model/commands';
import { Template } from '../../workflows/model/template';
import { BUILTIN_TEMPLATES } from '../../workflows/model/builtin';
import { requireTestEnv, TEST_ENV } from '../support/env';
import { recordedInputs } from '../support/recorded-inputs';
import { openSandbox, type Sandbox, type SandboxWorkflow } from '../support/workflow-sandbox';

/** Invalid variants of a valid object: empty, each key's value null, a too long caller. */
function invalidVariants(valid: unknown): unknown[] {
  const fields = valid as Record<string, unknown>;
  return [
    {},
    null,
    ...Object.keys(fields).map((key) => ({ ...fields, [key]: null })),
    { ...fields, actor: { userId: 'u'.repeat(LIMITS.userId + 1) } },
  ];
}

/** What a parse answered, as plain data (the sandbox's objects are of another realm). */
function outcome(schema: z.ZodType, value: unknown): unknown {
  const result = schema.safeParse(value);
  let thrown: unknown = 'none';
  try {
    schema.parse(value);
  } catch (error) {
    const { name, issues } = error as z.ZodError;
    thrown = { name, issues };
  }
  const answer = result.success
    ? { data: result.data }
    : { issues: result.error.issues, message: result.error.message, thrown };
  return JSON.parse(JSON.stringify(answer)) as unknown;
}

/** Parses `value` in every workflow and here; each must answer as this process's Zod. */
function expectSameEverywhere(
  sandbox: Sandbox,
  schemas: z.ZodType[],
  native: z.ZodType,
  value: unknown,
): void {
  const expected = outcome(native, value);
  for (const schema of schemas) expect(outcome(schema, sandbox.inRealm(value))).toEqual(expected);
}

/**
 * Where frozen objects (the SDK froze the shared modules, Zod among them, and the globals) are
 * held among everything reachable from the exports of a workflow's own modules.
 */
function frozenReachable(workflow: SandboxWorkflow): string[] {
  const seen = new Set<object>();
  const found: string[] = [];
  const walk = (value: unknown, at: string): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Object.isFrozen(value)) {
      found.push(at);
      return;
    }
    // Through getters too: a module's exports and an object's shape are accessors.
    for (const key of Reflect.ownKeys(value))
      walk((value as Record<PropertyKey, unknown>)[key], `${at}.${String(key)}`);
  };
  for (const [id, module] of workflow.modules)
    if (!id.includes('/node_modules/')) walk(module.exports, id);
  return found;
}

describe("the workflows' Zod, preloaded", () => {
  let sandbox: Sandbox;
  let workflows: SandboxWorkflow[];
  beforeAll(async () => {
    sandbox = await openSandbox(requireTestEnv(TEST_ENV.workflowBundle));
    workflows = [sandbox.open(), sandbox.open(), sandbox.open()];
  });
  afterAll(() => sandbox?.close());

  it('is evaluated once, not by each workflow', () => {
    for (const workflow of workflows) {
      const own = [...workflow.modules.keys()];
      // The workflow did evaluate its own modules, the schemas among them…
      expect(own).toEqual(expect.arrayContaining([expect.stringMatching(/model\/commands\.ts$/)]));
      // …and none of Zod's: a module listed here is one workflows/preload.ts does not reach.
      expect(own.filter((id) => id.includes('/node_modules/zod/'))).toEqual([]);
    }
    // Their schemas are instances of the same Zod classes.
    const [first, ...others] = workflows.map(
      (w) => w.exportsOf<typeof CommandsModule>('/model/commands.ts').SignoffBody,
    );
    for (const other of others)
      expect(Object.getPrototypeOf(other)).toBe(Object.getPrototypeOf(first));
  });

  it('holds nothing the freeze made read-only that Zod writes', () => {
    // Zod resets `lastIndex` of the pattern a check tests (a string format's, `.regex()`'s, a
    // URL's hostname and protocol) before each test: one of Zod's own shared patterns
    // (`z.email()`, `z.uuid()`, `.lowercase()`…), frozen, throws on the first parse. A schema's
    // `_zod.pattern` (Zod's for plain strings, numbers, booleans) is read for its source only,
    // and `_zod.version` is read only.
    const frozen = frozenReachable(sandbox.open());
    // The walk does reach what the preload froze…
    expect(frozen).toEqual(expect.arrayContaining([expect.stringMatching(/\._zod\.pattern$/)]));
    // …and none of it is written.
    expect(frozen.filter((at) => !/\._zod\.(pattern|version)$/.test(at))).toEqual([]);
  });

  it('parses every action input after the freeze as an unshared Zod does', () => {
    const { byAction } = recordedInputs();
    const tables = workflows.map((w) => w.exportsOf<typeof ActionsModule>('/model/actions.ts'));
    for (const name of ACTION_NAMES) {
      const valid = byAction.get(name)!;
      // Every action is tried with at least one input it accepts.
      expect([name, valid.some((v) => ACTIONS[name].input.safeParse(v).success)]).toEqual([
        name,
        true,
      ]);
      const { command } = ACTIONS[name];
      for (const input of [...valid, ...invalidVariants(valid[0])]) {
        // As the workflow's Update validator parses it, and as the API does.
        const tagged = input && typeof input === 'object' ? { ...input, type: command } : input;
        const commandSchemas = tables.map((t) => t.ACTIONS[name].commandSchema as z.ZodType);
        expectSameEverywhere(sandbox, commandSchemas, ACTIONS[name].commandSchema, tagged);
        const inputSchemas = tables.map((t) => t.ACTIONS[name].input as z.ZodType);
        expectSameEverywhere(sandbox, inputSchemas, ACTIONS[name].input, input);
      }
    }
  });

  it('parses project inputs and templates after the freeze as an unshared Zod does', () => {
    const { starts } = recordedInputs();
    expect(starts.length).toBeGreaterThan(0);
    const inputs = workflows.map(
      (w) => w.exportsOf<typeof CommandsModule>('/model/commands.ts').ProjectInput as z.ZodType,
    );
    for (const start of starts)
      for (const input of [start, ...invalidVariants(start)])
        expectSameEverywhere(sandbox, inputs, ProjectInput, input);
    const templates = workflows.map(
      (w) => w.exportsOf<typeof TemplateModule>('/model/template.ts').Template as z.ZodType,
    );
    for (const template of BUILTIN_TEMPLATES) {
      const [first, ...rest] = template.nodes;
      const broken = [
        ...invalidVariants(template),
        { ...template, nodes: [{ ...first, type: 'unknown' }, ...rest] },
        { ...template, edges: [...template.edges, { from: 1, to: [], on: 'go' }] },
      ];
      for (const value of [template, ...broken])
        expectSameEverywhere(sandbox, templates, Template, value);
    }
  });
});
