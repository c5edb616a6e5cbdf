/**
 * The workflow bundle made once, when the image is built (`npm run workflows:bundle`, in the
 * Dockerfile), instead of at every worker start. Webpack over the workflow code is most of a
 * worker's start, and a killed worker's replacement polls only after it: in the proof, 21.9 s of
 * the 42.7 s until a replacement was healthy (README, "What the proof found"). The bundle is used
 * only while every file it was made from is unchanged (their SHA-256 in a manifest beside it,
 * with the SDK's version) and no file has appeared where webpack looked and found none (a new
 * `index.ts` or `.ts` beside a `.js` would be resolved first next time); otherwise the worker
 * bundles at start, as without one, and says why.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  bundleWorkflowCode,
  type BundleOptions,
  type Logger,
  type WorkerOptions,
} from '@temporalio/worker';

const ROOT = path.resolve(__dirname, '..');
/** Where the image build puts it (git-ignored). */
export const BUNDLE_DIR = path.join(ROOT, 'dist', 'workflows');
const CODE = 'bundle.js';
const MANIFEST = 'manifest.json';
const WORKFLOWS = require.resolve('../workflows');

/**
 * What every bundle of the workflows is made with (here, the worker bundling at start, the
 * tests and the benches): the entry, and the third-party modules the workflows use (Zod among
 * them) evaluated once for all the workflows a worker runs instead of once per workflow
 * (workflows/preload.ts says why and how).
 */
export const WORKFLOW_BUNDLE_OPTIONS: Required<
  Pick<BundleOptions, 'workflowsPath' | 'preloadModules'>
> = {
  workflowsPath: WORKFLOWS,
  preloadModules: [require.resolve('../workflows/preload')],
};

interface Manifest {
  sdk: string;
  /** Path relative to the manifest's folder → SHA-256 (hex) of the file the bundle read. */
  files: Record<string, string>;
  /** Paths relative to the manifest's folder that module resolution tried and did not find. */
  absent: string[];
}

function sdkVersion(): string {
  return (
    JSON.parse(readFileSync(require.resolve('@temporalio/worker/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Bundles the workflows into `dir` with the manifest of the files webpack read. */
export async function writeWorkflowBundle(
  dir = BUNDLE_DIR,
  logger?: Logger,
): Promise<{ files: number; bytes: number; codePath: string }> {
  const read = new Set<string>();
  const absent = new Set<string>();
  const { code } = await bundleWorkflowCode({
    ...WORKFLOW_BUNDLE_OPTIONS,
    ...(logger && { logger }),
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        {
          apply: (compiler) =>
            compiler.hooks.done.tap('gatehouse-manifest', (stats) => {
              for (const file of stats.compilation.fileDependencies) read.add(file);
              for (const file of stats.compilation.missingDependencies) absent.add(file);
            }),
        },
      ],
    }),
  });
  // Without the entry among them the check would pass whatever changed: refuse to write it.
  if (!read.has(WORKFLOWS)) throw new Error(`webpack did not report reading ${WORKFLOWS}`);
  // Extensionless imports always miss once before they hit: none means no guard against new files.
  if (absent.size === 0) throw new Error('webpack did not report the paths it tried in vain');
  const files: Manifest['files'] = {};
  for (const file of [...read].sort()) {
    if (statSync(file, { throwIfNoEntry: false })?.isFile())
      files[path.relative(dir, file)] = sha256(file);
  }
  mkdirSync(dir, { recursive: true });
  // The manifest last, each by rename: a half-written bundle is never taken for a whole one.
  writeFileSync(path.join(dir, `${CODE}.tmp`), code);
  renameSync(path.join(dir, `${CODE}.tmp`), path.join(dir, CODE));
  const manifest: Manifest = {
    sdk: sdkVersion(),
    files,
    absent: [...absent]
      .filter((file) => !existsSync(file))
      .sort()
      .map((file) => path.relative(dir, file)),
  };
  writeFileSync(path.join(dir, `${MANIFEST}.tmp`), JSON.stringify(manifest, null, 1));
  renameSync(path.join(dir, `${MANIFEST}.tmp`), path.join(dir, MANIFEST));
  return { files: Object.keys(files).length, bytes: code.length, codePath: path.join(dir, CODE) };
}

export type PrebuiltBundle =
  | { bundle: NonNullable<WorkerOptions['workflowBundle']>; files: number }
  | { bundle?: undefined; reason: string };

/**
 * The bundle in `dir` if it was made from `entry` (this code's workflows, not another checkout's)
 * with `preload` among what it preloads, and from the files as they are now; else why not.
 */
export function prebuiltBundle(
  dir = BUNDLE_DIR,
  entry = WORKFLOWS,
  preload = WORKFLOW_BUNDLE_OPTIONS.preloadModules,
): PrebuiltBundle {
  dir = path.resolve(dir);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { reason: `no prebuilt bundle in ${dir} (npm run workflows:bundle makes one)` };
    const why = error instanceof Error ? error.message : String(error);
    return { reason: `the prebuilt bundle's manifest in ${dir} cannot be read: ${why}` };
  }
  if (manifest.sdk !== sdkVersion())
    return {
      reason: `the prebuilt bundle is of Temporal SDK ${manifest.sdk}, not ${sdkVersion()}`,
    };
  // Its files are checked where they were read: a bundle made in another tree checks that tree.
  if (!Object.hasOwn(manifest.files, path.relative(dir, entry)))
    return { reason: `the prebuilt bundle in ${dir} was not made from ${entry}` };
  // A bundle made before a module was preloaded reads the same files, less that module.
  const missing = preload.find(
    (module) => !Object.hasOwn(manifest.files, path.relative(dir, module)),
  );
  if (missing !== undefined)
    return { reason: `the prebuilt bundle in ${dir} does not preload ${missing}` };
  for (const [relative, hash] of Object.entries(manifest.files)) {
    const file = path.resolve(dir, relative);
    let now: string;
    try {
      now = sha256(file);
    } catch {
      return { reason: `the prebuilt bundle was made from ${file}, which is gone` };
    }
    if (now !== hash) return { reason: `${file} changed since the prebuilt bundle was made` };
  }
  if (!Array.isArray(manifest.absent))
    return { reason: `the prebuilt bundle's manifest in ${dir} predates its list of absent files` };
  for (const relative of manifest.absent) {
    const file = path.resolve(dir, relative);
    if (existsSync(file))
      return { reason: `${file} appeared since the prebuilt bundle was made, where it looked` };
  }
  return {
    bundle: { codePath: path.join(dir, CODE) },
    files: Object.keys(manifest.files).length,
  };
}
