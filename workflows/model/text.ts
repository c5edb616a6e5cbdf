/**
 * One normalisation for every free text (SPEC §2: "text a store cannot hold is refused"): the
 * API's body schemas, the workflow's Update validators and the template schema all use `Text`,
 * so what one accepts every store (SQLite and PostgreSQL alike) can hold.
 */
import { z } from 'zod';

/**
 * Code points refused in free text: NUL (PostgreSQL's text type cannot hold it), the other C0
 * controls except tab, line feed and carriage return (no person types them; they break mail
 * headers and terminals), and unpaired surrogates (UTF-8 cannot encode them: a driver would
 * silently store U+FFFD instead).
 */
const REFUSED =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first refused code point of `text` and where it is, or undefined when there is none. */
export function refusedCodePoint(text: string): { index: number; codePoint: number } | undefined {
  // No `u` flag: lone surrogates must be seen as the single units they are.
  const match = REFUSED.exec(text);
  if (!match) return undefined;
  return { index: match.index, codePoint: match[0].charCodeAt(0) };
}

const hex = (codePoint: number) => `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why `text` cannot be stored, or undefined when it can. */
export function textProblem(text: string): string | undefined {
  const refused = refusedCodePoint(text);
  if (!refused) return undefined;
  const what =
    refused.codePoint === 0
      ? 'NUL'
      : refused.codePoint >= 0xd800
        ? 'an unpaired surrogate'
        : 'a control character';
  return `holds ${what} (${hex(refused.codePoint)}) at character ${refused.index}, which cannot be stored`;
}

/** Replaces every refused code point with U+FFFD (repairing records written before the rule). */
export function sanitizeText(text: string): string {
  return text.replace(new RegExp(REFUSED.source, 'g'), '\ufffd');
}

export interface TextOptions {
  /** Trim surrounding white space first (names, titles, reasons). */
  trim?: boolean;
  /** At least this many characters (after trimming); default 0. */
  min?: number;
}

/**
 * A free text of at most `max` characters (UTF-16 code units, as JavaScript counts them):
 * normalised to NFC, with the refused code points above answered as an error naming the
 * character and its position. The cap is checked after normalisation.
 */
export function Text(max: number, options: TextOptions = {}) {
  const { trim = false, min = 0 } = options;
  const normalized = z
    .string()
    .check((ctx) => {
      const problem = textProblem(ctx.value);
      if (problem) {
        ctx.issues.push({
          code: 'custom',
          input: ctx.value,
          message: problem,
          params: { code: 'invalid_text' },
          continue: false,
        });
      }
    })
    .normalize('NFC');
  return (trim ? normalized.trim() : normalized)
    .min(min, min === 1 ? 'required' : `at least ${min} characters`)
    .max(max, `at most ${max} characters`);
}

/** The UTF-8 size of `text` in bytes (what a JSON payload of it weighs), without TextEncoder. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      // A surrogate pair is one code point of four bytes.
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A text kept in the app database (written with the action's audit entries), named in the
 * state by its length and digest: the state keeps what decisions need, `GET` hydrates the text.
 */
export const TextRef = z.object({ length: z.number().int(), sha256: z.string() });
export type TextRef = z.infer<typeof TextRef>;
