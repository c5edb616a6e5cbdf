/**
 * Asks ESLint's API what `npm run lint` does with given files and texts, answering JSON on
 * stdout. It runs as its own Node process (test/lint/eslint.ts starts it): ESLint loads
 * eslint.config.mjs with a dynamic import, which Jest's module sandbox does not support.
 *
 * Input on stdin: {"files": ["designer/src/App.tsx", …], "texts": [{"filePath", "code"}, …],
 * "onlyRule"?: "name"}. With `onlyRule`, the texts are linted by that rule alone, as configured,
 * without type information: every other rule the config turns on for them is turned off, so
 * typescript-eslint builds no TypeScript program (a minute of CPU for a rule that reads only
 * the import statements).
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';

interface Request {
  files: string[];
  texts: { filePath: string; code: string }[];
  onlyRule?: string;
}

type FileConfig = {
  rules?: Record<string, unknown>;
  languageOptions?: { parserOptions?: { projectService?: unknown } };
};

/** An ESLint that runs only `rule`, as eslint.config.mjs configures it, on untyped parses. */
async function eslintWithOnly(eslint: ESLint, rule: string, files: string[]): Promise<ESLint> {
  const off: Record<string, 'off'> = {};
  for (const file of files) {
    const config = (await eslint.calculateConfigForFile(file)) as FileConfig | undefined;
    for (const name of Object.keys(config?.rules ?? {})) if (name !== rule) off[name] = 'off';
  }
  return new ESLint({
    cwd: process.cwd(),
    overrideConfig: [
      { languageOptions: { parserOptions: { projectService: false, project: null } }, rules: off },
    ],
  });
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
      : ((await eslint.calculateConfigForFile(file)) as FileConfig | undefined);
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
  const textLinter = request.onlyRule
    ? await eslintWithOnly(
        eslint,
        request.onlyRule,
        request.texts.map((t) => t.filePath),
      )
    : eslint;
  for (const { filePath, code } of request.texts) {
    const [result] = await textLinter.lintText(code, { filePath });
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
