/**
 * Every third-party module the workflows use is evaluated once per worker and shared by its
 * workflows (workflows/preload.ts; Zod's own checks are in zod-preload.test.ts): the suite's
 * bundle loaded by the SDK's own reusable context, which preloads and deep-freezes the shared
 * modules (test/support/workflow-sandbox.ts). No workflow evaluates a module of node_modules for
 * itself, and after the freeze several workflows, taking turns, hash and read durations exactly
 * as this process's unshared modules do: the idempotency scopes and fingerprints of the recorded
 * Update inputs, texts of every length around SHA-256's blocks (against node:crypto), and the
 * built-in templates' durations with malformed ones.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type * as DurationModule from '../../workflows/model/duration';
import type * as IdempotencyModule from '../../workflows/model/idempotency';
import { ACTION_NAMES } from '../../workflows/model/actions';
import { BUILTIN_TEMPLATES } from '../../workflows/model/builtin';
import * as duration from '../../workflows/model/duration';
import * as idempotency from '../../workflows/model/idempotency';
import { requireTestEnv, TEST_ENV } from '../support/env';
import { recordedInputs } from '../support/recorded-inputs';
import { openSandbox, type Sandbox, type SandboxWorkflow } from '../support/workflow-sandbox';

/** The modules the workflows enter each shared package by (their own imports resolve there). */
const ENTRIES = [
  '/node_modules/@noble/hashes/esm/sha2.js',
  '/node_modules/@noble/hashes/esm/utils.js',
  '/node_modules/tinyduration/dist/index.js',
  '/node_modules/@temporalio/workflow/lib/index.js',
];

/** Durations no template holds: malformed, negative, fractional, rounding to nothing, long. */
const MORE_DURATIONS = [
  ...['', 'P', 'PT', 'P1DT', 'P1D2H', 'P-1D', '-P1D', 'p1d', '1D', 'P1.5M', 'P1,5D'],
  ...['PT0.0001S', 'PT0.5S', 'P1Y2M3W4DT5H6M7.5S', 'P99999999Y', 'P1M', 'P12M'],
];

/** Every string of the built-in templates that is an ISO 8601 duration's shape. */
function templateDurations(): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string' && /^-?P[\dT]/.test(value) && value.length < 20) found.add(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(BUILTIN_TEMPLATES);
  return [...found];
}

/** What a call answered, or the error it threw, as plain data (another realm's objects). */
function answer(call: () => unknown): unknown {
  try {
    return JSON.parse(JSON.stringify({ value: call() ?? null })) as unknown;
  } catch (error) {
    return { thrown: (error as Error).message };
  }
}

/** Calls `call` with each workflow's module in turn and this process's: all must agree. */
function expectSameInTurns<M>(modules: M[], native: M, call: (module: M) => unknown): void {
  const expected = answer(() => call(native));
  for (const module of modules) expect(answer(() => call(module))).toEqual(expected);
}

describe('the third-party modules the workflows use, preloaded', () => {
  let sandbox: Sandbox;
  let workflows: SandboxWorkflow[];
  beforeAll(async () => {
    sandbox = await openSandbox(requireTestEnv(TEST_ENV.workflowBundle));
    workflows = [sandbox.open(), sandbox.open(), sandbox.open()];
  });
  afterAll(() => sandbox?.close());

  it('are evaluated once, not by each workflow', () => {
    for (const workflow of workflows) {
      const own = [...workflow.modules.keys()];
      // The workflow did evaluate its own modules, those that hash and read durations among them…
      expect(own).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/model\/idempotency\.ts$/),
          expect.stringMatching(/model\/duration\.ts$/),
        ]),
      );
      // …and none of node_modules: a module listed here is one workflows/preload.ts does not reach.
      expect(own.filter((id) => id.includes('/node_modules/'))).toEqual([]);
    }
    // The packages' modules are in the cache every workflow shares, frozen by the SDK.
    const code = readFileSync(requireTestEnv(TEST_ENV.workflowBundle), 'utf8');
    const ids = [...code.matchAll(/^\/\*{3}\/ "([^"]+)"/gm)].map((m) => m[1]!);
    for (const entry of ENTRIES) {
      const id = ids.find((candidate) => candidate.endsWith(entry));
      const exports = id === undefined ? undefined : sandbox.shared(id)?.exports;
      expect([entry, exports !== undefined && Object.isFrozen(exports)]).toEqual([entry, true]);
    }
  });

  it('hash after the freeze as an unshared SHA-256 does, workflows taking turns', () => {
    const modules = workflows.map((w) =>
      w.exportsOf<typeof IdempotencyModule>('/model/idempotency.ts'),
    );
    // Around the 64-byte block and the 55/56 bytes where the length no longer fits the last
    // one; three bytes a character too. Against node:crypto, another implementation.
    for (let length = 0; length <= 200; length++)
      for (const text of ['a'.repeat(length), 'é€'.repeat(length).slice(0, length)]) {
        const expected = createHash('sha256').update(text, 'utf8').digest('hex');
        for (const module of modules) expect(module.sha256Hex(text)).toBe(expected);
      }
    const { byAction } = recordedInputs();
    for (const name of ACTION_NAMES) {
      const inputs = byAction.get(name)!;
      expect([name, inputs.length > 0]).toEqual([name, true]);
      for (const recorded of inputs) {
        const input = sandbox.inRealm({
          ...(recorded as object),
          idempotencyKey: `key-${name}`,
        }) as IdempotencyModule.KeyedRequest;
        expectSameInTurns(modules, idempotency, (m) => m.keyScope(name, input));
        expectSameInTurns(modules, idempotency, (m) => m.requestFingerprint(name, input));
      }
    }
  });

  it('read durations after the freeze as an unshared tinyduration does', () => {
    const modules = workflows.map((w) => w.exportsOf<typeof DurationModule>('/model/duration.ts'));
    const templates = templateDurations();
    // The walk found the templates' durations: hours, days, weeks, months, no time.
    expect(templates).toEqual(expect.arrayContaining(['PT1H', 'P10D', 'P6W', 'P1M', 'PT0S']));
    const jan31 = Date.UTC(2024, 0, 31, 9, 30);
    for (const text of [...templates, ...MORE_DURATIONS]) {
      expectSameInTurns(modules, duration, (m) => m.parseDuration(text));
      expectSameInTurns(modules, duration, (m) => m.isPositiveDuration(text));
      expectSameInTurns(modules, duration, (m) => m.durationInWords(text));
      expectSameInTurns(modules, duration, (m) => m.addDurationTimes(jan31, text, 3));
      expectSameInTurns(modules, duration, (m) => m.subtractDuration(jan31, text));
    }
  });
});
