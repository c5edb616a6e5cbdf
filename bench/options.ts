/** The benches' command-line options: numbers only, each with a default and a minimum. */
import { parseArgs } from 'node:util';

export interface NumberOption {
  default: number;
  min: number;
  /** Whole numbers only (default true). */
  integer?: boolean;
}

/** Parses `--name value` for every option of `spec`; an unknown or bad one throws, naming it. */
export function numberOptions<K extends string>(
  argv: string[],
  spec: Record<K, NumberOption>,
): Record<K, number> {
  const names = Object.keys(spec) as K[];
  const { values } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      names.map((name) => [name, { type: 'string', default: String(spec[name].default) }]),
    ) as Record<K, { type: 'string'; default: string }>,
    strict: true,
    allowPositionals: false,
  });
  const parsed = {} as Record<K, number>;
  for (const name of names) {
    const { min, integer = true } = spec[name];
    const text = String((values as Record<string, unknown>)[name]);
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
      throw new Error(
        `--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}, got "${text}"`,
      );
    }
    parsed[name] = n;
  }
  return parsed;
}
