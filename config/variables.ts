/**
 * Environment variables as Zod schemas that explain themselves. Each variable is registered with
 * what it expects, so a wrong or missing value stops start-up with one line naming the variable,
 * the expectation and the value given (never the value of a secret).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { z } from 'zod';
import { parseDatabaseUrl } from '../db/database';

/** A bad environment; its message is the one line to print. */
export class ConfigError extends Error {}

export interface VariableMeta {
  /** What a valid value looks like, completing "expected …". */
  expected: string;
  /** Never echo the value (tokens, keys, URLs that may carry credentials). */
  secret?: boolean;
}

const variables = z.registry<VariableMeta>();

/** Set to the empty string (compose's `${X:-}`) counts as unset; surrounding spaces are dropped. */
function blankAsUnset(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** One variable: `schema` sees the trimmed value, or undefined when unset or blank. */
export function variable<T extends z.ZodType>(schema: T, meta: VariableMeta) {
  const field = z.preprocess(blankAsUnset, schema);
  variables.add(field, meta);
  return field;
}

/**
 * A custom issue whose message is the whole explanation (not "expected …, got …"): about the
 * variable being refined, or, from an object-level check, about the variable `name`.
 */
export function explained(ctx: z.RefinementCtx, message: string, name?: string): void {
  ctx.addIssue({
    code: 'custom',
    message,
    params: { explained: true },
    ...(name !== undefined && { path: [name] }),
  });
}

const Port = (min: number) =>
  z
    .string()
    .regex(/^\d{1,5}$/)
    .transform(Number)
    .pipe(z.number().min(min).max(65535));

/** A TCP port; `min: 0` lets the OS pick (tests) or, for optional listeners, turns them off. */
export const port = (fallback: number, options: { min?: number; expected?: string } = {}) => {
  const min = options.min ?? 0;
  return variable(Port(min).default(fallback), {
    expected: options.expected ?? `an integer ${min}..65535`,
  });
};

/** A name or host without spaces. */
export const word = (fallback: string, expected: string) =>
  variable(z.string().regex(/^\S+$/).default(fallback), { expected });

export const optionalText = (expected: string, options: { secret?: boolean } = {}) =>
  variable(z.string().optional(), { expected, ...options });

/** A URL of one of `protocols` (e.g. /^https?$/). */
export const optionalUrl = (
  protocol: RegExp,
  expected: string,
  options: { secret?: boolean } = {},
) => variable(z.url({ protocol }).optional(), { expected, ...options });

export const boolean = (expected = 'true or false') =>
  variable(z.stringbool().optional(), { expected });

export const oneOf = <const T extends readonly [string, ...string[]]>(
  values: T,
  fallback: T[number],
) => variable(z.enum(values).default(fallback), { expected: `one of ${values.join(', ')}` });

/** A path this process can read as a file; a path that is not explains why. */
export const readablePath = z.string().superRefine((file, ctx) => {
  const problem = unreadable(file);
  if (problem) explained(ctx, `cannot read ${JSON.stringify(file)}: ${problem}`);
});

/** The path of a file this process can read (certificates, keys): checked at load. */
export const readableFile = (expected: string) => variable(readablePath.optional(), { expected });

function unreadable(file: string): string | undefined {
  try {
    if (!statSync(file).isFile()) return 'not a file';
    accessSync(file, constants.R_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES') return 'permission denied';
    return code ?? String(error);
  }
}

const UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90d`, `12h`, `30m`, `45s` as milliseconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})(s|m|h|d)$/.exec(text);
  return match ? Number(match[1]) * UNITS_MS[match[2] as keyof typeof UNITS_MS] : undefined;
}

/** A duration like `90d`, `12h`, `30m` or `45s`, in milliseconds, between `min` and `max`. */
export const duration = (fallback: string, min: string, max: string, expected?: string) => {
  const [low, high] = [parseDuration(min)!, parseDuration(max)!];
  return variable(
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const ms = parseDuration(text);
        if (ms === undefined || ms < low || ms > high) {
          ctx.addIssue({ code: 'custom', message: 'out of range' });
          return z.NEVER;
        }
        return ms;
      }),
    { expected: expected ?? `a duration from ${min} to ${max} (like 30m, 12h, 90d)` },
  );
};

/**
 * How long to wait for something, in milliseconds: a duration like {@link duration}'s up to
 * `max`, or `0` for not at all.
 */
export const waitDuration = (fallback: string, max: string, expected: string) => {
  const high = parseDuration(max)!;
  return variable(
    z
      .string()
      .default(fallback)
      .transform((text, ctx) => {
        const ms = text === '0' ? 0 : parseDuration(text);
        if (ms === undefined || ms > high) {
          ctx.addIssue({ code: 'custom', message: 'out of range' });
          return z.NEVER;
        }
        return ms;
      }),
    { expected },
  );
};

/** A rate: at most `points` in every `windowMs`. */
export interface Rate {
  points: number;
  windowMs: number;
}

/** `600/1m`: at most 600 per minute; `off`: no limit. */
export const rate = (fallback: string) =>
  variable(
    z
      .string()
      .default(fallback)
      .transform((text, ctx): Rate | undefined => {
        if (text === 'off') return undefined;
        const match = /^(\d{1,7})\/(\w+)$/.exec(text);
        const windowMs = match ? parseDuration(match[2]!) : undefined;
        if (!match || windowMs === undefined || Number(match[1]) < 1 || windowMs < 1000) {
          ctx.addIssue({ code: 'custom', message: 'not a rate' });
          return z.NEVER;
        }
        return { points: Number(match[1]), windowMs };
      }),
    { expected: 'a count per duration like 600/1m, or off' },
  );

/** A comma-separated list of values each matching `item`. */
export const list = (item: RegExp, expected: string) =>
  variable(
    z
      .string()
      .transform((text) =>
        text
          .split(',')
          .map((part) => part.trim())
          .filter((p) => p !== ''),
      )
      .pipe(z.array(z.string().regex(item)).min(1))
      .optional(),
    { expected },
  );

const DATABASE_URL_META: VariableMeta = {
  expected: 'a postgres:// URL or an SQLite file such as sqlite:./data/gatehouse.db',
  secret: true,
};

/** `postgres://…` or an SQLite file (`sqlite:./data/gatehouse.db`, a plain path). */
export const isDatabaseUrl = (url: string): boolean => {
  try {
    parseDatabaseUrl(url);
    return true;
  } catch {
    // parseDatabaseUrl explains by throwing; here the answer is just "not a database URL".
    return false;
  }
};

/** The app database; a secret, as a PostgreSQL URL carries the password. */
export const databaseUrl = (fallback: string) =>
  variable(z.string().refine(isDatabaseUrl).default(fallback), DATABASE_URL_META);

/** As {@link databaseUrl}, for a process that derives the default itself. */
export const optionalDatabaseUrl = () =>
  variable(z.string().refine(isDatabaseUrl).optional(), DATABASE_URL_META);

const SHOWN_CHARACTERS = 60;

/** The one line for `issue` of `schema` over `env`. */
export function explain(
  schema: z.ZodObject<Record<string, z.ZodType>>,
  env: NodeJS.ProcessEnv,
  issue: z.core.$ZodIssue,
): string {
  const name = String(issue.path[0] ?? '');
  if (issue.code === 'custom' && (issue.params as { explained?: boolean } | undefined)?.explained) {
    return `${name}: ${issue.message}`;
  }
  const field: z.ZodType | undefined = schema.shape[name];
  const meta = field ? variables.get(field) : undefined;
  const expected = meta ? `expected ${meta.expected}` : issue.message;
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return `${name}: ${expected}, but it is not set`;
  if (meta?.secret) return `${name}: ${expected} (the value is a secret: not shown)`;
  const shown = raw.length > SHOWN_CHARACTERS ? `${raw.slice(0, SHOWN_CHARACTERS)}…` : raw;
  return `${name}: ${expected}, got ${JSON.stringify(shown)}`;
}

/** Parses `env` with `schema`, or throws a ConfigError explaining the first problem. */
export function parseEnv<S extends z.ZodObject<Record<string, z.ZodType>>>(
  schema: S,
  env: NodeJS.ProcessEnv,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  throw new ConfigError(explain(schema, env, parsed.error.issues[0]!));
}
