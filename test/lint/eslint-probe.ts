/**
 * Asks ESLint's API what `npm run lint` does with given files and texts, answering JSON on
 * stdout. It runs as its own Node process (test/lint/eslint.ts starts it): ESLint loads
 * eslint.config.mjs with a dynamic import, which Jest's module sandbox does not support.
 *
 * Input on stdin: {"files": ["designer/src/App.tsx", …], "texts": [{"filePath", "code"}, …]}.
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

interface Request {
  files: string[];
  texts: { filePath: string; code: string }[];
}

async function main(): Promise<void> {
  const request = JSON.parse(readFileSync(0, 'utf8')) as Request;
  const eslint = new ESLint({ cwd: process.cwd() });
  const files = [];
  for (const file of request.files) {
    const ignored = await eslint.isPathIgnored(file);
    // A file no config object matches has no config: ESLint would not lint it either.
    const config = ignored
      ? undefined
      : ((await eslint.calculateConfigForFile(file)) as
          | {
              rules?: Record<string, unknown>;
              languageOptions?: { parserOptions?: { projectService?: unknown } };
            }
          | undefined);
    const rules: Record<string, unknown> = {};
    for (const [name, entry] of Object.entries(config?.rules ?? {})) {
      rules[name] = Array.isArray(entry) ? entry[0] : entry;
    }
    files.push({
      file,
      ignored,
      typeAware: Boolean(config?.languageOptions?.parserOptions?.projectService),
      rules,
    });
  }
  const texts = [];
  for (const { filePath, code } of request.texts) {
    const [result] = await eslint.lintText(code, { filePath });
    texts.push({
      filePath,
      messages: (result?.messages ?? []).map((m) => ({ ruleId: m.ruleId, message: m.message })),
    });
  }
  process.stdout.write(JSON.stringify({ files, texts }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
