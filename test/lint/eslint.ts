/** Runs test/lint/eslint-probe.ts (ESLint's API in its own process) and returns its answer. */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');

export interface FileVerdict {
  file: string;
  ignored: boolean;
  /** The file is parsed with type information (typescript-eslint's project service). */
  typeAware: boolean;
  /** Each rule's severity as configured for the file ("error", 2, "off", …). */
  rules: Record<string, unknown>;
}

export interface TextVerdict {
  filePath: string;
  messages: { ruleId: string | null; message: string }[];
}

export function askEslint(request: {
  files?: string[];
  texts?: { filePath: string; code: string }[];
  /** Lint the texts with this rule alone (as configured), untyped: see eslint-probe.ts. */
  onlyRule?: string;
}): { files: FileVerdict[]; texts: TextVerdict[] } {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'test/lint/eslint-probe.ts')],
    {
      cwd: ROOT,
      input: JSON.stringify({
        files: request.files ?? [],
        texts: request.texts ?? [],
        onlyRule: request.onlyRule,
      }),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(out) as { files: FileVerdict[]; texts: TextVerdict[] };
}

/** Whether a configured severity turns the rule on as an error. */
export const isError = (severity: unknown): boolean => severity === 'error' || severity === 2;
