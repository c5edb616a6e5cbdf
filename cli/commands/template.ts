/**
 * `gatehouse template validate | import | export`: template JSON files in and out of the app
 * database, checked as a publish through the API is: the model's `validateNewTemplate` (the
 * worker's `validateTemplate`, reserved ids and the bounds on durations).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isDeepStrictEqual } from 'node:util';
import {
  getDraft,
  getLatestVersion,
  getVersion,
  publishDraft,
  saveDraft,
  SYSTEM_USER,
} from '../../db';
import { validateNewTemplate, type Template, type TemplateError } from '../../workflows/model';
import { withDatabase } from '../database';
import { CliError, EXIT } from '../errors';

export async function validate(file: string): Promise<void> {
  const template = validOrReport(file, await readJsonFile(file));
  console.log(`valid: ${template.key} (${template.nodes.length} nodes)`);
}

export async function importTemplate(
  file: string,
  options: { draftOnly?: boolean },
): Promise<void> {
  // Checked before the database is opened: an invalid file writes nothing.
  const template = validOrReport(file, await readJsonFile(file));
  const { key } = template;
  await withDatabase(async (db) => {
    const previous = await getDraft(db, key);
    await saveDraft(db, key, template, SYSTEM_USER);
    if (previous !== undefined && !isDeepStrictEqual(previous.body, asJson(template))) {
      const when = new Date(previous.updatedAt).toISOString();
      console.error(`gatehouse: note: replaced the draft of ${key} saved ${when}`);
    }
    if (options.draftOnly) {
      console.log(`saved draft ${key}`);
      return;
    }
    const latest = await getLatestVersion(db, key);
    // Re-running an import (a deployment script) must not pile up identical versions.
    if (latest !== undefined && isDeepStrictEqual(latest.template, asJson(template))) {
      console.log(`unchanged ${key} v${latest.version} (the latest version is the same)`);
      return;
    }
    const published = await publishDraft(db, key, SYSTEM_USER, validateNewTemplate);
    // Validated above and saved under its own key: a refusal here is a bug, not a user mistake.
    if (!published.ok) throw new Error(`publishing ${key} failed: ${published.reason}`);
    console.log(`published ${key} v${published.version}`);
  });
}

export async function exportTemplate(
  key: string,
  options: { version?: number; out?: string },
): Promise<void> {
  const { version, out } = options;
  await withDatabase(async (db) => {
    const found =
      version === undefined ? await getLatestVersion(db, key) : await getVersion(db, key, version);
    if (found === undefined) {
      const latest = await getLatestVersion(db, key);
      if (latest !== undefined) {
        throw new CliError(
          `template ${key} has no version ${version} (latest: v${latest.version})`,
        );
      }
      const draft = await getDraft(db, key);
      throw new CliError(
        `no published template ${key}${draft ? ' (it has a draft, not yet published)' : ''}`,
      );
    }
    const json = `${JSON.stringify(found.template, null, 2)}\n`;
    if (out === undefined) {
      process.stdout.write(json);
      return;
    }
    await writeFile(out, json).catch((error: unknown) => {
      throw new CliError(`cannot write ${out}: ${reason(error)}`, EXIT.usage);
    });
    console.log(`exported ${key} v${found.version} to ${out}`);
  });
}

/** The parsed JSON of `file`; a file that cannot be read or is not JSON stops with exit 2. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${reason(error)}`, EXIT.usage);
  }
  try {
    // A byte order mark (Windows editors save one) is no part of the JSON (RFC 8259 §8.1).
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    // JSON.parse quotes the text around the fault, line breaks included: keep it one line.
    throw new CliError(`${file} is not JSON: ${reason(error).replace(/\s+/g, ' ')}`, EXIT.usage);
  }
}

/** The template, or every error printed to stderr and exit 1. */
export function validOrReport(file: string, input: unknown): Template {
  const { valid, errors, template } = validateNewTemplate(input);
  if (valid && template !== undefined) return template;
  for (const error of errors) console.error(formatTemplateError(error));
  const count = errors.length === 1 ? '1 error' : `${errors.length} errors`;
  throw new CliError(`${file}: invalid template (${count})`);
}

/** `nodes[3].sla.due [invalid_duration] …`: where, what, why. */
export function formatTemplateError(error: TemplateError): string {
  return `${formatPath(error.path)} [${error.code}] ${error.message}`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A path as JavaScript would write it: `nodes[3].sla.due`, `layout["pilot-review"].x`. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(template)';
  return path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      if (!IDENTIFIER.test(part)) return `[${JSON.stringify(part)}]`;
      return index === 0 ? part : `.${part}`;
    })
    .join('');
}

/** How the template reads back from the database: JSON, so no `undefined` members. */
function asJson(template: Template): unknown {
  return JSON.parse(JSON.stringify(template));
}

/** The system's reason without Node's `ENOENT: ` prefix and repeated file name. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return error.message;
}
